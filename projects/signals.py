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
