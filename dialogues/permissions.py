"""Who may manage a session and see its registrants: users who may edit the project page
(Wagtail page permissions on the project or an ancestor), and superusers."""

from __future__ import annotations

from functools import reduce
from operator import or_

from django.db.models import Q
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permission_policies.pages import PagePermissionPolicy

from projects.models import ProjectPage

from .models import DialogueRoundPage, DialogueSession, SessionOutcome


def session_project(session: DialogueSession):
    return session.round.get_parent().specific


def can_manage_project(user, project) -> bool:
    if not (user and user.is_authenticated and user.is_active):
        return False
    return project.permissions_for_user(user).can_edit()


def can_manage_session(user, session: DialogueSession) -> bool:
    return can_manage_project(user, session_project(session))


def _under_editable_pages(user, pages):
    """``pages`` narrowed to those at or below a page the user may edit (superusers: all)."""
    if not (user and user.is_authenticated and user.is_active):
        return pages.none()
    if user.is_superuser:
        return pages.all()
    editable = PagePermissionPolicy().instances_user_has_permission_for(user, "change")
    paths = list(editable.values_list("path", flat=True))
    if not paths:
        return pages.none()
    return pages.filter(reduce(or_, (Q(path__startswith=p) for p in paths)))


def manageable_rounds(user):
    """Rounds whose project the user may edit (superusers: all)."""
    # Permission on the project (or above it) covers the round, which is the project's child.
    return _under_editable_pages(user, DialogueRoundPage.objects)


def manageable_projects(user):
    """Projects the user may edit, hence plan sessions for (superusers: all)."""
    return _under_editable_pages(user, ProjectPage.objects)


class SessionPermissionPolicy(ModelPermissionPolicy):
    """Admin access to sessions (and their outcomes) follows the project's page permissions."""

    def __init__(self, model, round_path: str):
        super().__init__(model)
        self.round_path = round_path  # "round" for sessions, "session__round" for outcomes

    def user_has_permission(self, user, action):
        # Anyone who may edit some page (a project) may plan sessions; which ones is
        # decided per instance below.
        if not (user and user.is_authenticated and user.is_active):
            return False
        return user.is_superuser or PagePermissionPolicy().instances_user_has_permission_for(user, "change").exists()

    def user_has_any_permission(self, user, actions):
        return self.user_has_permission(user, None)

    def _round(self, instance):
        return instance.round if isinstance(instance, DialogueSession) else instance.session.round

    def user_has_permission_for_instance(self, user, action, instance):
        return can_manage_project(user, self._round(instance).get_parent().specific)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return self.user_has_permission_for_instance(user, None, instance)

    def instances_user_has_any_permission_for(self, user, actions):
        return self.model._default_manager.filter(**{f"{self.round_path}__in": manageable_rounds(user)})

    def instances_user_has_permission_for(self, user, action):
        return self.instances_user_has_any_permission_for(user, [action])


def session_policy():
    return SessionPermissionPolicy(DialogueSession, "round")


def outcome_policy():
    return SessionPermissionPolicy(SessionOutcome, "session__round")
