"""Writes for dialogues. Seat allocation has one home: every change of a session's seat
counters happens here, inside a transaction that holds the session row's lock.

Emails are queued with ``projects.mail.mail_send`` inside the same transaction: they are
stored with the registration and delivered after commit, so a failing mail server never
loses or rolls back a registration.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.db.models import F, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from projects.conf import absolute_url, plugin_setting
from projects.mail import mail_send

from . import tokens
from .calendars import session_ics
from .models import (
    ACTIVE_STATUSES,
    AttendanceMode,
    DialogueRoundPage,
    DialogueSession,
    Evaluation,
    Need,
    Registration,
    RegistrationStatus,
    SessionOutcome,
    SessionStatus,
)

DEFAULT_HOLD_HOURS = 24
DEFAULT_RETENTION_MONTHS = 12
REMINDER_WINDOW = datetime.timedelta(hours=24)
EVALUATION_WINDOW = datetime.timedelta(days=30)
SEAT_FIELD = {AttendanceMode.ONSITE: "seats_taken_onsite", AttendanceMode.ONLINE: "seats_taken_online"}
SCHEDULE_FIELDS = ("starts_at", "ends_at", "venue", "address", "online_url", "latitude", "longitude", "title")


class RegistrationError(Exception):
    """A registration (or a link) that cannot go through, with a Dutch message for the resident."""

    def __init__(self, code: str, message: str, *, field: str | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field


def hold_duration() -> datetime.timedelta:
    return datetime.timedelta(hours=plugin_setting("REGISTRATION_HOLD_HOURS", DEFAULT_HOLD_HOURS))


STATE_MESSAGES = {
    "cancelled": lambda: _("Deze bijeenkomst is afgelast. U kunt zich niet meer aanmelden."),
    "past": lambda: _("Deze bijeenkomst is al geweest. U kunt zich niet meer aanmelden."),
    "closed": lambda: _("De aanmelding voor deze bijeenkomst is gesloten."),
    "not_yet": lambda: _("De aanmelding voor deze bijeenkomst is nog niet open."),
}


# --- helpers ---------------------------------------------------------------------------------

def _lock_session(session_id: int) -> DialogueSession:
    return DialogueSession.objects.select_for_update().get(pk=session_id)


def _change_seats(session: DialogueSession, mode: str, delta: int) -> None:
    """F() update of one seat counter; the CHECK constraint refuses any overbooking."""
    field = SEAT_FIELD[AttendanceMode(mode)]
    DialogueSession.objects.filter(pk=session.pk).update(**{field: F(field) + delta})
    setattr(session, field, getattr(session, field) + delta)


def _mail_context(registration: Registration, session: DialogueSession, **extra) -> dict:
    round_page = session.round
    return {
        "registration": registration,
        "session": session,
        "round": round_page,
        "round_url": absolute_url(round_page.url or "/"),
        "cancel_url": tokens.link(registration.pk, "cancel"),
        "ics_url": absolute_url(_reverse("dialogues:session_ics", session.pk)),
        **extra,
    }


def _reverse(name: str, *args) -> str:
    from django.urls import reverse

    return reverse(name, args=args)


def _ics_attachment(session: DialogueSession, method: str = "PUBLISH") -> list[dict]:
    return [{"filename": "bijeenkomst.ics", "content": session_ics(session, method=method), "mimetype": "text/calendar"}]


def _mail(registration: Registration, session: DialogueSession, template: str, *, ics: str | None = None, **extra) -> None:
    if not registration.email:
        return
    mail_send(
        to=registration.email,
        template=f"dialogues/email/{template}",
        context=_mail_context(registration, session, **extra),
        attachments=_ics_attachment(session, ics) if ics else (),
    )


def waitlist_position(registration: Registration) -> int | None:
    """1-based place on the waiting list of the registration's pool, or None."""
    if registration.status != RegistrationStatus.WAITLISTED:
        return None
    ahead = Registration.objects.filter(
        session_id=registration.session_id, status=RegistrationStatus.WAITLISTED,
        attendance_mode=registration.attendance_mode,
    ).filter(Q(waitlisted_at__lt=registration.waitlisted_at) | Q(waitlisted_at=registration.waitlisted_at, pk__lt=registration.pk))
    return ahead.count() + 1


