"""Registering, confirming, cancelling, checking in; the one home of seat allocation."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from projects.conf import absolute_url, site_config
from projects.links import page_path

from .. import tokens
from ..models import (
    AttendanceMode,
    DialogueSession,
    Need,
    Registration,
    RegistrationStatus,
)
from .common import (
    SCHEDULE_FIELDS,
    SEAT_FIELD,
    STATE_MESSAGES,
    hold_duration,
    RegistrationError,
    waitlist_position,
    _audit,
    _change_seats,
    _check_in_allowed,
    _lock_session,
    _mail,
    _mail_prepare,
    _mail_store,
    _promote,
)


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
    session: DialogueSession | None = None,
) -> Registration:
    """Register for a session: a seat (confirmed for a logged-in resident, held until the
    emailed link is used for anyone else) or, when the pool is full, a place on its waiting list.

    ``session`` is the session (with its round) as the caller already read it, e.g. the view
    that built the form, so it is not read twice; it only serves the work before the lock,
    every check is repeated on the locked row.

    Raises RegistrationError for a closed, cancelled, past or full session, a duplicate
    email, missing consent or an unknown attendance mode.
    """
    now = now or timezone.now()
    # Lock order and timing: everything that needs no lock (checks, looking up the municipality
    # and the links, rendering the mail) happens before the session row is locked, because all
    # registrations for a session queue on that one row. Under the lock: the checks again on
    # the locked row, the seat, the insert and storing the mail. The mail is stored in this
    # transaction, so it is never lost; only rendering moved out of the lock.
    if session is not None and session.pk == session_id:
        peek = session
    else:
        try:
            peek = DialogueSession.objects.select_related("round").get(pk=session_id)
        except DialogueSession.DoesNotExist:
            raise RegistrationError("not_found", _("Deze bijeenkomst bestaat niet.")) from None
    mode = _check_registration(peek, now, consent=consent, email=email, attendance_mode=attendance_mode)
    email = email.strip()
    needs = [n for n in dict.fromkeys(needs) if n in Need.values]
    registration = Registration(
        session=peek, user=user if (user is not None and user.is_authenticated) else None,
        name=name.strip(), email=email, phone=phone.strip(), stakeholder_group=stakeholder_group.strip(),
        needs=needs, needs_other=needs_other.strip() if Need.OTHER in needs else "",
        consent=True, contact_consent=contact_consent, attendance_mode=mode, created_at=now,
    )
    context = {"municipality_name": site_config().municipality_name, "round_url": absolute_url(page_path(peek.round))}
    prepared = None
    if peek.seats_free_for(mode) > 0:
        # Most likely a seat: render that mail now, with the id the row will get.
        registration.pk = _reserve_id()
        if registration.pk is not None:
            _give_seat(registration, now)
            prepared = _seat_mail(registration, peek, context)

    # Without the round: a join would lock its page row too, and the peek already has it.
    session = DialogueSession.objects.select_for_update().get(pk=session_id)
    session.round = peek.round
    mode = _check_registration(session, now, consent=consent, email=email, attendance_mode=attendance_mode)
    # The session row is locked, so this check and the insert below cannot race.
    if Registration.objects.filter(session=session, email__iexact=email).exclude(status=RegistrationStatus.CANCELLED).exists():
        raise RegistrationError("duplicate", _("Met dit e-mailadres is al iemand aangemeld voor deze bijeenkomst."), field="email")
    registration.session = session
    if any(getattr(session, f) != getattr(peek, f) for f in SCHEDULE_FIELDS):
        prepared = None  # rescheduled in the meantime: the mail (and its calendar file) must say so

    if session.seats_free_for(mode) > 0:
        _give_seat(registration, now)
        registration.save(force_insert=True)
        _change_seats(session, mode, +1)
        if prepared is None or prepared.template != _seat_template(registration):
            prepared = _seat_mail(registration, session, context)
    elif join_waitlist:
        registration.status = RegistrationStatus.WAITLISTED
        registration.hold_expires_at = registration.confirmed_at = None
        registration.waitlisted_at = now
        registration.save(force_insert=True)
        # The place on the list is only known under the lock, so this mail is rendered here.
        prepared = _mail_prepare(registration, session, "registration_waitlisted", position=waitlist_position(registration),
                                 **context)
    else:
        raise RegistrationError("full", _("Deze bijeenkomst is vol."))
    _mail_store(prepared)
    return registration


def _check_registration(session: DialogueSession, now, *, consent: bool, email: str, attendance_mode: str | None) -> str:
    """The resident's checks on a session (open, consent, email, mode); returns the attendance mode."""
    state = session.registration_state(now)
    if state != "open":
        raise RegistrationError(state, STATE_MESSAGES[state]())
    if not consent:
        raise RegistrationError("consent", _("Geef toestemming voor het gebruik van uw gegevens."), field="consent")
    if not (email or "").strip():
        raise RegistrationError("email", _("Vul uw e-mailadres in."), field="email")
    mode = attendance_mode or (session.modes[0] if session.modes else AttendanceMode.ONSITE)
    if mode not in session.modes:
        raise RegistrationError("mode", _("Kies hoe u meedoet: op locatie of online."), field="attendance_mode")
    return mode


