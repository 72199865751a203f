"""Per-session admin views: registrations (filter, search, export), attendance list, check-in,
walk-ins, a message to everyone, cancelling the session and publishing its outcome.

Every view starts with ``_session_for``: only users who may edit the project see anything,
because these pages show names, emails and phone numbers.
"""

from __future__ import annotations

import csv
import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import services
from .forms import (
    REGISTRATION_FILTER_STATUSES,
    CancelSessionForm,
    MessageForm,
    OnBehalfForm,
    StaffCancelForm,
    WalkInForm,
    group_choices,
)
from .models import DialogueSession, Registration, RegistrationStatus, SessionOutcome
from .permissions import can_manage_session
from .selectors import (
    attendance_by_group,
    evaluation_comments,
    evaluation_invitations,
    evaluation_summary,
    registration_counts,
    registration_list,
)


def _session_for(request, session_id: int) -> DialogueSession:
    session = get_object_or_404(DialogueSession.objects.select_related("round"), pk=session_id)
    if not can_manage_session(request.user, session):
        raise PermissionDenied
    return session


def registrations(request, session_id: int):
    session = _session_for(request, session_id)
    search = request.GET.get("q", "").strip()
    status = request.GET.get("status", "")
    group = request.GET.get("group", "")
    rows = registration_list(session, search=search, status=status, group=group)
    outcome = SessionOutcome.objects.filter(session=session).first()
    now = timezone.now()
    return render(request, "dialogues/admin/registrations.html", {
        "check_in_open": session.check_in_open(now), "has_ended": session.has_ended(now),
        "has_started": session.starts_at <= now,
        "evaluation_invited": evaluation_invitations(session),
        "evaluation_pending": services.evaluation_invitations_pending(session),
        "session": session, "registrations": rows, "counts": registration_counts(session),
        "search": search, "status": status, "group": group,
        "status_choices": REGISTRATION_FILTER_STATUSES, "group_choices": group_choices(session),
        "walk_in_form": WalkInForm(session=session), "attendance": attendance_by_group(session),
        "outcome": outcome, "query": request.GET.urlencode(),
        "evaluation": evaluation_summary([session]), "evaluation_comments": evaluation_comments(session),
    })


EXPORT_COLUMNS = [
    ("name", "Naam"), ("email", "E-mail"), ("phone", "Telefoon"), ("stakeholder_group", "Groep"),
    ("attendance_mode", "Hoe"), ("status", "Status"), ("needs", "Ondersteuning"), ("created_at", "Aangemeld op"),
]


def _export_rows(session, request):
    rows = registration_list(session, search=request.GET.get("q", ""), status=request.GET.get("status", ""),
                             group=request.GET.get("group", ""))
    for r in rows:
        yield [
            r.name, r.email, r.phone, r.stakeholder_group, r.get_attendance_mode_display(),
            str(r.get_status_display()) + (" (" + _("binnenloper") + ")" if r.walk_in else ""),
            ", ".join(r.needs_labels()), timezone.localtime(r.created_at).strftime("%d-%m-%Y %H:%M"),
        ]


def _safe_cell(value):
    # Spreadsheet apps run a cell that starts with = + - @ as a formula: neutralise it.
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def export_csv(request, session_id: int):
    session = _session_for(request, session_id)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([label for _f, label in EXPORT_COLUMNS])
    for row in _export_rows(session, request):
        writer.writerow([_safe_cell(v) for v in row])
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="aanmeldingen-{session.pk}.csv"'
    return response


def export_xlsx(request, session_id: int):
    from openpyxl import Workbook

    session = _session_for(request, session_id)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Aanmeldingen"
    sheet.append([label for _f, label in EXPORT_COLUMNS])
    for row_number, row in enumerate(_export_rows(session, request), start=2):
        for column, value in enumerate(row, start=1):
            # Every cell an explicit string cell: "=1+1" stays text without the CSV's visible
            # apostrophe (openpyxl would otherwise store a value starting with "=" as a formula).
            cell = sheet.cell(row=row_number, column=column)
            cell.value = str(value)
            cell.data_type = "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="aanmeldingen-{session.pk}.xlsx"'
    return response