def _promote(session: DialogueSession, now: datetime.datetime) -> list[Registration]:
    """Give free seats to the first people on each pool's waiting list. Caller holds the lock."""
    promoted = []
    for mode in (AttendanceMode.ONSITE, AttendanceMode.ONLINE):
        free = session.seats_free_for(mode)
        if free <= 0:
            continue
        waiting = list(
            Registration.objects.select_for_update()
            .filter(session=session, status=RegistrationStatus.WAITLISTED, attendance_mode=mode)
            .order_by("waitlisted_at", "pk")[:free]
        )
        for registration in waiting:
            registration.status = RegistrationStatus.CONFIRMED
            registration.promoted_at = now
            registration.confirmed_at = now
            registration.save(update_fields=["status", "promoted_at", "confirmed_at"])
            _change_seats(session, mode, +1)
            _mail(registration, session, "registration_promoted", ics="PUBLISH")
            promoted.append(registration)
    return promoted


# --- registration ------------------------------------------------------------------------------

@transaction.atomic
def registration_create(
    *,
    session_id: int,
    name: str,
    email: str,
    stakeholder_group: str,
    consent: bool,
    attendance_mode: str | None = None,
    phone: str = "",
    needs: Iterable[str] = (),
    needs_other: str = "",
    contact_consent: bool = False,
    user=None,
    join_waitlist: bool = True,
    now: datetime.datetime | None = None,
) -> Registration:
    """Register for a session: a seat (confirmed for a logged-in resident, held until the
    emailed link is used for anyone else) or, when the pool is full, a place on its waiting list.

    Raises RegistrationError for a closed, cancelled, past or full session, a duplicate
    email, missing consent or an unknown attendance mode.
    """
    now = now or timezone.now()
    try:
        session = DialogueSession.objects.select_for_update().select_related("round").get(pk=session_id)
    except DialogueSession.DoesNotExist:
        raise RegistrationError("not_found", _("Deze bijeenkomst bestaat niet.")) from None
    state = session.registration_state(now)
    if state != "open":
        raise RegistrationError(state, STATE_MESSAGES[state]())
    if not consent:
        raise RegistrationError("consent", _("Geef toestemming voor het gebruik van uw gegevens."), field="consent")
    email = (email or "").strip()
    if not email:
        raise RegistrationError("email", _("Vul uw e-mailadres in."), field="email")
    mode = attendance_mode or (session.modes[0] if session.modes else AttendanceMode.ONSITE)
    if mode not in session.modes:
        raise RegistrationError("mode", _("Kies hoe u meedoet: op locatie of online."), field="attendance_mode")
    # The session row is locked, so this check and the insert below cannot race.
    if Registration.objects.filter(session=session, email__iexact=email).exclude(status=RegistrationStatus.CANCELLED).exists():
        raise RegistrationError("duplicate", _("Met dit e-mailadres is al iemand aangemeld voor deze bijeenkomst."), field="email")
    needs = [n for n in dict.fromkeys(needs) if n in Need.values]

    registration = Registration(
        session=session, user=user if (user is not None and user.is_authenticated) else None,
        name=name.strip(), email=email, phone=phone.strip(), stakeholder_group=stakeholder_group.strip(),
        needs=needs, needs_other=needs_other.strip() if Need.OTHER in needs else "",
        consent=True, contact_consent=contact_consent, attendance_mode=mode, created_at=now,
    )
    if session.seats_free_for(mode) > 0:
        if registration.user is not None:
            registration.status = RegistrationStatus.CONFIRMED
            registration.confirmed_at = now
        else:
            registration.status = RegistrationStatus.PENDING
            registration.hold_expires_at = now + hold_duration()
        registration.save()
        _change_seats(session, mode, +1)
    elif join_waitlist:
        registration.status = RegistrationStatus.WAITLISTED
        registration.waitlisted_at = now
        registration.save()
    else:
        raise RegistrationError("full", _("Deze bijeenkomst is vol."))

    if registration.status == RegistrationStatus.CONFIRMED:
        _mail(registration, session, "registration_confirmed", ics="PUBLISH")
    elif registration.status == RegistrationStatus.PENDING:
        _mail(registration, session, "registration_pending", confirm_url=tokens.link(registration.pk, "confirm"),
              hold_expires_at=registration.hold_expires_at)
    else:
        _mail(registration, session, "registration_waitlisted", position=waitlist_position(registration))
    return registration