def _reserve_id() -> int | None:
    """The next registration id from its sequence (PostgreSQL), so links in the mail can be
    made before the insert; None elsewhere (SQLite locks the whole database anyway)."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [Registration._meta.db_table])
        return cursor.fetchone()[0]


def _give_seat(registration: Registration, now: datetime.datetime) -> None:
    """A seat: confirmed for a logged-in resident, held until the emailed link is used for anyone else."""
    if registration.user is not None:
        registration.status = RegistrationStatus.CONFIRMED
        registration.confirmed_at = now
    else:
        registration.status = RegistrationStatus.PENDING
        registration.hold_expires_at = now + hold_duration()


def _seat_template(registration: Registration) -> str:
    return "registration_confirmed" if registration.status == RegistrationStatus.CONFIRMED else "registration_pending"


def _seat_mail(registration: Registration, session: DialogueSession, context: dict):
    if registration.status == RegistrationStatus.CONFIRMED:
        return _mail_prepare(registration, session, "registration_confirmed", ics="PUBLISH", **context)
    return _mail_prepare(registration, session, "registration_pending", confirm_url=tokens.link(registration.pk, "confirm"),
                         hold_expires_at=registration.hold_expires_at, **context)


def _lock_registration(registration_id: int) -> tuple[DialogueSession, Registration]:
    """Lock a registration's session, then the registration (always in that order, as
    allocation does, so concurrent confirms, cancels and registrations cannot deadlock)."""
    session_id = Registration.objects.filter(pk=registration_id).values_list("session_id", flat=True).first()
    if session_id is None:
        raise RegistrationError("invalid", _("Deze link is niet geldig."))
    session = DialogueSession.objects.select_for_update().select_related("round").get(pk=session_id)
    return session, Registration.objects.select_for_update().get(pk=registration_id)


@transaction.atomic
def registration_confirm(*, registration_id: int, now: datetime.datetime | None = None) -> Registration:
    """Confirm a held seat by the emailed link. Raises RegistrationError when the hold was
    released or the registration cancelled; confirming twice is harmless."""
    now = now or timezone.now()
    session, registration = _lock_registration(registration_id)
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
def registration_cancel(*, registration_id: int, now: datetime.datetime | None = None, reason: str = "cancelled",
                        by=None, notify: bool = True) -> Registration:
    """Cancel a registration (confirmed, pending or waitlisted): frees its seat and promotes the
    first on the waiting list.

    ``reason`` "cancelled" is the person's own cancel (link or Mijn gegevens) and mails a
    confirmation; "released" is the sweep for an unconfirmed seat. With ``by`` (a staff member)
    it is a cancel by the organisers: written to the audit log, mailed only when ``notify``.
    """
    now = now or timezone.now()
    session, registration = _lock_registration(registration_id)
    if registration.status == RegistrationStatus.CANCELLED:
        if by is not None:
            raise RegistrationError("already", _("Deze aanmelding is al afgezegd."))
        raise RegistrationError("already", _("U bent al afgemeld voor deze bijeenkomst."))
    if registration.status in (RegistrationStatus.ATTENDED, RegistrationStatus.NO_SHOW) or session.starts_at <= now:
        if by is not None:
            raise RegistrationError("past", _("Deze bijeenkomst is al begonnen of geweest. Meld de persoon dan als niet gekomen."))
        raise RegistrationError("past", _("Deze bijeenkomst is al begonnen of geweest. Afmelden kan niet meer."))
    had_seat = registration.holds_seat
    previous = registration.status
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
    elif by is not None:
        _audit(session, "registration_cancel", by, registration_id=registration.pk, previous_status=previous, mailed=bool(notify and registration.email))
        if notify:
            _mail(registration, session, "registration_cancelled", by_staff=True)
    else:
        _mail(registration, session, "registration_cancelled", by_staff=False)
    return registration


@transaction.atomic
def registration_create_on_behalf(
    *,
    session_id: int,
    by,
    name: str,
    stakeholder_group: str,
    consent_given_to_staff: bool,
    email: str = "",
    phone: str = "",
    attendance_mode: str | None = None,
    needs: Iterable[str] = (),
    needs_other: str = "",
    waitlist_when_full: bool = True,
    now: datetime.datetime | None = None,
) -> Registration:
    """Register someone on their behalf (a phone call, a paper form at the library).

    Confirmed at once (no confirm link): the staff member spoke to the person. When the pool is
    full the person goes on its waiting list if ``waitlist_when_full``, otherwise this raises.
    Staff may do this also before registration opens or after it closed, never for a cancelled
    or past session. Without an email address the person gets no mail at all.
    """
    now = now or timezone.now()
    session = DialogueSession.objects.select_for_update().select_related("round").get(pk=session_id)
    state = session.registration_state(now)
    if state in ("cancelled", "past"):
        raise RegistrationError(state, STATE_MESSAGES[state]())
    if not consent_given_to_staff:
        raise RegistrationError("consent", _("Vraag de persoon om toestemming voor het gebruik van de gegevens, en vink dit aan."),
                                field="consent_given_to_staff")
    if not name.strip():
        raise RegistrationError("name", _("Vul de naam in."), field="name")
    email = (email or "").strip()
    mode = attendance_mode or (session.modes[0] if session.modes else AttendanceMode.ONSITE)
    if mode not in session.modes:
        raise RegistrationError("mode", _("Kies hoe de persoon meedoet: op locatie of online."), field="attendance_mode")
    if email and Registration.objects.filter(session=session, email__iexact=email).exclude(status=RegistrationStatus.CANCELLED).exists():
        raise RegistrationError("duplicate", _("Met dit e-mailadres is al iemand aangemeld voor deze bijeenkomst."), field="email")
    needs = [n for n in dict.fromkeys(needs) if n in Need.values]
    registration = Registration(
        session=session, name=name.strip(), email=email, phone=phone.strip(), stakeholder_group=stakeholder_group.strip(),
        needs=needs, needs_other=needs_other.strip() if Need.OTHER in needs else "", consent=True,
        registered_by=by if getattr(by, "is_authenticated", False) else None, attendance_mode=mode, created_at=now,
    )
    if session.seats_free_for(mode) > 0:
        registration.status = RegistrationStatus.CONFIRMED
        registration.confirmed_at = now
        registration.save()
        _change_seats(session, mode, +1)
        _mail(registration, session, "registration_confirmed", ics="PUBLISH")
    elif waitlist_when_full:
        registration.status = RegistrationStatus.WAITLISTED
        registration.waitlisted_at = now
        registration.save()
        _mail(registration, session, "registration_waitlisted", position=waitlist_position(registration))
    else:
        raise RegistrationError("full", _(
            "Er is geen plaats meer (%(mode)s). Zet de persoon op de wachtlijst, of zet iemand van de wachtlijst "
            "later zelf op een plaats."
        ) % {"mode": AttendanceMode(mode).label.lower()}, field="waitlist_when_full")
    _audit(session, "registration_on_behalf", by, registration_id=registration.pk, status=registration.status,
           attendance_mode=mode, mailed=bool(email))
    return registration


def promotion_needs_extra_seat(registration: Registration) -> bool:
    """Whether moving this waiting person up by hand adds a seat to their pool (it is full)."""
    return registration.session.seats_free_for(registration.attendance_mode) <= 0


@transaction.atomic
def waitlist_promote_by_hand(*, registration_id: int, by, allow_extra_seat: bool = True,
                             now: datetime.datetime | None = None) -> Registration:
    """Give a chosen person on the waiting list a seat, ahead of the order of the list.

    When their pool has no free seat, its capacity goes up by one in the same transaction (under
    the session lock, so the counters and the check constraints stay right); with
    ``allow_extra_seat`` False that refuses instead (the staff member was told a seat was free).
    The person gets the promotion email.
    """
    now = now or timezone.now()
    session, registration = _lock_registration(registration_id)
    if registration.status != RegistrationStatus.WAITLISTED:
        raise RegistrationError("status", _("Deze persoon staat niet (meer) op de wachtlijst."))
    if session.registration_state(now) in ("cancelled", "past"):
        raise RegistrationError("past", _("Deze bijeenkomst is afgelast, al begonnen of geweest."))
    mode = registration.attendance_mode
    raised = session.seats_free_for(mode) <= 0
    if raised:
        if not allow_extra_seat:
            raise RegistrationError("full", _("Er is intussen geen plaats meer vrij. Kijk opnieuw: dan komt er een extra plaats bij."))
        capacity_field = "capacity_online" if mode == AttendanceMode.ONLINE else "capacity_onsite"
        needed = getattr(session, SEAT_FIELD[AttendanceMode(mode)]) + 1
        # Exactly enough for one more seat, even if the counters were over a lowered capacity.
        DialogueSession.objects.filter(pk=session.pk).update(**{capacity_field: needed})
        setattr(session, capacity_field, needed)
    registration.status = RegistrationStatus.CONFIRMED
    registration.promoted_at = now
    registration.confirmed_at = now
    registration.save(update_fields=["status", "promoted_at", "confirmed_at"])
    _change_seats(session, mode, +1)
    _mail(registration, session, "registration_promoted", ics="PUBLISH")
    _audit(session, "waitlist_promote_by_hand", by, registration_id=registration.pk, attendance_mode=mode,
           extra_seat=raised, capacity=getattr(session, "capacity_online" if mode == AttendanceMode.ONLINE else "capacity_onsite"))
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


@transaction.atomic
def registration_check_in(*, registration_id: int, attended: bool, by=None, now: datetime.datetime | None = None) -> Registration:
    """Mark attended or no-show at the door (or afterwards), from CHECK_IN_OPENS_MINUTES before
    the start. Seats stay counted."""
    now = now or timezone.now()
    session, registration = _lock_registration(registration_id)
    _check_in_allowed(session, now)
    if registration.status not in (RegistrationStatus.PENDING, RegistrationStatus.CONFIRMED, RegistrationStatus.ATTENDED, RegistrationStatus.NO_SHOW):
        raise RegistrationError("status", _("Alleen aangemelde deelnemers kunt u aanwezig of afwezig melden."))
    if registration.status == RegistrationStatus.PENDING:
        # A pending registration holds a seat; it stays counted as attended/no-show.
        registration.hold_expires_at = None
    registration.status = RegistrationStatus.ATTENDED if attended else RegistrationStatus.NO_SHOW
    registration.checked_in_at = now
    registration.save(update_fields=["status", "checked_in_at", "hold_expires_at"])
    _audit(session, "check_in" if attended else "no_show", by, registration_id=registration.pk)
    return registration


@transaction.atomic
def registration_add_walk_in(*, session_id: int, stakeholder_group: str, name: str = "", email: str = "",
                             by=None, now: datetime.datetime | None = None) -> Registration:
    """Someone who came without registering. Counts for attendance, not for the seats."""
    now = now or timezone.now()
    session = _lock_session(session_id)
    _check_in_allowed(session, now)
    email = email.strip()
    if email and Registration.objects.filter(session=session, email__iexact=email).exclude(status=RegistrationStatus.CANCELLED).exists():
        raise RegistrationError("duplicate", _("Met dit e-mailadres is al iemand aangemeld voor deze bijeenkomst."), field="email")
    registration = Registration.objects.create(
        session=session, name=name.strip(), email=email, stakeholder_group=stakeholder_group.strip() or "Bewoner",
        status=RegistrationStatus.ATTENDED, walk_in=True, consent=bool(email), checked_in_at=now, created_at=now,
        attendance_mode=session.modes[0] if session.modes else AttendanceMode.ONSITE,
    )
    _audit(session, "walk_in", by, registration_id=registration.pk)
    return registration


@transaction.atomic
def registrations_anonymise(registrations, *, now: datetime.datetime | None = None) -> int:
    """Blank the personal data, keeping group, status and mode for anonymous counts."""
    now = now or timezone.now()
    return registrations.filter(anonymised_at__isnull=True).update(
        name="", email="", phone="", needs_other="", user=None, anonymised_at=now,
    )

