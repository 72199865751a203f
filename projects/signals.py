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
