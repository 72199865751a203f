"""Reads about reactions on initiatives: the thread, the moderators' list, and what other
parts of the platform take from them (the memory's texts, the signals of "Wat leeft er").
Writes live in ``geo.reaction_services``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext

from projects.sources import SignalCount, period_filters, period_counts

from .models import Initiative, Moderation, Reaction, ReactionReport


def visible_reactions() -> QuerySet[Reaction]:
    """Reactions anyone may read the text of: not hidden by a moderator, not erased, on a
    published initiative."""
    return Reaction.objects.filter(hidden_at__isnull=True, erased=False, initiative__moderation=Moderation.PUBLISHED)


@dataclass
class ThreadItem:
    """One top-level reaction with its replies, oldest first."""

    reaction: Reaction
    replies: list[Reaction] = field(default_factory=list)


def reaction_thread(initiative: Initiative, *, user=None) -> list[ThreadItem]:
    """The whole thread of ``initiative`` in one query, however many reactions: top-level
    reactions oldest first, each with its replies oldest first. Hidden and erased reactions stay
    in place (the template shows why) so replies keep their context. Each reaction gets
    ``by_submitter`` (written by the initiative's submitter), ``is_own`` and ``user_reported``."""
    qs = Reaction.objects.filter(initiative_id=initiative.pk).order_by("created_at", "pk")
    user_id = user.pk if user is not None and user.is_authenticated else None
    if user_id is not None:
        qs = qs.annotate(user_reported=Exists(ReactionReport.objects.filter(reaction=OuterRef("pk"), reporter_id=user_id)))
    qs = qs.defer("hidden_by")
    items: dict[int, ThreadItem] = {}
    orphans: list[Reaction] = []
    for reaction in qs:
        reaction.by_submitter = reaction.author_id is not None and reaction.author_id == initiative.submitter_id
        reaction.is_own = user_id is not None and reaction.author_id == user_id
        if user_id is None:
            reaction.user_reported = False
        if reaction.parent_id is None:
            items[reaction.pk] = ThreadItem(reaction)
        else:
            orphans.append(reaction)
    for reply in orphans:
        if reply.parent_id in items:  # the service keeps replies one level deep
            items[reply.parent_id].replies.append(reply)
    return list(items.values())


def reaction_texts(initiative_ids) -> dict[int, list[str]]:
    """For the memory (search): ``{initiative_id: [visible reaction bodies, oldest first]}`` of
    the published ones among ``initiative_ids``, in one query. Initiatives without visible
    reactions are absent. Never an author: the bodies only."""
    result: dict[int, list[str]] = {}
    rows = visible_reactions().filter(initiative_id__in=list(initiative_ids)).order_by("created_at", "pk").values_list("initiative_id", "body")
    for initiative_id, body in rows:
        result.setdefault(initiative_id, []).append(body)
    return result


def reaction_signal_counts(*, since: datetime.datetime, until: datetime.datetime) -> list[SignalCount]:
    return reaction_signal_counts_periods([(since, until)])[0]


def reaction_signal_counts_periods(periods) -> list[list[SignalCount]]:
    """For "Wat leeft er": visible reactions on published initiatives placed in each
    ``since <= created_at < until`` of ``periods``, counted per the initiative's theme name and
    area code in one aggregate query for all periods. Kind "reaction", only counted (awaiting
    and answered stay 0)."""
    span, each = period_filters("created_at", periods)
    rows = list(
        visible_reactions().filter(span)
        .values("initiative__theme__name", "initiative__area__code")
        .annotate(**period_counts(each))
        .order_by("initiative__theme__name", "initiative__area__code")
    )
    label = gettext("Reacties")
    return [
        [
            SignalCount(
                source="initiatives", kind="reaction", kind_label=label, theme=r["initiative__theme__name"],
                area=r["initiative__area__code"] or "", count=r[f"n{i}"],
            )
            for r in rows if r[f"n{i}"]
        ]
        for i in range(len(periods))
    ]


def reaction_moderation_list(*, within=None) -> QuerySet[Reaction]:
    """Reactions with open reports, oldest report first, for the moderators' list. ``within``
    as in ``selectors.moderation_queue``: None for a moderator (every initiative), else the
    projects the user edits (only their initiatives, never those without a project)."""
    open_reports = ReactionReport.objects.filter(resolved_at__isnull=True)
    qs = (
        Reaction.objects.filter(Exists(open_reports.filter(reaction=OuterRef("pk"))))
        .annotate(open_reports=Count("reports", filter=Q(reports__resolved_at__isnull=True)))
        .select_related("initiative", "initiative__project", "parent")
        .order_by("created_at", "pk")
    )
    if within is not None:
        qs = qs.filter(initiative__project__in=within)
    return qs


def reaction_open_report_count(*, within=None) -> int:
    return reaction_moderation_list(within=within).count()


def reactions_of_user(user) -> QuerySet[Reaction]:
    """The user's own reactions, newest first, with their initiative ("Mijn gegevens")."""
    return Reaction.objects.filter(author=user).select_related("initiative").order_by("-created_at", "-pk")

