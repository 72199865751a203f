"""Reactions to Wagtail page events (connected in ProjectsConfig.ready)."""

from wagtail.signals import page_published

from .jobs import enqueue
from .models import ProjectUpdatePage


def _on_page_published(sender, instance, **kwargs):
    """Mail the followers in the background, after the publication is committed. The
    service marks the update as notified, so publishing it again sends nothing."""
    from .services import update_notify_followers_job

    enqueue(update_notify_followers_job, instance.pk)


page_published.connect(_on_page_published, sender=ProjectUpdatePage, dispatch_uid="projects_update_notify")


# --- the memory follows what the public can see of a page --------------------------------------
# Page events are Wagtail's signals on purpose: page_published and page_unpublished fire on
# every path (the editor, scheduled publishing by publish_scheduled, unpublishing a parent with
# its descendants, the API), which no single service of ours sees. The handlers only name the
# keys; projects.memory decides what each key now says, inside the event's transaction.

from django.db.models.signals import post_delete, post_save  # noqa: E402
from wagtail.models import Page, PageViewRestriction  # noqa: E402
from wagtail.signals import page_slug_changed, page_unpublished, post_page_move  # noqa: E402

from .memory import page_memory_keys  # noqa: E402
from .sources import memory_changed  # noqa: E402


def _page_keys(page) -> list[str]:
    specific = page.specific_deferred if type(page) is Page else page
    return page_memory_keys(specific)


def _tree_keys(page) -> list[str]:
    """The keys of a page and everything below it (a move changes their URLs, a view
    restriction their publicness)."""
    keys = []
    for item in Page.objects.descendant_of(page, inclusive=True).specific(defer=True):
        keys.extend(page_memory_keys(item))
    return keys


def _on_page_changed(sender, instance, **kwargs):
    memory_changed(_page_keys(instance))


def _on_page_deleted(sender, instance, **kwargs):
    # Deleting a page deletes its rows class by class; the specific one carries memory_kind.
    kind = getattr(instance, "memory_kind", "")
    if kind:
        memory_changed([f"{kind}:{instance.pk}"])


def _on_page_moved(sender, instance, **kwargs):
    memory_changed(_tree_keys(instance))


def _on_restriction_changed(sender, instance, **kwargs):
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is not None:
        memory_changed(_tree_keys(page))


page_published.connect(_on_page_changed, dispatch_uid="projects_memory_page_published")
page_unpublished.connect(_on_page_changed, dispatch_uid="projects_memory_page_unpublished")
post_page_move.connect(_on_page_moved, dispatch_uid="projects_memory_page_moved")
page_slug_changed.connect(_on_page_moved, dispatch_uid="projects_memory_page_slug_changed")
post_delete.connect(_on_page_deleted, dispatch_uid="projects_memory_page_deleted")
post_save.connect(_on_restriction_changed, sender=PageViewRestriction, dispatch_uid="projects_memory_restriction_saved")
post_delete.connect(_on_restriction_changed, sender=PageViewRestriction, dispatch_uid="projects_memory_restriction_deleted")


# --- cached pages (projects/page_cache.py) ------------------------------------------------------
# Every page shows the menus, breadcrumbs and listings of the page tree and the site's settings,
# so any change there changes ``site``: a save of a page (publishing, unpublishing, moving and
# scheduled publishing all save it; a draft revision does not touch the live row), a deletion,
# a view restriction, a site setting, a site, an image or a document. Editors do this a few
# times a day; residents' writes change only their own tags.

from django.db.models.signals import post_save as _post_save  # noqa: E402
from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting  # noqa: E402
from wagtail.documents import get_document_model  # noqa: E402
from wagtail.images import get_image_model  # noqa: E402
from wagtail.models import Site  # noqa: E402

from . import page_cache  # noqa: E402
from .models import CriterionAssessment, Decision, ParticipationReport, ResultsPublication, SuccessCriterion  # noqa: E402

_SITE_WIDE = (Page, PageViewRestriction, Site, BaseSiteSetting, BaseGenericSetting)
# What saving a draft revision or locking a page writes to the page row: not what visitors see.
_DRAFT_FIELDS = {"wagtail_admin_comments", "latest_revision", "latest_revision_created_at", "draft_title",
                 "has_unpublished_changes", "locked", "locked_by", "locked_at"}


def _on_site_write(sender, instance, update_fields=None, **kwargs):
    if kwargs.get("raw") or not isinstance(instance, _SITE_WIDE):
        return
    if update_fields and isinstance(instance, Page) and set(update_fields) <= _DRAFT_FIELDS:
        return
    page_cache.changed(page_cache.SITE)


def _on_tree_event(sender, instance=None, **kwargs):
    page_cache.changed(page_cache.SITE)


_post_save.connect(_on_site_write, dispatch_uid="projects_page_cache_site_save")
post_delete.connect(_on_site_write, dispatch_uid="projects_page_cache_site_delete")
post_page_move.connect(_on_tree_event, dispatch_uid="projects_page_cache_page_moved")
page_unpublished.connect(_on_tree_event, dispatch_uid="projects_page_cache_page_unpublished")
for _model in (get_image_model(), get_document_model()):
    page_cache.track(_model, lambda instance: [page_cache.SITE])


def _project_record_tags(instance) -> list[str]:
    return [page_cache.project_tag(instance.project_id), page_cache.COMMITMENTS, page_cache.FIGURES]


for _model in (Decision, ResultsPublication, ParticipationReport):
    page_cache.track(_model, _project_record_tags)


def _assessment_tags(assessment) -> list[str]:
    criterion = SuccessCriterion.objects.filter(pk=assessment.criterion_id).only("project_id").first()
    return [page_cache.project_tag(criterion.project_id) if criterion else page_cache.SITE, page_cache.FIGURES]


page_cache.track(CriterionAssessment, _assessment_tags)
