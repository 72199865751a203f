"""Publishing a session's outcome and collecting evaluations."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _


from ..models import (
    DialogueSession,
    Evaluation,
    Registration,
    RegistrationStatus,
    SessionOutcome,
    SessionStatus,
)
from django.utils import formats

from projects.sources import memory_changed

from .common import RegistrationError, _audit, _mail


def outcome_memory_key(outcome_id: int) -> str:
    """An outcome's key in the search (dialogues.sources: memory_documents)."""
    return f"outcome:{outcome_id}"


@transaction.atomic
def outcome_publish(*, outcome_id: int, by=None, now: datetime.datetime | None = None) -> SessionOutcome:
    """Publish a session's outcome on the round page and email the attendees (once). Only after
    the session ended: an outcome of a meeting still to come would mislead the round page and
    the policy check alike."""
    now = now or timezone.now()
    outcome = SessionOutcome.objects.select_for_update().get(pk=outcome_id)
    session = DialogueSession.objects.select_related("round").get(pk=outcome.session_id)
    if session.is_cancelled:
        raise RegistrationError("cancelled", _("Deze bijeenkomst is afgelast; er is geen uitkomst te publiceren."))
    if not session.has_ended(now):
        raise RegistrationError("not_ended", _("U kunt de uitkomst publiceren als de bijeenkomst voorbij is: vanaf %(time)s.") % {
            "time": formats.date_format(timezone.localtime(session.ends_at), "j F Y H:i")})
    first_time = outcome.published_at is None
    if first_time:
        outcome.published_at = now
        outcome.save(update_fields=["published_at"])
        if session.status == SessionStatus.PLANNED:
            DialogueSession.objects.filter(pk=session.pk).update(status=SessionStatus.HELD)
        for registration in session.registrations.filter(status=RegistrationStatus.ATTENDED).exclude(email=""):
            _mail(registration, session, "outcome_published", outcome=outcome)
        _audit(session, "outcome_publish", by, outcome_id=outcome.pk)
        memory_changed([outcome_memory_key(outcome.pk)])
    return outcome


@transaction.atomic
def outcome_unpublish(*, outcome_id: int, by=None) -> SessionOutcome:
    outcome = SessionOutcome.objects.select_for_update().select_related("session").get(pk=outcome_id)
    if outcome.published_at is not None:
        outcome.published_at = None
        outcome.save(update_fields=["published_at"])
        _audit(outcome.session, "outcome_unpublish", by, outcome_id=outcome.pk)
        memory_changed([outcome_memory_key(outcome.pk)])
    return outcome


@transaction.atomic
def outcome_memory_refresh(*, outcome_id: int) -> None:
    """An outcome's text, quotes or agreements were edited (the admin's outcome form saves
    them through Wagtail's generic views): the search follows, in the edit's transaction."""
    memory_changed([outcome_memory_key(outcome_id)])


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

