"""Shared pieces of the dialogue services: the error type, seat counters, waiting-list promotion and mail."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import F, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from projects.conf import absolute_url, plugin_setting
from projects.links import page_path
from projects.mail import RenderedMail, mail_queue, mail_render

from .. import tokens
from ..calendars import session_ics
from ..models import (
    AttendanceMode,
    DialogueSession,
    Registration,
    RegistrationStatus,
)


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
    return datetime.timedelta(hours=plugin_setting("REGISTRATION_HOLD_HOURS"))


STATE_MESSAGES = {
    "cancelled": lambda: _("Deze bijeenkomst is afgelast. U kunt zich niet meer aanmelden."),
    "past": lambda: _("Deze bijeenkomst is al geweest. U kunt zich niet meer aanmelden."),
    "closed": lambda: _("De aanmelding voor deze bijeenkomst is gesloten."),
    "not_yet": lambda: _("De aanmelding voor deze bijeenkomst is nog niet open."),
}


# --- helpers ---------------------------------------------------------------------------------

def _audit(session: DialogueSession, action: str, by, **data) -> None:
    """Write a staff action to Wagtail's audit log, on the session so it shows in the session's
    history. ``data`` holds ids and counts only: the log outlives the retention of personal data."""
    log(instance=session, action=f"dialogues.{action}", user=by if getattr(by, "is_authenticated", False) else None,
        data=data)


def _check_in_allowed(session: DialogueSession, now: datetime.datetime) -> None:
    if not session.check_in_open(now):
        opens = timezone.localtime(session.check_in_opens_at)
        raise RegistrationError("too_early", _(
            "Aanwezigheid bijhouden kan pas vanaf %(time)s, kort voor het begin van de bijeenkomst."
        ) % {"time": formats.date_format(opens, "j F Y H:i")})

def _lock_session(session_id: int) -> DialogueSession:
    return DialogueSession.objects.select_for_update().get(pk=session_id)


def _change_seats(session: DialogueSession, mode: str, delta: int) -> None:
    """F() update of one seat counter; the CHECK constraint refuses any overbooking."""
    field = SEAT_FIELD[AttendanceMode(mode)]
    DialogueSession.objects.filter(pk=session.pk).update(**{field: F(field) + delta})
    setattr(session, field, getattr(session, field) + delta)


def _mail_context(registration: Registration, session: DialogueSession, **extra) -> dict:
    round_page = session.round
    round_url = extra.pop("round_url", None) or absolute_url(page_path(round_page))
    return {
        "registration": registration,
        "session": session,
        "round": round_page,
        "round_url": round_url,
        "cancel_url": tokens.link(registration.pk, "cancel"),
        "ics_url": absolute_url(_reverse("dialogues:session_ics", session.pk)),
        **extra,
    }


def _reverse(name: str, *args) -> str:
    from django.urls import reverse

    return reverse(name, args=args)


def _ics_attachment(session: DialogueSession, method: str = "PUBLISH") -> list[dict]:
    return [{"filename": "bijeenkomst.ics", "content": session_ics(session, method=method), "mimetype": "text/calendar"}]


@dataclass(frozen=True)
class PreparedMail:
    """A rendered mail not stored yet: made before a lock is taken, stored under it."""

    template: str
    to: str
    rendered: RenderedMail
    attachments: tuple[dict, ...] = ()


def _mail_prepare(registration: Registration, session: DialogueSession, template: str, *, ics: str | None = None,
                  **extra) -> PreparedMail | None:
    if not registration.email:
        return None
    rendered = mail_render(template=f"dialogues/email/{template}", context=_mail_context(registration, session, **extra))
    return PreparedMail(template=template, to=registration.email, rendered=rendered,
                        attachments=tuple(_ics_attachment(session, ics)) if ics else ())


def _mail_store(prepared: PreparedMail | None) -> None:
    """Store a prepared mail in the outbox (inside the caller's transaction; delivered after commit)."""
    if prepared is not None:
        mail_queue(to=prepared.to, subject=prepared.rendered.subject, text=prepared.rendered.text,
                   html=prepared.rendered.html, attachments=prepared.attachments)


def _mail(registration: Registration, session: DialogueSession, template: str, *, ics: str | None = None, **extra) -> None:
    _mail_store(_mail_prepare(registration, session, template, ics=ics, **extra))


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

