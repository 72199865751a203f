import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .selectors import live_public
from . import selectors, services
from .accounts import CONFIRM_WORD, AccountDeleteForm
from .conf import plugin_setting
from .mail import MAIL_RETENTION_DAYS
from .models import ProjectPage
from .security import safe_next_url


@require_POST
def follow(request, project_id):
    """Follow a project. Anonymous visitors go to the login page and come back to the
    project (not to this POST-only address), where they can press the button again."""
    project = get_object_or_404(live_public(ProjectPage.objects), pk=project_id)
    if not request.user.is_authenticated:
        return redirect_to_login(project.url)
    services.follow_create(project=project, user=request.user)
    messages.success(request, _("U volgt dit project. U krijgt een e-mail bij nieuws."))
    return redirect(project.url)


@require_POST
def unfollow(request, project_id):
    project = get_object_or_404(ProjectPage, pk=project_id)
    if not request.user.is_authenticated:  # e.g. the session expired: log in, back to the page
        return redirect_to_login(project.url or "/")
    services.follow_delete(project=project, user=request.user)
    messages.success(request, _("U volgt dit project niet meer."))
    next_url = safe_next_url(request, request.POST.get("next"))  # e.g. back to "Mijn gegevens"
    if next_url:
        return HttpResponseRedirect(next_url)
    return redirect(project.url or "/")


def unfollow_token(request, token):
    """Unsubscribe from a project's news by the link in an email, without logging in.
    GET shows a confirmation button (mail scanners follow links); POST unsubscribes."""
    follow = services.follow_from_token(token)
    if follow is None:
        return render(request, "projects/unfollow_token.html", {"invalid": True}, status=404)
    if request.method == "POST":
        project = follow.project
        services.follow_delete(project=project, user=follow.user)
        return render(request, "projects/unfollow_token.html", {"done": True, "project": project})
    return render(request, "projects/unfollow_token.html", {"project": follow.project})


@login_required
def my_data(request):
    """ "Mijn gegevens": what the resident registered for, submitted and follows. Each
    participation source's section is rendered with its own template and context."""
    sections = [
        (section, render_to_string(section.template, section.context, request=request))
        for section in selectors.user_personal_sections(user=request.user)
    ]
    return render(
        request,
        "projects/my_data.html",
        {
            "sections": sections,
            "follows": selectors.user_follow_list(user=request.user),
            "mail_retention_days": MAIL_RETENTION_DAYS,
            "registration_retention_months": plugin_setting("REGISTRATION_RETENTION_MONTHS"),
        },
    )


@login_required
def my_data_download(request):
    """All the resident's data as a JSON file (AVG: right of access)."""
    data = services.user_data_export(user=request.user)
    filename = f"mijn-gegevens-{timezone.localdate().isoformat()}.json"
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def account_delete(request):
    """Confirm page and POST that deletes the resident's account and data (AVG)."""
    staff = request.user.is_staff or request.user.is_superuser
    form = AccountDeleteForm(request.POST or None)
    if request.method == "POST" and not staff and form.is_valid():
        services.user_delete(user=request.user)
        logout(request)
        messages.success(request, _("Uw account en uw gegevens zijn verwijderd."))
        return redirect("/")
    return render(
        request,
        "projects/my_data_delete.html",
        {"form": form, "staff": staff, "confirm_word": CONFIRM_WORD},
    )