def attendance_list(request, session_id: int):
    """A printable list for the door: everyone with a seat, with a box to tick."""
    session = _session_for(request, session_id)
    rows = Registration.objects.filter(
        session=session, status__in=[RegistrationStatus.CONFIRMED, RegistrationStatus.PENDING, RegistrationStatus.ATTENDED, RegistrationStatus.NO_SHOW],
    ).order_by("name", "pk")
    return render(request, "dialogues/admin/attendance_print.html", {"session": session, "registrations": rows})


@require_POST
def check_in(request, session_id: int, registration_id: int):
    session = _session_for(request, session_id)
    registration = get_object_or_404(Registration, pk=registration_id, session=session)
    try:
        services.registration_check_in(registration_id=registration.pk, attended=request.POST.get("attended") == "1",
                                       by=request.user)
    except services.RegistrationError as exc:
        messages.error(request, exc.message)
    return redirect(reverse("dialogues_admin:registrations", args=[session.pk]) + ("?" + request.POST["query"] if request.POST.get("query") else ""))


@require_POST
def walk_in(request, session_id: int):
    session = _session_for(request, session_id)
    form = WalkInForm(request.POST, session=session)
    if form.is_valid():
        try:
            services.registration_add_walk_in(session_id=session.pk, by=request.user, **form.cleaned_data)
        except services.RegistrationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Binnenloper toegevoegd."))
    else:
        messages.error(request, _("Controleer de gegevens van de binnenloper: ") + " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("dialogues_admin:registrations", session.pk)


def message(request, session_id: int):
    session = _session_for(request, session_id)
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        count = services.session_message_send(session_id=session.pk, by=request.user, **form.cleaned_data)
        messages.success(request, _("Bericht verstuurd naar %(n)s deelnemers.") % {"n": count})
        return redirect("dialogues_admin:registrations", session.pk)
    return render(request, "dialogues/admin/form.html", {
        "session": session, "form": form, "title": _("Bericht aan alle deelnemers"), "submit": _("Versturen"),
    })


def cancel_session(request, session_id: int):
    session = _session_for(request, session_id)
    form = CancelSessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.session_cancel(session_id=session.pk, message=form.cleaned_data["message"], by=request.user)
        messages.success(request, _("De bijeenkomst is afgelast. Iedereen die zich had aangemeld krijgt een e-mail."))
        return redirect("dialogues_admin:registrations", session.pk)
    return render(request, "dialogues/admin/form.html", {
        "session": session, "form": form, "title": _("Bijeenkomst afgelasten"), "submit": _("Afgelasten"),
        "intro": _("Iedereen die zich heeft aangemeld of op de wachtlijst staat, krijgt een e-mail."),
    })


@require_POST
def mark_held(request, session_id: int):
    session = _session_for(request, session_id)
    try:
        services.session_mark_held(session_id=session.pk, by=request.user)
    except services.RegistrationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("De bijeenkomst is gemarkeerd als gehouden."))
    return redirect("dialogues_admin:registrations", session.pk)


def outcome_edit(request, session_id: int):
    session = _session_for(request, session_id)
    outcome, _created = SessionOutcome.objects.get_or_create(session=session)
    return redirect("dialogue_outcomes:edit", outcome.pk)


@require_POST
def outcome_publish(request, session_id: int):
    session = _session_for(request, session_id)
    outcome = get_object_or_404(SessionOutcome, session=session)
    try:
        if request.POST.get("unpublish"):
            services.outcome_unpublish(outcome_id=outcome.pk, by=request.user)
            messages.success(request, _("De uitkomst is niet meer openbaar."))
        else:
            services.outcome_publish(outcome_id=outcome.pk, by=request.user)
            messages.success(request, _("De uitkomst staat op de pagina van de ronde. De deelnemers krijgen een e-mail."))
    except services.RegistrationError as exc:
        messages.error(request, exc.message)
    return redirect("dialogues_admin:registrations", session.pk)


# --- staff actions on one registration ----------------------------------------------------------

def _registration_for(session, registration_id: int) -> Registration:
    return get_object_or_404(Registration, pk=registration_id, session=session)


