"""Registering, confirming, cancelling, checking in; the one home of seat allocation."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _


from .. import tokens
from ..models import (
    AttendanceMode,
    DialogueSession,
    Need,
    Registration,
    RegistrationStatus,
)
from .common import (
    STATE_MESSAGES,
    hold_duration,
    RegistrationError,
    waitlist_position,
    _change_seats,
    _lock_session,
    _mail,
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
def registration_cancel(*, registration_id: int, now: datetime.datetime | None = None, reason: str = "cancelled") -> Registration:
    """Cancel a registration: frees its seat and promotes the first on the waiting list."""
    now = now or timezone.now()
    session, registration = _lock_registration(registration_id)
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
def registrations_anonymise(registrations, *, now: datetime.datetime | None = None) -> int:
    """Blank the personal data, keeping group, status and mode for anonymous counts."""
    now = now or timezone.now()
    return registrations.filter(anonymised_at__isnull=True).update(
        name="", email="", phone="", needs_other="", user=None, anonymised_at=now,
    )

