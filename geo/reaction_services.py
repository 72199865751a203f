"""Writes about reactions on initiatives: react and reply, report, hide, dismiss reports,
stop the emails, and the erasure of a resident's reactions. Views, the admin and the demo call
these; reads are in ``geo.reactions``.

Every write that changes what the public thread shows keeps ``Initiative.reaction_count``
(visible reactions) in step with F() and tells the memory (``projects.sources.memory_changed``)
inside its transaction.
"""

from __future__ import annotations

from collections import Counter

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from projects.jobs import enqueue
from projects.sources import memory_changed

from .cache_tags import initiatives_changed
from .models import REACTION_MAX, Initiative, Moderation, Reaction, ReactionReport, Support
from .services import user_can_moderate, user_is_verified

# What an erased reaction says instead of its text (stored, so every reader sees the same).
ERASED_BODY = "Deze reactie is verwijderd."
HIDE_REASON_MAX = 500
_STOP_SALT = "geo.initiative-updates-stop"


def _memory_key(initiative_id: int) -> str:
    return f"initiative:{initiative_id}"


def _count_change(initiative_id: int, delta: int) -> None:
    qs = Initiative.objects.filter(pk=initiative_id)
    if delta < 0:
        qs = qs.filter(reaction_count__gte=-delta)
    qs.update(reaction_count=F("reaction_count") + delta)


@transaction.atomic
def reaction_create(*, initiative: Initiative, author, body: str, parent: Reaction | None = None) -> Reaction:
    """Place a reaction (or, with ``parent``, a reply) on a published initiative. A reply to a
    reply hangs under the same top-level reaction: the thread is one level deep. The initiative's
    submitter and the supporters who asked for updates get an email (a job, after commit)."""
    if not user_is_verified(author):
        raise PermissionDenied(_("Log in met een bevestigd e-mailadres om te reageren."))
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Schrijf uw reactie.")})
    if len(body) > REACTION_MAX:
        raise ValidationError({"body": _("Uw reactie is te lang: hoogstens %(max)s tekens, u heeft er %(n)s.") % {"max": REACTION_MAX, "n": len(body)}})
    if parent is not None:
        if parent.initiative_id != initiative.pk:
            raise ValidationError({"parent": _("Deze reactie hoort niet bij dit initiatief.")})
        if parent.parent_id is not None:
            parent = Reaction.objects.get(pk=parent.parent_id)
        if parent.hidden_at is not None:
            raise ValidationError({"body": _("Op een verborgen reactie kunt u niet reageren.")})
    reaction = Reaction(initiative=initiative, parent=parent, author=author, body=body)
    reaction.full_clean()
    reaction.save()
    # The condition makes the check and the count one statement: no lock, and an initiative
    # that was just rejected takes no reaction.
    if not Initiative.objects.filter(pk=initiative.pk, moderation=Moderation.PUBLISHED).update(reaction_count=F("reaction_count") + 1):
        raise ValidationError({"body": _("Op dit initiatief kunt u (nog) niet reageren.")})
    memory_changed([_memory_key(initiative.pk)])
    from .tasks import reaction_notify

    enqueue(reaction_notify, reaction.pk)
    return reaction


@transaction.atomic
def reaction_report(*, reaction: Reaction, reporter) -> bool:
    """Flag a reaction for the moderators, once per resident. Returns False if this resident
    reported it before (also when a moderator already looked at it)."""
    if not user_is_verified(reporter):
        raise PermissionDenied(_("Log in met een bevestigd e-mailadres om een reactie te melden."))
    if not reaction.is_visible or not Initiative.objects.filter(pk=reaction.initiative_id, moderation=Moderation.PUBLISHED).exists():
        raise ValidationError(_("Deze reactie kunt u niet melden."))
    try:
        with transaction.atomic():
            ReactionReport.objects.create(reaction=reaction, reporter=reporter)
    except IntegrityError:
        return False
    return True


def _moderator_check(user, reaction: Reaction) -> Initiative:
    initiative = Initiative.objects.get(pk=reaction.initiative_id)
    if not user_can_moderate(user, initiative):
        raise PermissionDenied(_("U mag deze reactie niet modereren."))
    return initiative