def registration_cancel(request, session_id: int, registration_id: int):
    """Cancel one registration for the person (confirmation page, then POST)."""
    session = _session_for(request, session_id)
    registration = _registration_for(session, registration_id)
    form = StaffCancelForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        notify = form.cleaned_data["notify"]
        try:
            services.registration_cancel(registration_id=registration.pk, by=request.user, notify=notify)
        except services.RegistrationError as exc:
            messages.error(request, exc.message)
        else:
            if notify and registration.email:
                messages.success(request, _("De aanmelding is afgezegd. De persoon krijgt een e-mail."))
            else:
                messages.success(request, _("De aanmelding is afgezegd. De persoon krijgt geen e-mail."))
        return redirect("dialogues_admin:registrations", session.pk)
    intro = _("U zegt de aanmelding af van %(name)s (%(status)s).") % {
        "name": registration.name or _("(geen naam)"), "status": registration.get_status_display()}
    if registration.holds_seat:
        intro += " " + _("De plaats gaat naar de eerste op de wachtlijst, als die er is.")
    if not registration.email:
        intro += " " + _("Deze persoon heeft geen e-mailadres: laat het de persoon zelf weten.")
    return render(request, "dialogues/admin/form.html", {
        "session": session, "form": form, "title": _("Aanmelding afzeggen"), "submit": _("Afzeggen"), "intro": intro,
    })


def register_on_behalf(request, session_id: int):
    """Register someone who called or filled in a paper form."""
    session = _session_for(request, session_id)
    form = OnBehalfForm(request.POST or None, session=session)
    if request.method == "POST" and form.is_valid():
        try:
            registration = services.registration_create_on_behalf(session_id=session.pk, by=request.user, **form.cleaned_data)
        except services.RegistrationError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            if registration.status == RegistrationStatus.WAITLISTED:
                text = _("%(name)s staat op de wachtlijst.") % {"name": registration.name}
            else:
                text = _("%(name)s is aangemeld.") % {"name": registration.name}
            text += " " + (_("De persoon krijgt een e-mail.") if registration.email else _("De persoon krijgt geen e-mail."))
            messages.success(request, text)
            return redirect("dialogues_admin:registrations", session.pk)
    return render(request, "dialogues/admin/form.html", {
        "session": session, "form": form, "title": _("Iemand aanmelden"), "submit": _("Aanmelden"),
        "intro": _("Voor iemand die belt of een papieren formulier invult. De aanmelding is meteen bevestigd; "
                   "er is geen bevestigingslink nodig."),
    })


def waitlist_promote(request, session_id: int, registration_id: int):
    """Move a chosen person from the waiting list to a seat; says plainly when a seat is added."""
    session = _session_for(request, session_id)
    registration = _registration_for(session, registration_id)
    if registration.status != RegistrationStatus.WAITLISTED:
        messages.error(request, _("Deze persoon staat niet (meer) op de wachtlijst."))
        return redirect("dialogues_admin:registrations", session.pk)
    extra = services.promotion_needs_extra_seat(registration)
    if request.method == "POST":
        try:
            services.waitlist_promote_by_hand(registration_id=registration.pk, by=request.user,
                                              allow_extra_seat=request.POST.get("extra_seat") == "1")
        except services.RegistrationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("%(name)s heeft nu een plaats.") % {"name": registration.name or _("De persoon")})
        return redirect("dialogues_admin:registrations", session.pk)
    online = registration.attendance_mode == "online"
    capacity = session.capacity_online if online else session.capacity_onsite
    where = _("online") if online else _("op locatie")
    return render(request, "dialogues/admin/promote.html", {
        "session": session, "registration": registration, "extra_seat": extra,
        "extra_seat_text": _("Er komt een extra plaats bij: %(where)s %(new)s in plaats van %(old)s.") % {
            "where": where, "new": capacity + 1, "old": capacity},
    })


@require_POST
def evaluation_send_now(request, session_id: int):
    """Send the evaluation invitations now (the hourly sweep would send them too)."""
    session = _session_for(request, session_id)
    try:
        count = services.evaluation_invitations_send(session_id=session.pk, by=request.user)
    except services.RegistrationError as exc:
        messages.error(request, exc.message)
    else:
        if count:
            messages.success(request, _("De evaluatie is verstuurd naar %(n)s deelnemers.") % {"n": count})
        else:
            messages.info(request, _("Iedereen met een e-mailadres heeft de evaluatie al gekregen."))
    return redirect("dialogues_admin:registrations", session.pk)
