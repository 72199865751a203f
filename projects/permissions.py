"""Who may manage a project's records in the admin: users who may edit the project page
(Wagtail page permissions on the project or an ancestor), and superusers.

Records that belong to one project (decisions here; sessions in ``dialogues.permissions``)
follow the project's page permissions, so a project's own editor group ("Redactie …", see
``services.project_editor_group_ensure``) is all a civil servant needs to run that project.
"""

from __future__ import annotations

from functools import reduce
from operator import or_

from django.db.models import Q
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permission_policies.pages import PagePermissionPolicy

from .models import Decision, ProjectPage


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def can_manage_project(user, project: ProjectPage) -> bool:
    return _active(user) and project.permissions_for_user(user).can_edit()


def editable_paths(user) -> list[str]:
    """Tree paths of the pages the user may edit; their subtrees are covered too."""
    return list(PagePermissionPolicy().instances_user_has_permission_for(user, "change").values_list("path", flat=True))


def pages_under_editable(user, pages):
    """``pages`` (a page queryset) narrowed to those at or below a page the user may edit
    (superusers: all). The one rule the apps' admin scoping follows: projects here, rounds and
    sessions in ``dialogues.permissions``, initiatives in ``geo``."""
    if not _active(user):
        return pages.none()
    if user.is_superuser:
        return pages.all()
    paths = editable_paths(user)
    if not paths:
        return pages.none()
    return pages.filter(reduce(or_, (Q(path__startswith=p) for p in paths)))


def manageable_projects(user):
    """Projects whose page the user may edit (superusers: all)."""
    return pages_under_editable(user, ProjectPage.objects)


def moderation_scope(user, permission: str):
    """Whose records of an app the user moderates (initiatives, Top-3's...): None for all of
    them (a moderator: the user holds ``permission``, e.g. ``"geo.moderate_initiative"``),
    else the projects whose page they may edit (an editor: the records of those projects only,
    never those without a project). The one rule behind every moderation queue."""
    if user.is_authenticated and user.has_perm(permission):
        return None
    return manageable_projects(user)


def can_moderate(user, permission: str, record=None) -> bool:
    """Whether the user may moderate ``record`` (anything with a ``project_id``) under
    ``moderation_scope``; without ``record``: whether they may open the queue at all."""
    if not (getattr(user, "is_authenticated", False) and user.is_active):
        return False
    scope = moderation_scope(user, permission)
    if scope is None:
        return True
    if record is None:
        return scope.exists()
    return record.project_id is not None and scope.filter(pk=record.project_id).exists()


class ProjectRecordPermissionPolicy(ModelPermissionPolicy):
    """Admin access to records that belong to one project (decisions, sessions, outcomes)
    follows that project's page permissions: listing, adding, changing and deleting one needs
    the right to edit its project's page.

    ``project_of(instance)`` gives the record's project; ``scope(user)`` the queryset of records
    the user may manage (one query, for listings)."""

    def __init__(self, model, *, project_of, scope):
        super().__init__(model)
        self.project_of, self.scope = project_of, scope

    def user_has_permission(self, user, action):
        # Anyone who may edit some page may open the listing (an editor of all projects, also
        # before the first project exists); which records is decided per instance.
        if not _active(user):
            return False
        return user.is_superuser or PagePermissionPolicy().instances_user_has_permission_for(user, "change").exists()

    def user_has_any_permission(self, user, actions):
        return self.user_has_permission(user, None)

    def user_has_permission_for_instance(self, user, action, instance):
        return can_manage_project(user, self.project_of(instance))

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return self.user_has_permission_for_instance(user, None, instance)

    def instances_user_has_any_permission_for(self, user, actions):
        return self.scope(user)

    def instances_user_has_permission_for(self, user, action):
        return self.instances_user_has_any_permission_for(user, [action])


def decision_policy() -> ProjectRecordPermissionPolicy:
    return ProjectRecordPermissionPolicy(
        Decision, project_of=lambda decision: decision.project,
        scope=lambda user: Decision.objects.filter(project__in=manageable_projects(user)),
    )