@transaction.atomic
def reaction_hide(*, reaction: Reaction, moderator, reason: str) -> Reaction:
    """Hide a reaction with a public reason ("Deze reactie is verborgen door de moderator:
    <reden>") and close its reports. Written to the initiative's audit log."""
    initiative = _moderator_check(moderator, reaction)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Schrijf op waarom u deze reactie verbergt. Iedereen ziet die reden.")})
    if len(reason) > HIDE_REASON_MAX:
        raise ValidationError({"reason": _("De reden is te lang: hoogstens %(max)s tekens.") % {"max": HIDE_REASON_MAX}})
    reaction = Reaction.objects.select_for_update().get(pk=reaction.pk)
    if reaction.hidden_at is not None:
        raise ValidationError({"reason": _("Deze reactie is al verborgen.")})
    was_visible = reaction.is_visible
    reaction.hidden_at, reaction.hidden_by, reaction.hidden_reason = timezone.now(), moderator, reason
    reaction.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    if was_visible:
        _count_change(reaction.initiative_id, -1)
    resolved = reaction.reports.filter(resolved_at__isnull=True).update(resolved_at=reaction.hidden_at)
    memory_changed([_memory_key(reaction.initiative_id)])
    # The reason is public on the page anyway; the reaction's text and author stay out of the log.
    log(instance=initiative, action="geo.reaction_hide", user=moderator, data={"reaction": reaction.pk, "reason": reason, "reports": resolved})
    return reaction


@transaction.atomic
def reaction_reports_dismiss(*, reaction: Reaction, moderator) -> int:
    """The reaction stays: close its open reports. Returns how many were closed."""
    initiative = _moderator_check(moderator, reaction)
    resolved = reaction.reports.filter(resolved_at__isnull=True).update(resolved_at=timezone.now())
    if resolved:
        log(instance=initiative, action="geo.reaction_reports_dismiss", user=moderator, data={"reaction": reaction.pk, "reports": resolved})
    return resolved


@transaction.atomic
def reactions_personal_data_erase(*, user) -> None:
    """AVG: the user's reactions lose their author and text ("Deze reactie is verwijderd."),
    keeping their place so replies keep theirs; their reports become anonymous."""
    reactions = Reaction.objects.filter(author=user)
    visible = Counter(reactions.filter(hidden_at__isnull=True, erased=False).values_list("initiative_id", flat=True))
    initiative_ids = set(reactions.values_list("initiative_id", flat=True))
    reactions.update(author=None, erased=True, body=ERASED_BODY)
    for initiative_id, n in visible.items():
        _count_change(initiative_id, -n)
    ReactionReport.objects.filter(reporter=user).update(reporter=None)
    memory_changed([_memory_key(pk) for pk in sorted(initiative_ids)])
    # "Deze reactie is verwijderd.", and fewer reactions counted wherever the initiative is shown.
    initiatives_changed(Initiative.objects.filter(pk__in=initiative_ids).only("pk", "project_id"))


# --- the "stop these emails" link in every reaction email ----------------------------------

def updates_stop_token(*, initiative_id: int, user_id: int) -> str:
    return signing.dumps([initiative_id, user_id], salt=_STOP_SALT, compress=True)


def updates_stop_from_token(token: str) -> tuple[Initiative, int] | None:
    """(initiative, user id) for a valid link, else None."""
    try:
        initiative_id, user_id = signing.loads(token, salt=_STOP_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    initiative = Initiative.objects.filter(pk=initiative_id).first()
    return (initiative, user_id) if initiative is not None else None


@transaction.atomic
def updates_stop(*, initiative: Initiative, user_id: int) -> None:
    """No more emails about this initiative for this user: as its submitter and as a supporter."""
    Initiative.objects.filter(pk=initiative.pk, submitter_id=user_id).update(keep_informed=False)
    Support.objects.filter(initiative=initiative, user_id=user_id).update(keep_informed=False)
