"""Periodic sweeps: release of unconfirmed seats, reminders, evaluation invitations, retention."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from projects.conf import plugin_setting

from .. import tokens
from ..models import (
    DialogueSession,
    Registration,
    RegistrationStatus,
    SessionStatus,
)
from .common import EVALUATION_WINDOW, REMINDER_WINDOW, RegistrationError, _audit, _mail
from .registrations import registrations_anonymise


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
    """Sweep: invite attendees of sessions that ended (within the last 30 days) to evaluate them,
    one session at a time through ``evaluation_invitations_send``."""
    now = now or timezone.now()
    session_ids = list(
        _uninvited().filter(session__ends_at__lte=now, session__ends_at__gt=now - EVALUATION_WINDOW)
        .values_list("session_id", flat=True).distinct()[:500]
    )
    return sum(evaluation_invitations_send(session_id=pk, now=now) for pk in session_ids)


def _uninvited():
    return (
        Registration.objects.filter(status=RegistrationStatus.ATTENDED, evaluation_sent_at__isnull=True)
        .exclude(session__status=SessionStatus.CANCELLED).exclude(email="")
    )


def evaluation_invitations_pending(session: DialogueSession) -> int:
    """How many attendees of the session (with an email address) are not yet invited. A read,
    but kept next to the rule it counts, so the admin's button and the sweep cannot disagree."""
    return _uninvited().filter(session=session).count()


def evaluation_invitations_send(*, session_id: int, by=None, now: datetime.datetime | None = None) -> int:
    """Invite every attendee of one ended session who was not invited yet to evaluate it; the
    hourly sweep and the admin's "Evaluatie nu versturen" both call this. Each invitation is its
    own transaction with the registration row locked (skip_locked), so a sweep and a button press
    at the same moment never invite anyone twice. Returns how many were invited."""
    now = now or timezone.now()
    session = DialogueSession.objects.select_related("round").get(pk=session_id)
    if session.is_cancelled:
        raise RegistrationError("cancelled", _("Deze bijeenkomst is afgelast; er is niets te evalueren."))
    if not session.has_ended(now):
        raise RegistrationError("not_ended", _("De evaluatie kan pas weg als de bijeenkomst voorbij is."))
    ids = list(_uninvited().filter(session=session).values_list("pk", flat=True)[:2000])
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
            DialogueSession.objects.filter(pk=session.pk, evaluation_requested_at__isnull=True).update(evaluation_requested_at=now)
            _mail(registration, registration.session, "evaluation_request", evaluate_url=tokens.link(pk, "evaluate"))
            sent += 1
    if sent:
        with transaction.atomic():
            _audit(session, "evaluation_send", by, invited=sent, by_hand=by is not None)
    return sent


def retention_cutoff(now: datetime.datetime) -> datetime.datetime:
    months = int(plugin_setting("REGISTRATION_RETENTION_MONTHS"))
    return now - datetime.timedelta(days=round(months * 30.44))


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

