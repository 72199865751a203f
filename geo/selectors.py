"""Reads about initiatives and areas. Views, the API, the admin and jobs call these."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from .models import Area, Initiative, InitiativeMapPage, Moderation, Report, StatusChange, Support, Theme


def initiative_list_public(*, theme=None, status: str | None = None, area=None, project=None) -> QuerySet[Initiative]:
    """Published initiatives, newest first, with theme and area joined (one query per page)."""
    qs = Initiative.objects.filter(moderation=Moderation.PUBLISHED).select_related("theme", "area")
    if theme is not None:
        qs = qs.filter(theme=theme)
    if status:
        qs = qs.filter(status=status)
    if area is not None:
        qs = qs.filter(area=area)
    if project is not None:
        qs = qs.filter(project=project)
    return qs.order_by("-created_at", "-pk")


def initiative_map_filters(*, theme=None, status: str | None = None, area=None, project=None) -> dict:
    """The same filters as lookups, for the clustering query."""
    filters = {}
    if theme is not None:
        filters["theme_id"] = theme.pk
    if status:
        filters["status"] = status
    if area is not None:
        filters["area_id"] = area.pk
    if project is not None:
        filters["project_id"] = project.pk
    return filters


def initiative_get_public(pk: int, *, user=None) -> Initiative | None:
    """A published initiative with everything its page shows; ``user_supports`` is set."""
    qs = Initiative.objects.filter(pk=pk, moderation=Moderation.PUBLISHED).select_related("theme", "area", "project")
    if user is not None and user.is_authenticated:
        qs = qs.annotate(user_supports=Exists(Support.objects.filter(initiative=OuterRef("pk"), user=user)))
    qs = qs.prefetch_related("photos", Prefetch("status_changes", queryset=StatusChange.objects.order_by("created_at", "pk")))
    initiative = qs.first()
    if initiative is not None and not hasattr(initiative, "user_supports"):
        initiative.user_supports = False
    return initiative


def moderation_queue() -> QuerySet[Initiative]:
    """Initiatives that need a moderator: waiting for review, or reported and not yet handled."""
    open_reports = Report.objects.filter(initiative=OuterRef("pk"), resolved_at__isnull=True)
    return (
        Initiative.objects.annotate(has_open_reports=Exists(open_reports))
        .filter(Q(moderation=Moderation.PENDING) | Q(has_open_reports=True))
        .select_related("theme", "area", "submitter")
        .prefetch_related(Prefetch("reports", queryset=Report.objects.filter(resolved_at__isnull=True)))
        .order_by("created_at", "pk")
    )


def theme_list() -> QuerySet[Theme]:
    return Theme.objects.order_by("sort_order", "name")


def area_list(*, kind: str | None = None) -> QuerySet[Area]:
    qs = Area.objects.order_by("name")
    return qs.filter(kind=kind) if kind else qs


def map_page_get():
    """The live InitiativeMapPage, if an editor placed one."""
    return InitiativeMapPage.objects.live().public().first()


def open_data_rows():
    """Published initiatives for open data: no personal data, no internal notes."""
    return (
        Initiative.objects.filter(moderation=Moderation.PUBLISHED)
        .order_by("pk")
        .values(
            "pk", "title", "description", "status", "answer", "theme__name", "area__code", "area__name",
            "lat", "lon", "no_location", "address", "support_count", "created_at", "answered_at", "project_id",
        )
    )
