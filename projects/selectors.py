"""Reads about projects. Views, the admin, jobs and the council view call these."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Case, Exists, F, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import Length, Substr
from django.utils.functional import cached_property
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import page_cache
from .conf import plugin_setting, search_config, site_config
from .models import (
    LADDER_EXPLANATIONS,
    PLAN_QUESTIONS,
    GoalOutcome,
    LadderLevel,
    PhaseKind,
    ProjectFollow,
    ProjectPage,
    ProjectPhase,
    ProjectUpdatePage,
    SuccessCriterion,
)
from .memory_entry import MemoryEntry, themes_value
from .sections import project_sections
from .sources import PersonalSection, all_sources


def live_public(queryset: QuerySet) -> QuerySet:
    """``queryset.live().public()`` without its extra query: Wagtail's ``public()`` first
    fetches every view restriction and then filters on their paths, one query per call, and
    a project page makes several such calls (its sections). Here the restriction check is a
    subquery of the same SQL: a page is private when it or an ancestor (a path prefix) has a
    view restriction."""
    from wagtail.models import PageViewRestriction

    restricted = PageViewRestriction.objects.filter(page__path=Substr(OuterRef("path"), 1, Length("page__path")))
    return queryset.live().exclude(Exists(restricted))


def phase_current(phases, today: datetime.date | None = None) -> ProjectPhase | None:
    """The phase running today; between phases, the last one that started; before the
    first, none. ``phases`` is an ordered iterable (uses prefetched rows, no query)."""
    today = today or timezone.localdate()
    started = [p for p in phases if p.start_date <= today]
    running = [p for p in started if p.end_date >= today]
    if running:
        return running[-1]
    return started[-1] if started else None


def phase_last(phases) -> ProjectPhase | None:
    """The phase that starts last (ties: the later in the plan's order). No query on prefetched rows."""
    return max(phases, key=lambda p: (p.start_date, p.sort_order or 0), default=None)


def success_criterion_list(project: ProjectPage) -> list[SuccessCriterion]:
    """The project's success criteria as stored (not a draft's), each with its assessment.
    No query when the caller prefetched ``criteria__assessment`` (the council view)."""
    cached = getattr(project, "_prefetched_objects_cache", {}).get("criteria")
    if cached is not None:
        return list(cached)
    return list(SuccessCriterion.objects.filter(project_id=project.pk).select_related("assessment", "assessment__assessed_by"))


def goal_assessment_opens_on(project: ProjectPage) -> datetime.date | None:
    """ "Doel bereikt?" may be assessed from the start of the project's last phase; None while
    the project has no phases."""
    last = phase_last(list(project.phases.all()))
    return last.start_date if last is not None else None


def goal_summary(criteria) -> dict:
    """How many success criteria were reached, partly or not, and how many wait for an
    assessment, with one line for people ("2 bereikt, 1 deels"). ``criteria`` are
    SuccessCriterion rows with their assessment prefetched (no query here)."""
    counts = {value: 0 for value in GoalOutcome.values}
    unassessed = 0
    for criterion in criteria:
        assessment = criterion.current_assessment
        if assessment is None:
            unassessed += 1
        else:
            counts[assessment.outcome] = counts.get(assessment.outcome, 0) + 1
    words = {GoalOutcome.REACHED: _("%(count)d bereikt"), GoalOutcome.PARTLY: _("%(count)d deels"),
             GoalOutcome.NOT_REACHED: _("%(count)d niet bereikt")}
    parts = [words[outcome] % {"count": counts[outcome]} for outcome in GoalOutcome.values if counts[outcome]]
    if unassessed:
        parts.append(_("%(count)d nog niet beoordeeld") % {"count": unassessed})
    total = unassessed + sum(counts.values())
    return {"total": total, "assessed": total - unassessed, "unassessed": unassessed, "counts": counts,
            "text": ", ".join(parts)}


def project_list(*, parent=None, live_only: bool = True) -> QuerySet[ProjectPage]:
    """Projects with their phases prefetched, newest first."""
    qs = ProjectPage.objects.all()
    if live_only:
        qs = live_public(qs)
    if parent is not None:
        qs = qs.child_of(parent)
    return qs.prefetch_related(
        Prefetch("phases", queryset=ProjectPhase.objects.order_by("sort_order"))
    ).order_by("-first_published_at", "-pk")


def project_list_running(*, today: datetime.date | None = None, limit: int | None = None) -> list[ProjectPage]:
    """Live projects that are not finished (running or about to start), each with
    ``current_phase`` set (None before the first phase)."""
    result = [p for p in project_list_with_phase(today=today) if not p.is_finished]
    return result[:limit] if limit else result


def project_list_with_phase(
    *, parent=None, phase_kind: str = "", today: datetime.date | None = None
) -> list[ProjectPage]:
    """Live projects, each with ``current_phase`` and ``is_finished`` set; with ``phase_kind``
    only those whose current phase is of that kind."""
    page_cache.valid_until_tomorrow()  # the current phase follows the date
    today = today or timezone.localdate()
    result = []
    for project in project_list(parent=parent):
        phases = list(project.phases.all())
        project.current_phase = phase_current(phases, today)
        project.is_finished = bool(phases) and max(p.end_date for p in phases) < today
        if phase_kind and (project.current_phase is None or project.current_phase.kind != phase_kind):
            continue
        result.append(project)
    return result


def project_index_context(*, parent, phase_kind: str = "", today: datetime.date | None = None) -> dict:
    """The project overview: cards, optionally filtered by the kind of the current phase.
    An unknown kind is ignored (the filter comes from the query string)."""
    if phase_kind not in PhaseKind.values:
        phase_kind = ""
    return {
        "projects": project_list_with_phase(parent=parent, phase_kind=phase_kind, today=today),
        "phase_kinds": PhaseKind.choices,
        "selected_kind": phase_kind,
    }


def project_updates(project: ProjectPage) -> QuerySet[ProjectUpdatePage]:
    return live_public(ProjectUpdatePage.objects.child_of(project)).order_by("-date", "-pk")


def project_plan_answers(project: ProjectPage) -> list[tuple[str, str]]:
    """The participation plan's questions that have an answer, in the plan's order."""
    return [(label, answer) for name, label in PLAN_QUESTIONS if (answer := getattr(project, name).strip())]


def ladder_steps(level: str) -> list[dict]:
    """All steps of the participatieladder, lowest first, with the project's step marked."""
    return [
        {"value": value, "label": label, "explanation": LADDER_EXPLANATIONS[value], "is_current": value == level}
        for value, label in LadderLevel.choices
    ]


def project_map_config(project: ProjectPage, *, request=None) -> dict | None:
    """What the public map script needs: the area and the tiles. None without an area."""
    if not project.area:
        return None
    config = site_config(request)
    return {
        "area": project.area,
        "center": list(config.map_center),
        "zoom": config.map_zoom,
        "tiles_url": plugin_setting("MAP_TILES_URL"),
        "tiles_attribution": plugin_setting("MAP_TILES_ATTRIBUTION"),
    }


def project_follower_count(project: ProjectPage) -> int:
    return project.follows.count()


def project_detail_context(project: ProjectPage, *, request=None, today: datetime.date | None = None) -> dict:
    """Everything the public project page shows, computed once.

    ``sections`` holds what other apps add through ``projects.sections.PROJECT_SECTIONS_HOOK``,
    grouped by slot ("doe_mee", "results").
    """
    page_cache.valid_until_tomorrow()  # the current phase follows the date
    today = today or timezone.localdate()
    phases = list(project.phases.order_by("sort_order"))
    current = phase_current(phases, today)
    for phase in phases:
        phase.state_today = "current" if phase is current else phase.state(today)
    is_following = False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        is_following = project.follows.filter(user=user).exists()
    return {
        "project": project,
        "phases": phases,
        "current_phase": current,
        "ladder_steps": ladder_steps(project.ladder_level),
        "plan_answers": project_plan_answers(project),
        "success_criteria": [c.text for c in project.criteria.all() if c.text.strip()],
        "stakeholder_groups": list(project.stakeholder_groups.all()),
        "updates": list(project_updates(project)[:5]),
        "is_following": is_following,
        "map_config": project_map_config(project, request=request),
        "sections": project_sections(project=project, request=request),
    }


def user_personal_sections(*, user) -> list[PersonalSection]:
    """The blocks every participation source shows on the user's "Mijn gegevens" page, in order."""
    return sorted(
        (section for source in all_sources() for section in source.personal_sections(user)),
        key=lambda section: section.order,
    )


def user_follow_list(*, user) -> QuerySet[ProjectFollow]:
    """The projects ``user`` follows, as ProjectFollow rows with their project, by title."""
    return ProjectFollow.objects.filter(user=user).select_related("project").order_by("project__title")


def page_delete_blockers(page) -> list[str]:
    """Why ``page`` (or a page below it) may not be deleted: records that would be lost.

    A project is kept while a participation source reports records for it or while anyone
    follows it; a news item is kept once its followers were emailed (the mail links to it).
    Editors unpublish such pages instead. Returns Dutch reasons for the editor; empty if
    deleting is safe.
    """
    from wagtail.models import Page

    from .models import UpdateNotification
    from .sources import all_sources

    pages = Page.objects.descendant_of(page, inclusive=True)
    reasons = []
    for project in ProjectPage.objects.filter(pk__in=pages.values("pk")).order_by("path"):
        labels = [str(source.label) for source in all_sources() if source.project_has_records(project)]
        if labels:
            reasons.append(
                _("“%(title)s” heeft inbreng van inwoners (%(sources)s).")
                % {"title": project.title, "sources": ", ".join(labels)}
            )
        followers = project.follows.count()
        if followers:
            reasons.append(
                ngettext(
                    "“%(title)s” heeft %(count)s volger.", "“%(title)s” heeft %(count)s volgers.", followers
                ) % {"title": project.title, "count": followers}
            )
    notified = UpdateNotification.objects.filter(update__in=pages.values("pk")).select_related("update")
    for notification in notified:
        reasons.append(
            _("Over “%(title)s” is al een e-mail naar de volgers gestuurd.") % {"title": notification.update.title}
        )
    return reasons


# --- the memory: the search over everything public (projects/memory.py fills it) -------------

SNIPPET_START, SNIPPET_STOP = "\x02", "\x03"  # never in a document (memory_entry.plain_text)
SNIPPET_CHARS = 240
MEMORY_COUNT_CAP = 1000  # results counted at most (MemoryPaginator)


@dataclass(frozen=True)
class MemoryFilters:
    """What the search page asks for; every field optional (validated by the view's form)."""

    q: str = ""
    kind: str = ""
    project_id: int | None = None
    area: str = ""
    theme: str = ""
    since: datetime.date | None = None
    until: datetime.date | None = None

    @property
    def any(self) -> bool:
        return bool(self.q or self.kind or self.project_id or self.area or self.theme or self.since or self.until)


def _tsquery(q: str):
    """What a resident typed, as PostgreSQL's web search syntax reads it: all words must occur
    (stemmed), "…" for a phrase, "of"/"or" between alternatives, -word to exclude. It never
    fails on odd input; words it drops (stop words like "de") match nothing on their own."""
    from django.contrib.postgres.search import SearchQuery

    return SearchQuery(q, search_type="websearch", config=search_config())


def memory_search(filters: MemoryFilters) -> QuerySet[MemoryEntry]:
    """The memory's entries matching ``filters``: best match first for words, newest first
    without. One query per page, however many documents there are; count it with
    ``MemoryPaginator`` (capped), not ``len`` or ``count()`` on all matches.

    PostgreSQL matches ``search_vector`` through its GIN index (stemmed in
    ``conf.search_config()``, "bomen" finds "boom"), the filters through their b-tree indexes,
    and ranks the matches (a title counts more than the body). Elsewhere (SQLite, ``make run``)
    every word must occur in the title or body, titles that hold them all first."""
    entries = MemoryEntry.objects.defer("search_vector")
    if filters.kind:
        entries = entries.filter(kind=filters.kind)
    if filters.project_id:
        entries = entries.filter(project_id=filters.project_id)
    if filters.area:
        entries = entries.filter(area=filters.area)
    if filters.theme:
        entries = entries.filter(themes__contains=themes_value([filters.theme]))
    if filters.since:
        entries = entries.filter(date__gte=filters.since)
    if filters.until:
        entries = entries.filter(date__lte=filters.until)
    if not filters.q:
        return entries.order_by("-date", "-id")
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchRank

        query = _tsquery(filters.q)
        return entries.filter(search_vector=query).annotate(
            rank=SearchRank(F("search_vector"), query)).order_by("-rank", "-date", "-id")
    words = _words(filters.q)
    if not words:
        return entries.none()
    in_title = Q()
    for word in words:
        entries = entries.filter(Q(title__icontains=word) | Q(body__icontains=word))
        in_title &= Q(title__icontains=word)
    return entries.annotate(in_title=Case(When(in_title, then=Value(1)), default=Value(0))).order_by(
        "-in_title", "-date", "-id")


def _words(q: str) -> list[str]:
    return re.findall(r"\w+", q.lower())


class MemoryPaginator(Paginator):
    """Pages the search's results, counting at most ``cap`` of them: an exact count of
    50,000 matches costs more than the page itself, and nobody reads past the first thousand.
    ``capped`` says there were more (the page says "meer dan 1.000 resultaten")."""

    cap = MEMORY_COUNT_CAP
    capped = False

    @cached_property
    def count(self) -> int:
        # Without the ordering: ranking every match only to count them is the cost we avoid.
        found = self.object_list.order_by().values("pk")[: self.cap + 1].count()
        self.capped = found > self.cap
        return min(found, self.cap)


def memory_snippets(entries, q: str) -> dict[int, SafeString]:
    """{entry pk: a short passage of its body with the matched words in <mark>}, escaped.

    On PostgreSQL the database marks the words as the search matched them (``ts_headline``,
    so "bomen" marks "boom"), for the shown page only, in one query; elsewhere a word-prefix
    match in Python. Without words: the start of the body."""
    entries = list(entries)
    if not entries:
        return {}
    if not q:
        return {e.pk: _escape_marked(_shorten(e.body)) for e in entries}
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchHeadline

        rows = MemoryEntry.objects.filter(pk__in=[e.pk for e in entries]).annotate(snippet=SearchHeadline(
            "body", _tsquery(q), config=search_config(),
            start_sel=SNIPPET_START, stop_sel=SNIPPET_STOP, max_words=40, min_words=20, max_fragments=2,
            fragment_delimiter=" … ",
        )).values_list("pk", "snippet")
        return {pk: _escape_marked(snippet or "") for pk, snippet in rows}
    return {e.pk: _escape_marked(_python_snippet(e.body, q)) for e in entries}


def _shorten(text: str) -> str:
    if len(text) <= SNIPPET_CHARS:
        return text
    return text[:SNIPPET_CHARS].rsplit(" ", 1)[0] + " …"


def _python_snippet(text: str, q: str) -> str:
    words = [w for w in _words(q) if len(w) >= 2]
    if not words:
        return _shorten(text)
    # A prefix of each word (its first five letters at most) stands in for stemming.
    pattern = re.compile(r"\b(" + "|".join(re.escape(w[:5]) for w in words) + r")\w*", re.IGNORECASE)
    match = pattern.search(text)
    start = max(0, (match.start() if match else 0) - 60)
    window = text[start:start + SNIPPET_CHARS]
    if start:
        window = "… " + window.split(" ", 1)[-1]
    if start + SNIPPET_CHARS < len(text):
        window = window.rsplit(" ", 1)[0] + " …"
    return pattern.sub(lambda m: f"{SNIPPET_START}{m.group(0)}{SNIPPET_STOP}", window)


def _escape_marked(text: str) -> SafeString:
    """Escape everything, then turn the highlight sentinels into <mark> elements: the only
    HTML in a snippet is ours."""
    escaped = escape(text)
    return mark_safe(escaped.replace(SNIPPET_START, "<mark>").replace(SNIPPET_STOP, "</mark>"))  # noqa: S308
