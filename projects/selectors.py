"""Reads about projects. Views, the admin, jobs and the council view call these."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from .conf import site_config
from .models import (
    LADDER_EXPLANATIONS,
    PLAN_QUESTIONS,
    LadderLevel,
    ProjectFollow,
    ProjectPage,
    ProjectPhase,
    ProjectUpdatePage,
)
from .sections import project_sections
from .sources import PersonalSection, all_sources


def phase_current(phases, today: datetime.date | None = None) -> ProjectPhase | None:
    """The phase running today; between phases, the last one that started; before the
    first, none. ``phases`` is an ordered iterable (uses prefetched rows, no query)."""
    today = today or timezone.localdate()
    started = [p for p in phases if p.start_date <= today]
    running = [p for p in started if p.end_date >= today]
    if running:
        return running[-1]
    return started[-1] if started else None


def project_list(*, parent=None, live_only: bool = True) -> QuerySet[ProjectPage]:
    """Projects with their phases prefetched, newest first."""
    qs = ProjectPage.objects.all()
    if live_only:
        qs = qs.live().public()
    if parent is not None:
        qs = qs.child_of(parent)
    return qs.prefetch_related(
        Prefetch("phases", queryset=ProjectPhase.objects.order_by("sort_order"))
    ).order_by("-first_published_at", "-pk")


def project_list_running(*, today: datetime.date | None = None, limit: int | None = None) -> list[ProjectPage]:
    """Live projects that have a current phase and are not finished, each with ``current_phase`` set."""
    today = today or timezone.localdate()
    result = []
    for project in project_list():
        phases = list(project.phases.all())
        project.current_phase = phase_current(phases, today)
        if phases and phases[-1].end_date < today:
            continue
        result.append(project)
    return result[:limit] if limit else result


def project_updates(project: ProjectPage) -> QuerySet[ProjectUpdatePage]:
    return ProjectUpdatePage.objects.child_of(project).live().public().order_by("-date", "-pk")


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
        "tiles_url": settings.MAP_TILES_URL,
        "tiles_attribution": settings.MAP_TILES_ATTRIBUTION,
    }


def project_follower_count(project: ProjectPage) -> int:
    return project.follows.count()


def project_detail_context(project: ProjectPage, *, request=None, today: datetime.date | None = None) -> dict:
    """Everything the public project page shows, computed once.

    ``sections`` holds what other apps add through ``projects.sections.PROJECT_SECTIONS_HOOK``,
    grouped by slot ("doe_mee", "results").
    """
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
        "phases": phases,
        "current_phase": current,
        "ladder_steps": ladder_steps(project.ladder_level),
        "plan_answers": project_plan_answers(project),
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
