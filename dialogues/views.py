"""Public views: thin, they call services and selectors. Every resident flow works without JS."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from projects.selectors import live_public
from . import services, tokens
from .calendars import session_ics
from .forms import EvaluationForm, RegistrationForm
from .models import DialogueRoundPage, DialogueSession, Registration, RegistrationStatus
from .ratelimit import rate_limited
from .selectors import registration_list_for_user


def _public_session(session_id: int) -> DialogueSession:
    live_rounds = live_public(DialogueRoundPage.objects)
    return get_object_or_404(DialogueSession.objects.select_related("round").filter(round__in=live_rounds), pk=session_id)


def _invalid_link(request, message: str | None = None, status: int = 400):
    return render(request, "dialogues/link_invalid.html", {
        "message": message or _("Deze link is niet (meer) geldig. Controleer of u de hele link uit de e-mail heeft gebruikt."),
    }, status=status)


def session_register(request, session_id: int):
    session = _public_session(session_id)
    state = session.registration_state()
    form = RegistrationForm(request.POST or None, session=session, user=request.user)
    if request.method == "POST" and state == "open":
        if form.is_valid():
            data = form.cleaned_data
            user = form.user
            if rate_limited(request, "register", email=user.email if user else data["email"], session_id=session.pk):
                form.add_error(None, _("U heeft te vaak een aanmelding verstuurd. Probeer het over tien minuten opnieuw."))
                return render(request, "dialogues/register.html", {"session": session, "form": form, "state": state}, status=429)
            try:
                registration = services.registration_create(
                    session_id=session.pk,
                    name=data.get("name") or (user.get_full_name() if user else "") or (user.email if user else ""),
                    email=user.email if user else data["email"],
                    stakeholder_group=data["stakeholder_group"], attendance_mode=form.chosen_mode(),
                    phone=data.get("phone", ""), needs=data.get("needs", []), needs_other=data.get("needs_other", ""),
                    consent=data["consent"], contact_consent=data.get("contact_consent", False), user=user,
                    session=session,
                )
            except services.RegistrationError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
                session.refresh_from_db()
            else:
                return redirect("dialogues:registration", token=tokens.make_token(registration.pk, "cancel"))
    elif request.method == "POST":
        form.add_error(None, services.STATE_MESSAGES[state]())
    status = 200 if not form.errors else 400
    return render(request, "dialogues/register.html", {"session": session, "form": form, "state": state}, status=status)


def _registration_from(token: str, purpose: str, *, max_age=None) -> Registration | None:
    pk = tokens.read_token(token, purpose, max_age=max_age)
    if pk is None:
        return None
    return Registration.objects.select_related("session__round").filter(pk=pk).first()


def registration_detail(request, token: str):
    """The personal page behind every email's link: status, place on the waiting list, and
    a button to cancel (POST, so mail scanners following links cancel nothing)."""
    registration = _registration_from(token, "cancel")
    if registration is None or registration.anonymised_at:
        return _invalid_link(request)
    if registration.session.ends_at <= timezone.now():
        # The link carries personal data and a cancel button; once the session is over it has
        # no use left, so a forwarded or leaked mail no longer opens it.
        return _invalid_link(request, _(
            "Deze link werkt niet meer, want de bijeenkomst is voorbij. "
            "Heeft u een vraag? Neem dan contact op met de gemeente."
        ), status=410)
    if request.method == "POST":
        try:
            services.registration_cancel(registration_id=registration.pk)
        except services.RegistrationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("U bent afgemeld. Dank u wel dat u het liet weten."))
        return redirect("dialogues:registration", token=token)
    return render(request, "dialogues/registration.html", {
        "registration": registration, "session": registration.session,
        "position": services.waitlist_position(registration),
        "can_cancel": registration.is_active and registration.status not in (RegistrationStatus.ATTENDED, RegistrationStatus.NO_SHOW)
        and registration.session.starts_at > timezone.now(),
    })


def registration_confirm(request, token: str):
    registration = _registration_from(token, "confirm", max_age=tokens.CONFIRM_MAX_AGE)
    if registration is None:
        return _invalid_link(request)
    if request.method == "POST":
        try:
            services.registration_confirm(registration_id=registration.pk)
        except services.RegistrationError as exc:
            return _invalid_link(request, exc.message, status=410)
        messages.success(request, _("Uw aanmelding is bevestigd. U heeft een plaats."))
        return redirect("dialogues:registration", token=tokens.make_token(registration.pk, "cancel"))
    if registration.status == RegistrationStatus.CANCELLED:
        return _invalid_link(request, _("Deze aanmelding is niet meer geldig. Misschien was de tijd om te bevestigen voorbij, of heeft u zich afgemeld."), status=410)
    if registration.status != RegistrationStatus.PENDING:
        return redirect("dialogues:registration", token=tokens.make_token(registration.pk, "cancel"))
    return render(request, "dialogues/confirm.html", {"registration": registration, "session": registration.session})


def evaluate(request, token: str):
    registration = _registration_from(token, "evaluate")
    if registration is None:
        return _invalid_link(request)
    session = registration.session
    if _has_evaluation(registration):
        return render(request, "dialogues/evaluate.html", {"session": session, "done": True})
    form = EvaluationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.evaluation_submit(registration_id=registration.pk, **form.cleaned_data)
        except services.RegistrationError as exc:
            form.add_error(None, exc.message)
        else:
            return render(request, "dialogues/evaluate.html", {"session": session, "done": True})
    return render(request, "dialogues/evaluate.html", {"session": session, "form": form},
                  status=400 if form.errors else 200)


def _has_evaluation(registration) -> bool:
    from .models import Evaluation

    return Evaluation.objects.filter(registration=registration).exists()


def session_calendar(request, session_id: int):
    session = _public_session(session_id)
    response = HttpResponse(session_ics(session), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="bijeenkomst-{session.pk}.ics"'
    return response


@require_POST
@login_required
def my_registration_cancel(request, registration_id: int):
    registration = registration_list_for_user(request.user).filter(pk=registration_id).first()
    if registration is None:
        raise Http404
    try:
        services.registration_cancel(registration_id=registration.pk)
    except services.RegistrationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("U bent afgemeld voor %(title)s.") % {"title": registration.session.title})
    return redirect(reverse("projects:my_data"))