@transaction.atomic
def registration_confirm(*, registration_id: int, now: datetime.datetime | None = None) -> Registration:
    """Confirm a held seat by the emailed link. Raises RegistrationError when the hold was
    released or the registration cancelled; confirming twice is harmless."""
    now = now or timezone.now()
    session_id = Registration.objects.filter(pk=registration_id).values_list("session_id", flat=True).first()
    if session_id is None:
        raise RegistrationError("invalid", _("Deze link is niet geldig."))
    session = DialogueSession.objects.select_for_update().select_related("round").get(pk=session_id)
    registration = Registration.objects.select_for_update().get(pk=registration_id)
    if registration.status == RegistrationStatus.PENDING:
        if session.is_cancelled:
            raise RegistrationError("cancelled", STATE_MESSAGES["cancelled"]())
        registration.status = RegistrationStatus.CONFIRMED
        registration.confirmed_at = now
        registration.hold_expires_at = None
        registration.save(update_fields=["status", "confirmed_at", "hold_expires_at"])
        _mail(registration, session, "registration_confirmed", ics="PUBLISH")
        return registration
    if registration.status == RegistrationStatus.CANCELLED:
        raise RegistrationError("expired", _("Deze aanmelding is niet meer geldig. Misschien was de tijd om te bevestigen voorbij, of heeft u zich afgemeld."))
    return registration  # already confirmed (or checked in): the link was used before


@transaction.atomic
def registration_cancel(*, registration_id: int, now: datetime.datetime | None = None, reason: str = "cancelled") -> Registration:
    """Cancel a registration: frees its seat and promotes the first on the waiting list."""
    now = now or timezone.now()
    session_id = Registration.objects.filter(pk=registration_id).values_list("session_id", flat=True).first()
    if session_id is None:
        raise RegistrationError("invalid", _("Deze link is niet geldig."))
    session = DialogueSession.objects.select_for_update().select_related("round").get(pk=session_id)
    registration = Registration.objects.select_for_update().get(pk=registration_id)
    if registration.status == RegistrationStatus.CANCELLED:
        raise RegistrationError("already", _("U bent al afgemeld voor deze bijeenkomst."))
    if registration.status in (RegistrationStatus.ATTENDED, RegistrationStatus.NO_SHOW) or session.starts_at <= now:
        raise RegistrationError("past", _("Deze bijeenkomst is al begonnen of geweest. Afmelden kan niet meer."))
    had_seat = registration.holds_seat
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = now
    registration.hold_expires_at = None
    registration.save(update_fields=["status", "cancelled_at", "hold_expires_at"])
    if had_seat:
        _change_seats(session, registration.attendance_mode, -1)
        if not session.is_cancelled:
            _promote(session, now)
    if reason == "released":
        _mail(registration, session, "registration_released")
    return registration


@transaction.atomic
def waitlist_promote(*, session_id: int, now: datetime.datetime | None = None) -> list[Registration]:
    """Fill free seats from the waiting lists (both pools)."""
    session = DialogueSession.objects.select_for_update().select_related("round").get(pk=session_id)
    if session.registration_state(now) in ("cancelled", "past"):
        return []
    return _promote(session, now or timezone.now())


