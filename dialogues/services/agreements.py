"""Following up a session's agreements: staff change an agreement's status and progress."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from projects.sources import memory_changed

from ..models import Agreement, AgreementStatus, DialogueSession
from ..permissions import can_manage_session

PROGRESS_MAX = Agreement._meta.get_field("progress_note").max_length
WHO_MAX = Agreement._meta.get_field("who").max_length


@transaction.atomic
def agreement_update(
    *, agreement_id: int, status: str, progress: str, by, who: str | None = None, due_date: datetime.date | None = None,
) -> Agreement:
    """Set an agreement's status and progress note (and, when not None, who and by when). Only someone who may manage the session's
    project may do so; the change is written to the session's audit log (no personal data:
    ids and statuses only). The agreement row is locked, so two staff members saving at once
    each see the other's result instead of silently overwriting a half-read row."""
    progress = (progress or "").strip()
    errors = {}
    if status not in AgreementStatus.values:
        errors["status"] = _("Kies een status uit de lijst.")
    if len(progress) > PROGRESS_MAX:
        errors["progress"] = _("Schrijf de voortgang in hoogstens %(max)d tekens.") % {"max": PROGRESS_MAX}
    if who is not None and not who.strip():
        errors["who"] = _("Schrijf op wie de afspraak uitvoert.")
    elif who is not None and len(who.strip()) > WHO_MAX:
        errors["who"] = _("Schrijf wie het uitvoert in hoogstens %(max)d tekens.") % {"max": WHO_MAX}
    try:
        agreement = Agreement.objects.select_for_update().get(pk=agreement_id)
    except Agreement.DoesNotExist:
        raise Agreement.DoesNotExist(agreement_id) from None
    session = DialogueSession.objects.select_related("round").get(outcome__pk=agreement.outcome_id)
    if not can_manage_session(by, session):
        raise PermissionDenied
    if errors:
        raise ValidationError(errors)
    data = {
        "agreement": agreement.pk, "from_status": agreement.status, "to_status": status,
        "progress_changed": agreement.progress_note != progress,
    }
    agreement.status, agreement.progress_note = status, progress
    if who is not None:
        data["who_changed"] = agreement.who != who.strip()
        agreement.who = who.strip()
    if due_date is not None:
        agreement.due_date = due_date
        data["due_date"] = due_date.isoformat()
    agreement.save(update_fields=["status", "progress_note", "who", "due_date", "updated_at"])
    log(instance=session, action="dialogues.agreement_update", user=by, data=data)
    if data.get("who_changed"):
        memory_changed([f"outcome:{agreement.outcome_id}"])  # who carries it out is in the search
    return agreement
