"""Reads about Top-3 concerns. Views, the admin, the source and the demo call these."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, Prefetch, QuerySet

from geo.models import Area
from projects import permissions
from projects.selectors import project_list_running

from .models import Concern, Submission, SubmissionStatus

MEMORY_KIND = "top3"


MODERATE_PERMISSION = "concerns.moderate_submission"


def moderation_scope(user):
    """Whose Top-3's the user moderates: None for all of them (a moderator, with
    ``concerns.moderate_submission``), else the projects they may edit (``projects.permissions``:
    the Top-3's attached to their projects only, never those without a project)."""
    return permissions.moderation_scope(user, MODERATE_PERMISSION)


def user_can_moderate(user, submission: Submission | None = None) -> bool:
    """Without ``submission``: whether the user may open the queue at all."""
    return permissions.can_moderate(user, MODERATE_PERMISSION, submission)


def _with_concerns(qs: QuerySet[Submission]) -> QuerySet[Submission]:
    return qs.select_related("area", "project").prefetch_related(
        Prefetch("concerns", queryset=Concern.objects.select_related("theme").order_by("position"))
    )


def moderation_queue(*, within=None) -> QuerySet[Submission]:
    """Top-3's waiting for a moderator, oldest first (``within``: only these projects)."""
    qs = _with_concerns(Submission.objects.filter(status=SubmissionStatus.PENDING)).order_by("created_at", "pk")
    return qs if within is None else qs.filter(project__in=within)


def moderation_list_all(*, within=None, limit: int = 200) -> QuerySet[Submission]:
    """The newest Top-3's in any state except unconfirmed (nobody has vouched for those yet)."""
    qs = _with_concerns(Submission.objects.exclude(status=SubmissionStatus.UNCONFIRMED)).order_by("-created_at", "-pk")
    return (qs if within is None else qs.filter(project__in=within))[:limit]


def submission_log_entries(submission: Submission):
    """The submission's audit log (Wagtail's), newest first, for its moderation page."""
    from wagtail.log_actions import registry

    return registry.get_logs_for_instance(submission).select_related("user").order_by("-timestamp", "-pk")


def submission_contact_email(submission: Submission) -> str:
    """Where to tell the resident what happened: a verified address only, else ""."""
    if submission.user_id:
        from allauth.account.models import EmailAddress

        address = EmailAddress.objects.filter(user_id=submission.user_id, verified=True).order_by("-primary", "pk").first()
        return address.email if address else ""
    return submission.email if submission.email and submission.email_confirmed_at else ""


def user_verified_email(user) -> str:
    if not getattr(user, "is_authenticated", False):
        return ""
    from allauth.account.models import EmailAddress

    address = EmailAddress.objects.filter(user=user, verified=True).order_by("-primary", "pk").first()
    return address.email if address else ""


def wijk_list() -> QuerySet[Area]:
    return Area.objects.filter(kind=Area.Kind.WIJK).order_by("name")


def project_running_get(pk: int):
    """The live, unfinished project with ``pk`` (a Top-3 may be attached to it), or None.
    Asks ``project_list_running``, the one home of "running" (two queries, phases prefetched)."""
    return next((p for p in project_list_running() if p.pk == pk), None)


def results_by_area(*, area: Area | None = None, project=None) -> list[dict]:
    """Published Top-3's per wijk: how many residents named each theme, most named first.

    ``[{"area": Area, "residents": n, "themes": [{"theme": "Groen", "residents": n}, ...]}]``,
    wijken with the most residents first. Counts only: never who.
    """
    published = Submission.objects.filter(status=SubmissionStatus.PUBLISHED)
    if area is not None:
        published = published.filter(area=area)
    if project is not None:
        published = published.filter(project=project)
    per_area = {row["area_id"]: row["n"] for row in published.values("area_id").annotate(n=Count("pk")).order_by()}
    per_theme = (
        Concern.objects.filter(submission__in=published).values("submission__area_id", "theme__name")
        .annotate(n=Count("submission", distinct=True)).order_by()
    )
    themes: dict[int, list[dict]] = defaultdict(list)
    for row in per_theme:
        themes[row["submission__area_id"]].append({"theme": row["theme__name"], "residents": row["n"]})
    areas = Area.objects.in_bulk(list(per_area))
    result = [
        {"area": areas[pk], "residents": n, "themes": sorted(themes[pk], key=lambda t: (-t["residents"], t["theme"].lower()))}
        for pk, n in per_area.items()
    ]
    return sorted(result, key=lambda r: (-r["residents"], r["area"].name.lower()))


def sentences_public(*, area: Area, limit: int = 100) -> list[dict]:
    """The published sentences of a wijk, newest first, without who wrote them."""
    rows = (
        Concern.objects.filter(submission__status=SubmissionStatus.PUBLISHED, submission__area=area)
        .select_related("theme", "submission").order_by("-submission__published_at", "-submission_id", "position")[:limit]
    )
    return [{"theme": c.theme.name, "text": c.text, "date": c.submission.created_at} for c in rows]


def memory_key(area_id: int) -> str:
    return f"{MEMORY_KIND}:{area_id}"
