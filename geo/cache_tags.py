"""What geo's writes change on cached pages (projects/page_cache.py).

``initiatives``: every list, map and count of initiatives; ``initiative:<pk>``: one initiative's
page; the project tag for the pages of the project it belongs to. Themes, areas and the map's
settings are in every page's filters and labels: they change ``site``.
"""

from __future__ import annotations

from projects import page_cache

INITIATIVES = "initiatives"


def initiative_tag(pk) -> str:
    return f"initiative:{pk}"


def initiative_tags(initiative) -> list[str]:
    tags = [INITIATIVES, initiative_tag(initiative.pk), page_cache.FIGURES, page_cache.COMMITMENTS]
    if initiative.project_id:
        tags.append(page_cache.project_tag(initiative.project_id))
    return tags


def initiatives_changed(initiatives) -> None:
    """For writes that bypass ``save()`` (``QuerySet.update``)."""
    if not page_cache.enabled():
        return  # no query for the initiatives either
    page_cache.changed(*[tag for initiative in initiatives for tag in initiative_tags(initiative)] or [INITIATIVES])


def _of_initiative(instance) -> list[str]:
    return initiative_tags(instance.initiative)


def track_writes() -> None:
    from .models import Area, GeoSettings, Initiative, InitiativePhoto, Reaction, StatusChange, Support, Theme

    page_cache.track(Initiative, initiative_tags)
    for model in (InitiativePhoto, Reaction, StatusChange, Support):
        page_cache.track(model, _of_initiative)
    for model in (Area, Theme, GeoSettings):
        page_cache.track(model, lambda instance: [page_cache.SITE])
