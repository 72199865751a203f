"""Reads for the accountability overview: "Wat is er afgesproken en wat is ervan gekomen".

Every commitment (an agreement from a session, an adopted initiative...) comes from the
participation sources (``projects.sources.commitments_for``); this module puts them next to
their project, marks the overdue ones, filters and counts. The public pages and the staff
list in the admin both read it, in a fixed number of queries however many commitments.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass

from django.utils import timezone

from .models import ProjectPage
from .permissions import editable_paths
from .selectors import project_list
from .sources import Commitment, CommitmentStatus, commitment_manageable, commitments_for


@dataclass(frozen=True)
class CommitmentRow:
    project: ProjectPage
    commitment: Commitment
    overdue: bool
    can_update: bool = False


@dataclass(frozen=True)
class CommitmentFilters:
    project_id: int | None = None
    status: str = ""
    kind: str = ""
    area: str = ""
    overdue_only: bool = False


def projects_public() -> list[ProjectPage]:
    return list(project_list().order_by("title", "pk"))


def projects_editable_ids(user, projects) -> set[int]:
    """Which of ``projects`` the user may edit (page permissions on the project or above),
    in one query; superusers all of them."""
    if not (user and user.is_authenticated and user.is_active):
        return set()
    if user.is_superuser:
        return {p.pk for p in projects}
    paths = editable_paths(user)
    return {p.pk for p in projects if any(p.path.startswith(path) for path in paths)}


def commitment_rows_public(projects, *, today: datetime.date | None = None) -> list[CommitmentRow]:
    """Public commitments of ``projects`` (live, public projects only: pass ``projects_public()``)."""
    today = today or timezone.localdate()
    by_project = commitments_for(projects, include_private=False)
    return [
        CommitmentRow(project=p, commitment=c, overdue=c.is_overdue(today))
        for p in projects for c in by_project[p.pk] if c.public
    ]


def commitment_rows_for_staff(user, *, today: datetime.date | None = None) -> list[CommitmentRow]:
    """Every commitment, public or not, that ``user`` may update: those of projects they may
    edit, and those a source lets them manage otherwise (moderators: initiatives)."""
    today = today or timezone.localdate()
    if not (user and user.is_authenticated and user.is_active):
        return []
    projects = list(ProjectPage.objects.order_by("title", "pk"))
    editable = projects_editable_ids(user, projects)
    by_project = commitments_for(projects, include_private=True)
    rows = []
    for project in projects:
        for c in by_project[project.pk]:
            if commitment_manageable(c.source, user, c, project_editable=project.pk in editable):
                rows.append(CommitmentRow(project=project, commitment=c, overdue=c.is_overdue(today), can_update=True))
    return rows


def commitment_rows_filter(rows, filters: CommitmentFilters, *, skip_status: bool = False) -> list[CommitmentRow]:
    """``rows`` that match every filter (``skip_status``: all but the status, for the counts)."""
    out = []
    for row in rows:
        c = row.commitment
        if filters.project_id is not None and row.project.pk != filters.project_id:
            continue
        if filters.status and not skip_status and c.status != filters.status:
            continue
        if filters.kind and c.kind != filters.kind:
            continue
        if filters.area and c.area != filters.area:
            continue
        if filters.overdue_only and not row.overdue:
            continue
        out.append(row)
    return out


def commitment_summary(rows) -> dict:
    """How many per status (every status, also those with none) and how many overdue."""
    counts = Counter(row.commitment.status for row in rows)
    return {
        "total": len(rows),
        "by_status": [{"status": value, "label": label, "count": counts.get(value, 0)} for value, label in CommitmentStatus.choices],
        "overdue": sum(1 for row in rows if row.overdue),
    }


def commitment_areas(rows) -> list[str]:
    return sorted({row.commitment.area for row in rows if row.commitment.area}, key=str.lower)