def registration_release_expired(*, now: datetime.datetime | None = None) -> int:
    """Sweep: release seats held by registrations that were not confirmed in time."""
    now = now or timezone.now()
    ids = list(
        Registration.objects.filter(status=RegistrationStatus.PENDING, hold_expires_at__lt=now)
        .values_list("pk", flat=True)[:1000]
    )
    released = 0
    for pk in ids:
        with transaction.atomic():
            session_id = Registration.objects.values_list("session_id", flat=True).get(pk=pk)
            _lock_session(session_id)
            if not Registration.objects.filter(pk=pk, status=RegistrationStatus.PENDING, hold_expires_at__lt=now).exists():
                continue  # confirmed in the meantime
            registration_cancel(registration_id=pk, now=now, reason="released")
            released += 1
    return released


# --- sessions ----------------------------------------------------------------------------------

@transaction.atomic
def session_create(*, round_page: DialogueRoundPage, **fields) -> DialogueSession:
    session = DialogueSession(round=round_page, **fields)
    session.full_clean()
    session.save()
    return session


@transaction.atomic
def session_update(*, session_id: int, data: dict, now: datetime.datetime | None = None) -> DialogueSession:
    """Change a session. A new time or place bumps the calendar SEQUENCE and emails everyone
    registered; a start moved by more than an hour re-arms the reminders; more capacity
    promotes people from the waiting list."""
    now = now or timezone.now()
    session = DialogueSession.objects.select_for_update().select_related("round").get(pk=session_id)
    old = {f: getattr(session, f) for f in SCHEDULE_FIELDS}
    for key, value in data.items():
        setattr(session, key, value)
    session.full_clean()
    changed = [f for f in SCHEDULE_FIELDS if getattr(session, f) != old[f]]
    if changed:
        session.sequence = F("sequence") + 1
    session.save()
    session.refresh_from_db()
    if old["starts_at"] != session.starts_at and abs(session.starts_at - old["starts_at"]) > datetime.timedelta(hours=1):
        session.registrations.update(reminder_sent_at=None)
    promoted = _promote(session, now) if session.registration_state(now) not in ("cancelled", "past") else []
    if changed and not session.is_cancelled:
        promoted_ids = {r.pk for r in promoted}
        for registration in session.registrations.filter(status__in=ACTIVE_STATUSES).exclude(pk__in=promoted_ids):
            _mail(registration, session, "session_changed", ics="PUBLISH" if registration.holds_seat else None,
                  position=waitlist_position(registration))
    return session


def session_update_capacity(*, session_id: int, capacity_onsite: int, capacity_online: int) -> DialogueSession:
    """Raise or lower the capacity (never below the seats taken); raising promotes."""
    return session_update(session_id=session_id, data={"capacity_onsite": capacity_onsite, "capacity_online": capacity_online})


@transaction.atomic
def session_cancel(*, session_id: int, message: str = "", now: datetime.datetime | None = None) -> DialogueSession:
    """Cancel a session (the only way to take it off: a session with registrations is never
    deleted). Everyone registered or waiting gets an email with a calendar cancellation."""
    now = now or timezone.now()
    session = DialogueSession.objects.select_for_update().select_related("round").get(pk=session_id)
    if session.is_cancelled:
        return session
    session.status = SessionStatus.CANCELLED
    session.cancelled_at = now
    session.sequence += 1
    session.save(update_fields=["status", "cancelled_at", "sequence"])
    for registration in session.registrations.filter(status__in=ACTIVE_STATUSES):
        _mail(registration, session, "session_cancelled", ics="CANCEL", message=message)
    return session


@transaction.atomic
def session_delete(*, session_id: int) -> None:
    """Delete a session that nobody registered for; otherwise refuse (cancel it instead)."""
    session = _lock_session(session_id)
    if session.registrations.exists() or session.evaluations.exists():
        raise RegistrationError("protected", _("Er zijn aanmeldingen voor deze bijeenkomst. U kunt hem niet verwijderen, wel afgelasten."))
    SessionOutcome.objects.filter(session=session).delete()
    session.delete()


@transaction.atomic
def session_message_send(*, session_id: int, subject: str, body: str) -> int:
    """Email a message from the organisers to everyone registered or waiting."""
    session = DialogueSession.objects.select_related("round").get(pk=session_id)
    count = 0
    for registration in session.registrations.filter(status__in=ACTIVE_STATUSES).exclude(email=""):
        _mail(registration, session, "session_message", subject=subject, body=body)
        count += 1
    return count


