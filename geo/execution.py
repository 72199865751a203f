"""Carrying out adopted initiatives: the writes behind the accountability overview.

An initiative the municipality adopted (overgenomen, deels overgenomen) is a promise; this
module keeps who carries it out, by when, and how far it got, in the shared vocabulary
``projects.sources.CommitmentStatus``.

How the two statuses relate: the public status (``Status``, with a written answer, changed
only by ``services.initiative_set_status``) says what the municipality decided; the execution
status says how far the work is. Setting the public status to "uitgevoerd" sets the execution
to "gedaan" (``initiative_set_status`` does it). "Gedaan" does not change the public status:
that needs a written answer to the submitter and supporters, which is the moderator's call.
While the public status is "uitgevoerd", the execution stays "gedaan".
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from projects.sources import CommitmentStatus

from .models import Initiative, Moderation, Status
from .services import user_can_moderate

# Public statuses that make an initiative a commitment of the municipality.
ADOPTED_STATUSES = (Status.OVERGENOMEN, Status.DEELS_OVERGENOMEN, Status.UITGEVOERD)

RESPONSIBLE_MAX = Initiative._meta.get_field("responsible").max_length
PROGRESS_MAX = Initiative._meta.get_field("progress_note").max_length


def can_manage_execution(user, initiative: Initiative) -> bool:
    """Who answers the initiative also follows up on it: moderators, and editors of its project
    (``services.user_can_moderate``)."""
    return user_can_moderate(user, initiative)


@transaction.atomic
def initiative_execution_update(
    *, initiative_id: int, status: str, progress: str, by,
    responsible: str | None = None, due_date: datetime.date | None = None,
) -> Initiative:
    """Record how far an adopted, published initiative has been carried out. ``responsible``
    and ``due_date`` stay as they are when None. The row
    is locked; the change goes to the initiative's audit log, with ids and statuses only."""
    initiative = Initiative.objects.select_for_update(of=("self",)).select_related("project").get(pk=initiative_id)
    if not can_manage_execution(by, initiative):
        raise PermissionDenied
    progress = (progress or "").strip()
    errors = {}
    if initiative.moderation != Moderation.PUBLISHED or initiative.status not in ADOPTED_STATUSES:
        errors["status"] = _("Dit initiatief is (nog) niet overgenomen. Alleen overgenomen initiatieven hebben een uitvoering.")
    elif status not in CommitmentStatus.values:
        errors["status"] = _("Kies een status uit de lijst.")
    elif initiative.status == Status.UITGEVOERD and status != CommitmentStatus.DONE:
        errors["status"] = _("Dit initiatief is uitgevoerd. De uitvoering blijft daarom op ‘Gedaan’.")
    if len(progress) > PROGRESS_MAX:
        errors["progress"] = _("Schrijf de voortgang in hoogstens %(max)d tekens.") % {"max": PROGRESS_MAX}
    if responsible is not None and len(responsible.strip()) > RESPONSIBLE_MAX:
        errors["who"] = _("Schrijf wie het uitvoert in hoogstens %(max)d tekens.") % {"max": RESPONSIBLE_MAX}
    if errors:
        raise ValidationError(errors)
    data = {
        "initiative": initiative.pk, "from_status": initiative.execution_status, "to_status": status,
        "progress_changed": initiative.progress_note != progress,
    }
    initiative.execution_status, initiative.progress_note = status, progress
    if responsible is not None:
        data["responsible_changed"] = initiative.responsible != responsible.strip()
        initiative.responsible = responsible.strip()
    if due_date is not None:
        initiative.due_date = due_date
        data["due_date"] = due_date.isoformat()
    initiative.execution_updated_at = timezone.now()
    initiative.save(update_fields=["execution_status", "progress_note", "responsible", "due_date", "execution_updated_at"])
    log(instance=initiative, action="geo.initiative_execution_update", user=by, data=data)
    return initiative
