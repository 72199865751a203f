"""Reads about initiatives and areas. Views, the API, the admin and jobs call these."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from projects.selectors import live_public
from projects.models import ProjectPage
from projects import page_cache, permissions
from projects.permissions import manageable_projects

from .cache_tags import INITIATIVES
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
    page_cache.depends_on(page_cache.project_tag(project.pk) if project is not None else INITIATIVES)
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


def initiative_get_own_unpublished(pk: int, *, user) -> Initiative | None:
    """The user's own initiative that is not public (waiting for moderation or rejected):
    its submitter may see it, nobody else on the public site."""
    if user is None or not user.is_authenticated:
        return None
    initiative = (
        Initiative.objects.filter(pk=pk, submitter=user).exclude(moderation=Moderation.PUBLISHED)
        .select_related("theme", "area", "project").prefetch_related("photos").first()
    )
    if initiative is not None:
        initiative.user_supports = False
    return initiative


# The moderation queue's project filter: a project's pk, or this for "zonder project".
WITHOUT_PROJECT = "geen"


def _by_project(qs: QuerySet[Initiative], project) -> QuerySet[Initiative]:
    if project is None:
        return qs
    if project == WITHOUT_PROJECT:
        return qs.filter(project__isnull=True)
    return qs.filter(project=project)


def projects_editable_by(user) -> QuerySet[ProjectPage]:
    """The projects the user may edit (Wagtail page rights on the project or above it)."""
    return manageable_projects(user)


MODERATE_PERMISSION = "geo.moderate_initiative"


def moderation_scope(user):
    """Whose initiatives the user moderates: None for every initiative (a moderator, with
    ``geo.moderate_initiative``), else the projects they may edit (``projects.permissions``)."""
    return permissions.moderation_scope(user, MODERATE_PERMISSION)


def moderation_queue(*, project=None, within=None) -> QuerySet[Initiative]:
    """Initiatives that need a moderator: waiting for review, or reported and not yet handled.
    ``project``: a ProjectPage, ``WITHOUT_PROJECT``, or None for all; ``within``: only these
    projects (an editor's, see ``projects_editable_by``), None for a moderator who sees all."""
    open_reports = Report.objects.filter(initiative=OuterRef("pk"), resolved_at__isnull=True)
    qs = (
        Initiative.objects.annotate(has_open_reports=Exists(open_reports))
        .filter(Q(moderation=Moderation.PENDING) | Q(has_open_reports=True))
        .select_related("theme", "area", "submitter", "project")
        .prefetch_related(Prefetch("reports", queryset=Report.objects.filter(resolved_at__isnull=True)))
        .order_by("created_at", "pk")
    )
    return _by_project(_within(qs, within), project)


def moderation_list_all(*, project=None, within=None, limit: int = 200) -> QuerySet[Initiative]:
    """The newest initiatives in any state, for the queue's "alle" view (``within`` as above)."""
    qs = Initiative.objects.select_related("theme", "area", "submitter", "project").prefetch_related(
        Prefetch("reports", queryset=Report.objects.filter(resolved_at__isnull=True))
    ).order_by("-created_at", "-pk")
    return _by_project(_within(qs, within), project)[:limit]


def _within(qs: QuerySet[Initiative], within) -> QuerySet[Initiative]:
    return qs if within is None else qs.filter(project__in=within)


def moderation_projects(*, within=None):
    """The projects that have initiatives, for the queue's project filter (``within`` as above)."""
    qs = ProjectPage.objects.filter(pk__in=Initiative.objects.filter(project__isnull=False).values("project_id"))
    if within is not None:
        qs = qs.filter(pk__in=within.values("pk"))
    return qs.order_by("title")


def initiative_log_entries(initiative: Initiative):
    """The initiative's audit log (Wagtail's), newest first, for the moderation page."""
    from wagtail.log_actions import registry

    return registry.get_logs_for_instance(initiative).select_related("user").order_by("-timestamp", "-pk")


def theme_list() -> QuerySet[Theme]:
    return Theme.objects.order_by("sort_order", "name")


def area_list(*, kind: str | None = None) -> QuerySet[Area]:
    qs = Area.objects.order_by("name")
    return qs.filter(kind=kind) if kind else qs


def map_page_get():
    """The live InitiativeMapPage, if an editor placed one."""
    return live_public(InitiativeMapPage.objects).first()


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
