"""Reactions to Wagtail page events (connected in ProjectsConfig.ready)."""

from wagtail.signals import page_published

from .models import ProjectUpdatePage


def _on_page_published(sender, instance, **kwargs):
    from .services import update_notify_followers

    update_notify_followers(update=instance)


page_published.connect(_on_page_published, sender=ProjectUpdatePage, dispatch_uid="projects_update_notify")
