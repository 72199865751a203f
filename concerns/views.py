"""Public pages: the Top-3 form ("Wat houdt u bezig in uw buurt?"), its confirm link, the results."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from geo.models import Area
from projects import page_cache

from . import services, tokens
from .cache_tags import CONCERNS
from .forms import TopThreeForm
from .models import Submission, SubmissionStatus
from .ratelimit import rate_limited
from .selectors import project_running_get, results_by_area, sentences_public, user_verified_email


def _project_from(request):
    """The running project named by ``?project=``; a malformed id is the client's mistake."""
    raw = request.GET.get("project", "")
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit()):
        raise ValueError(raw)
    project = project_running_get(int(raw))
    if project is None:
        raise Http404(_("Dit project bestaat niet of loopt niet meer."))
    return project


def submit(request):
    try:
        project = _project_from(request)
    except ValueError:
        return HttpResponseBadRequest(_("Het projectnummer in de link klopt niet."))
    verified_email = user_verified_email(request.user)
    form = TopThreeForm(request.POST or None, ask_email=not verified_email,
                        initial={"email": request.user.email} if request.user.is_authenticated else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if rate_limited(request, email=data.get("email", "")):
            form.add_error(None, _("Er zijn net veel top-3's vanaf dit adres verstuurd. Probeer het over een uur opnieuw."))
        else:
            try:
                submission = services.submission_create(
                    area=data["area"], concerns=data["concerns"], user=request.user, email=data.get("email", ""),
                    keep_informed=data["keep_informed"], project=project,
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                if submission.status == SubmissionStatus.UNCONFIRMED:
                    messages.success(request, _("Bedankt! Wij hebben uw top-3 bewaard. Kijk in uw e-mail en klik op de link. Dan telt hij mee."))
                else:
                    messages.success(request, _("Bedankt! Wij kijken eerst naar uw top-3. Daarna telt hij mee in de uitkomst."))
                return redirect("concerns:results_area", code=submission.area.code)
    return render(
        request, "concerns/form.html", {"form": form, "project": project, "verified_email": verified_email},
        status=400 if request.method == "POST" else 200,
    )


def confirm(request, token: str):
    """The emailed link shows a button; the POST confirms (a mail scanner's GET changes nothing)."""
    submission_id = tokens.read_token(token)
    submission = Submission.objects.select_related("area").filter(pk=submission_id).first() if submission_id else None
    if submission is None:
        return render(request, "concerns/link_invalid.html", status=404)
    if request.method == "POST":
        services.submission_confirm(submission_id=submission.pk)
        messages.success(request, _("Bedankt! Uw e-mailadres is bevestigd. Wij kijken nu naar uw top-3."))
        return redirect("concerns:results_area", code=submission.area.code)
    return render(request, "concerns/confirm.html", {
        "submission": submission, "confirmed": submission.status != SubmissionStatus.UNCONFIRMED,
        "concerns": list(submission.concerns.select_related("theme")),
    })


def results(request):
    page_cache.depends_on(page_cache.SITE, CONCERNS)
    return render(request, "concerns/results.html", {"results": results_by_area()})


def results_area(request, code: str):
    area = get_object_or_404(Area, code=code)
    page_cache.depends_on(page_cache.SITE, CONCERNS)
    found = results_by_area(area=area)
    return render(request, "concerns/results_area.html", {
        "area": area, "result": found[0] if found else None, "sentences": sentences_public(area=area),
        "form_url": reverse("concerns:submit"),
    })
