"""Planning, changing, cancelling and messaging a session."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from projects import page_cache
from projects.sources import memory_changed

from ..models import (
    ACTIVE_STATUSES,
    DialogueRoundPage,
    DialogueSession,
    SessionOutcome,
    SessionStatus,
)
from .common import SCHEDULE_FIELDS, RegistrationError, waitlist_position, _audit, _lock_session, _mail, _promote
from .outcomes import outcome_memory_key
from ..cache_tags import round_tag


def _outcome_memory_keys(session_id: int) -> list[str]:
    # The outcome's document in the search carries the session's title and date, and leaves
    # the search when the session is cancelled or deleted.
    return [outcome_memory_key(pk) for pk in SessionOutcome.objects.filter(session_id=session_id).values_list("pk", flat=True)]


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
    old_round_id = session.round_id
    for key, value in data.items():
        setattr(session, key, value)
    session.full_clean()
    changed = [f for f in SCHEDULE_FIELDS if getattr(session, f) != old[f]]
    if changed:
        session.sequence = F("sequence") + 1
    session.save()
    session.refresh_from_db()
    if session.round_id != old_round_id:
        page_cache.changed(round_tag(old_round_id))  # the round it left (the save names the new one)
    memory_changed(_outcome_memory_keys(session.pk))
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
def session_cancel(*, session_id: int, message: str = "", by=None, now: datetime.datetime | None = None) -> DialogueSession:
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
    memory_changed(_outcome_memory_keys(session.pk))
    mailed = 0
    for registration in session.registrations.filter(status__in=ACTIVE_STATUSES):
        _mail(registration, session, "session_cancelled", ics="CANCEL", message=message)
        mailed += bool(registration.email)
    _audit(session, "session_cancel", by, mailed=mailed)
    return session


@transaction.atomic
def session_delete(*, session_id: int) -> None:
    """Delete a session that nobody registered for; otherwise refuse (cancel it instead)."""
    session = _lock_session(session_id)
    if session.registrations.exists() or session.evaluations.exists():
        raise RegistrationError("protected", _("Er zijn aanmeldingen voor deze bijeenkomst. U kunt hem niet verwijderen, wel afgelasten."))
    outcome_keys = _outcome_memory_keys(session.pk)  # read before they go
    SessionOutcome.objects.filter(session=session).delete()
    session.delete()
    memory_changed(outcome_keys)


@transaction.atomic
def session_message_send(*, session_id: int, subject: str, body: str, by=None) -> int:
    """Email a message from the organisers to everyone registered or waiting."""
    session = DialogueSession.objects.select_related("round").get(pk=session_id)
    count = 0
    for registration in session.registrations.filter(status__in=ACTIVE_STATUSES).exclude(email=""):
        _mail(registration, session, "session_message", subject=subject, body=body)
        count += 1
    # The subject is the organisers' own text, not personal data; the body stays out of the log.
    _audit(session, "message_send", by, recipients=count, subject=subject[:200])
    return count


@transaction.atomic
def session_mark_held(*, session_id: int, by=None, now: datetime.datetime | None = None) -> DialogueSession:
    """Mark a session as held; only once it has started (before that the public page would say
    "Geweest" for a meeting still to come)."""
    now = now or timezone.now()
    session = _lock_session(session_id)
    if session.status == SessionStatus.PLANNED:
        if now < session.starts_at:
            raise RegistrationError("not_started", _("De bijeenkomst is nog niet begonnen. Markeer hem als gehouden als hij begonnen is."))
        session.status = SessionStatus.HELD
        session.save(update_fields=["status"])
        _audit(session, "session_mark_held", by)
    return session

