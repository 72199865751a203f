"""Background jobs for geo: fetch by id, then call mail or services."""

from __future__ import annotations

from django.db import transaction

from projects.mail import mail_send

from .models import StatusChange, Support


def status_change_notify(change_id: int) -> int:
    """Email the submitter and the supporters who asked to be kept informed. Returns the count."""
    change = StatusChange.objects.select_related("initiative__submitter").filter(pk=change_id).first()
    if change is None:
        return 0
    initiative = change.initiative
    from .services import status_change_url

    recipients: set[str] = set()
    if initiative.submitter_id and initiative.submitter.email:
        recipients.add(initiative.submitter.email)
    recipients.update(
        Support.objects.filter(initiative=initiative, keep_informed=True, user__isnull=False)
        .exclude(user__email="").values_list("user__email", flat=True)
    )
    context = {"initiative": initiative, "change": change, "url": status_change_url(initiative)}
    with transaction.atomic():
        for email in sorted(recipients):
            mail_send(to=email, template="geo/email/status_changed", context=context)
    return len(recipients)


def map_cells_rebuild() -> int:
    """Nightly repair: recompute the map's pre-aggregated cells from the initiatives (clears
    float drift in the running sums and anything a bulk change in the database bypassed)."""
    from .clustering import cells_rebuild

    return cells_rebuild()