# --- attendance ---------------------------------------------------------------------------------

@transaction.atomic
def registration_check_in(*, registration_id: int, attended: bool, now: datetime.datetime | None = None) -> Registration:
    """Mark attended or no-show at the door (or afterwards). Seats stay counted."""
    now = now or timezone.now()
    registration = Registration.objects.select_for_update().get(pk=registration_id)
    if registration.status not in (RegistrationStatus.PENDING, RegistrationStatus.CONFIRMED, RegistrationStatus.ATTENDED, RegistrationStatus.NO_SHOW):
        raise RegistrationError("status", _("Alleen aangemelde deelnemers kunt u aanwezig of afwezig melden."))
    if registration.status == RegistrationStatus.PENDING:
        # A pending registration holds a seat; it stays counted as attended/no-show.
        registration.hold_expires_at = None
    registration.status = RegistrationStatus.ATTENDED if attended else RegistrationStatus.NO_SHOW
    registration.checked_in_at = now
    registration.save(update_fields=["status", "checked_in_at", "hold_expires_at"])
    return registration


@transaction.atomic
def registration_add_walk_in(*, session_id: int, stakeholder_group: str, name: str = "", email: str = "",
                             now: datetime.datetime | None = None) -> Registration:
    """Someone who came without registering. Counts for attendance, not for the seats."""
    now = now or timezone.now()
    session = _lock_session(session_id)
    email = email.strip()
    if email and Registration.objects.filter(session=session, email__iexact=email).exclude(status=RegistrationStatus.CANCELLED).exists():
        raise RegistrationError("duplicate", _("Met dit e-mailadres is al iemand aangemeld voor deze bijeenkomst."), field="email")
    return Registration.objects.create(
        session=session, name=name.strip(), email=email, stakeholder_group=stakeholder_group.strip() or "Bewoner",
        status=RegistrationStatus.ATTENDED, walk_in=True, consent=bool(email), checked_in_at=now, created_at=now,
        attendance_mode=session.modes[0] if session.modes else AttendanceMode.ONSITE,
    )


@transaction.atomic
def session_mark_held(*, session_id: int) -> DialogueSession:
    session = _lock_session(session_id)
    if session.status == SessionStatus.PLANNED:
        session.status = SessionStatus.HELD
        session.save(update_fields=["status"])
    return session


# --- outcome and evaluation ---------------------------------------------------------------------

@transaction.atomic
def outcome_publish(*, outcome_id: int, now: datetime.datetime | None = None) -> SessionOutcome:
    """Publish a session's outcome on the round page and email the attendees (once)."""
    now = now or timezone.now()
    outcome = SessionOutcome.objects.select_for_update().get(pk=outcome_id)
    session = DialogueSession.objects.select_related("round").get(pk=outcome.session_id)
    if session.is_cancelled:
        raise RegistrationError("cancelled", _("Deze bijeenkomst is afgelast; er is geen uitkomst te publiceren."))
    first_time = outcome.published_at is None
    if first_time:
        outcome.published_at = now
        outcome.save(update_fields=["published_at"])
        if session.status == SessionStatus.PLANNED:
            DialogueSession.objects.filter(pk=session.pk).update(status=SessionStatus.HELD)
        for registration in session.registrations.filter(status=RegistrationStatus.ATTENDED).exclude(email=""):
            _mail(registration, session, "outcome_published", outcome=outcome)
    return outcome


@transaction.atomic
def outcome_unpublish(*, outcome_id: int) -> SessionOutcome:
    outcome = SessionOutcome.objects.select_for_update().get(pk=outcome_id)
    outcome.published_at = None
    outcome.save(update_fields=["published_at"])
    return outcome


