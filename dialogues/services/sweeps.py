"""Periodic sweeps: release of unconfirmed seats, reminders, evaluation invitations, retention."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from projects.conf import plugin_setting

from .. import tokens
from ..models import (
    DialogueSession,
    Registration,
    RegistrationStatus,
    SessionStatus,
)
from .common import EVALUATION_WINDOW, REMINDER_WINDOW, _mail
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

