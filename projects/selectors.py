"""Reads about projects. Views, the admin, jobs and the council view call these."""

from __future__ import annotations

import datetime

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from .models import ProjectPage, ProjectPhase, ProjectUpdatePage


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


def project_detail_context(project: ProjectPage, *, request=None, today: datetime.date | None = None) -> dict:
    """Everything the public project page shows, computed once."""
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
        "stakeholder_groups": list(project.stakeholder_groups.all()),
        "updates": project_updates(project)[:5],
        "is_following": is_following,
    }
