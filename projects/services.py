"""Writes about projects: following, notifying followers."""

from __future__ import annotations

from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse

from .conf import absolute_url
from .mail import mail_send
from .models import ProjectFollow, ProjectPage, ProjectUpdatePage, UpdateNotification

UNSUBSCRIBE_SALT = "projects.follow.unsubscribe"


def follow_token(follow: ProjectFollow) -> str:
    return signing.dumps({"f": follow.pk}, salt=UNSUBSCRIBE_SALT)


def follow_from_token(token: str) -> ProjectFollow | None:
    """The follow a signed unsubscribe token stands for, or None if it is invalid or gone."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return ProjectFollow.objects.filter(pk=data.get("f")).select_related("project").first()


def follow_create(*, project: ProjectPage, user) -> ProjectFollow:
    """Follow a project (idempotent)."""
    try:
        with transaction.atomic():
            return ProjectFollow.objects.create(project=project, user=user)
    except IntegrityError:
        return ProjectFollow.objects.get(project=project, user=user)


def follow_delete(*, project: ProjectPage, user) -> None:
    ProjectFollow.objects.filter(project=project, user=user).delete()


@transaction.atomic
def update_notify_followers(*, update: ProjectUpdatePage) -> int:
    """Email the project's followers about a newly published update, once per update."""
    project = update.get_parent().specific
    if not isinstance(project, ProjectPage):
        return 0
    _notification, created = UpdateNotification.objects.get_or_create(update=update)
    if not created:
        return 0
    follows = ProjectFollow.objects.filter(project=project).select_related("user")
    count = 0
    for follow in follows:
        if not follow.user.email or not follow.user.is_active:
            continue
        mail_send(
            to=follow.user.email,
            template="projects/email/update",
            context={
                "project": project,
                "update": update,
                "update_url": absolute_url(update.url or ""),
                "unsubscribe_url": absolute_url(reverse("projects:unfollow_token", args=[follow_token(follow)])),
            },
        )
        count += 1
    UpdateNotification.objects.filter(pk=_notification.pk).update(recipients=count)
    return count
