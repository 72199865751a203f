"""Background jobs for geo: fetch by id, then call mail or services."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse

from projects.conf import absolute_url
from projects.mail import mail_send

from .models import Reaction, StatusChange, Support
from .reaction_services import updates_stop_token


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


def reaction_notify(reaction_id: int) -> int:
    """Email the initiative's submitter and the supporters who asked to be kept informed about
    a new reaction (never its author; nothing for a reaction hidden or erased meanwhile).
    Each mail carries the person's own "stop these emails" link. Returns the count."""
    from .services import status_change_url

    reaction = Reaction.objects.select_related("initiative__submitter").filter(pk=reaction_id).first()
    if reaction is None or not reaction.is_visible or not reaction.initiative.is_public:
        return 0
    initiative = reaction.initiative
    recipients: dict[int, str] = {}
    if initiative.keep_informed and initiative.submitter_id and initiative.submitter.email:
        recipients[initiative.submitter_id] = initiative.submitter.email
    recipients.update(
        Support.objects.filter(initiative=initiative, keep_informed=True, user__isnull=False)
        .exclude(user__email="").values_list("user_id", "user__email")
    )
    recipients.pop(reaction.author_id, None)
    url = status_change_url(initiative) + f"#reactie-{reaction.pk}"
    with transaction.atomic():
        for user_id, email in sorted(recipients.items(), key=lambda item: item[1]):
            stop_url = absolute_url(reverse("geo:updates_stop", args=[updates_stop_token(initiative_id=initiative.pk, user_id=user_id)]))
            mail_send(
                to=email, template="geo/email/reaction_new",
                context={"initiative": initiative, "reaction": reaction, "url": url, "stop_url": stop_url,
                         "is_reply": reaction.parent_id is not None},
            )
    return len(recipients)