@transaction.atomic
def evaluation_submit(*, registration_id: int, heard: int, useful: int, comment: str = "") -> Evaluation:
    registration = Registration.objects.select_for_update().get(pk=registration_id)
    if registration.status != RegistrationStatus.ATTENDED:
        raise RegistrationError("not_attended", _("Alleen deelnemers die er waren kunnen de bijeenkomst beoordelen."))
    if Evaluation.objects.filter(registration=registration).exists():
        raise RegistrationError("already", _("U heeft deze bijeenkomst al beoordeeld. Dank u wel!"))
    for value in (heard, useful):
        if value not in range(1, 6):
            raise RegistrationError("score", _("Kies een cijfer van 1 tot en met 5."))
    return Evaluation.objects.create(
        session_id=registration.session_id, registration=registration, heard=heard, useful=useful, comment=comment.strip(),
    )


# --- sweeps ---------------------------------------------------------------------------------------

def reminders_send(*, now: datetime.datetime | None = None) -> int:
    """Sweep: remind everyone with a seat of a session that starts within 24 hours. Reads the
    session's current start, so a moved session moves its reminder too."""
    now = now or timezone.now()
    ids = list(
        Registration.objects.filter(
            status=RegistrationStatus.CONFIRMED, reminder_sent_at__isnull=True,
            session__status=SessionStatus.PLANNED, session__starts_at__gt=now, session__starts_at__lte=now + REMINDER_WINDOW,
        ).exclude(email="").values_list("pk", flat=True)[:2000]
    )
    sent = 0
    for pk in ids:
        with transaction.atomic():
            registration = (
                Registration.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, status=RegistrationStatus.CONFIRMED, reminder_sent_at__isnull=True)
                .select_related("session__round").first()
            )
            if registration is None:
                continue
            registration.reminder_sent_at = now
            registration.save(update_fields=["reminder_sent_at"])
            _mail(registration, registration.session, "session_reminder", ics="PUBLISH")
            sent += 1
    return sent


def evaluations_request(*, now: datetime.datetime | None = None) -> int:
    """Sweep: invite attendees of a session that ended (within the last 30 days) to evaluate it."""
    now = now or timezone.now()
    ids = list(
        Registration.objects.filter(
            status=RegistrationStatus.ATTENDED, evaluation_sent_at__isnull=True,
            session__ends_at__lte=now, session__ends_at__gt=now - EVALUATION_WINDOW,
        ).exclude(session__status=SessionStatus.CANCELLED).exclude(email="").values_list("pk", flat=True)[:2000]
    )
    sent = 0
    for pk in ids:
        with transaction.atomic():
            registration = (
                Registration.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, evaluation_sent_at__isnull=True).select_related("session__round").first()
            )
            if registration is None:
                continue
            registration.evaluation_sent_at = now
            registration.save(update_fields=["evaluation_sent_at"])
            DialogueSession.objects.filter(pk=registration.session_id, evaluation_requested_at__isnull=True).update(evaluation_requested_at=now)
            _mail(registration, registration.session, "evaluation_request", evaluate_url=tokens.link(pk, "evaluate"))
            sent += 1
    return sent


def retention_cutoff(now: datetime.datetime) -> datetime.datetime:
    months = int(plugin_setting("REGISTRATION_RETENTION_MONTHS", DEFAULT_RETENTION_MONTHS))
    return now - datetime.timedelta(days=round(months * 30.44))


@transaction.atomic
def registrations_anonymise(registrations, *, now: datetime.datetime | None = None) -> int:
    """Blank the personal data, keeping group, status and mode for anonymous counts."""
    now = now or timezone.now()
    return registrations.filter(anonymised_at__isnull=True).update(
        name="", email="", phone="", needs_other="", user=None, anonymised_at=now,
    )


def retention_purge(*, now: datetime.datetime | None = None) -> int:
    """Daily sweep: anonymise the registrations of rounds whose last session ended more than
    REGISTRATION_RETENTION_MONTHS (default 12) months ago."""
    now = now or timezone.now()
    cutoff = retention_cutoff(now)
    round_ids = (
        DialogueSession.objects.values("round_id").annotate(last=Max("ends_at")).filter(last__lt=cutoff).values("round_id")
    )
    return registrations_anonymise(
        Registration.objects.filter(session__round_id__in=round_ids, anonymised_at__isnull=True), now=now
    )
