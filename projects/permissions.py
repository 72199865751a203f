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


def manageable_projects(user):
    """Projects whose page the user may edit (superusers: all)."""
    if not _active(user):
        return ProjectPage.objects.none()
    if user.is_superuser:
        return ProjectPage.objects.all()
    paths = list(PagePermissionPolicy().instances_user_has_permission_for(user, "change").values_list("path", flat=True))
    if not paths:
        return ProjectPage.objects.none()
    # Permission on a page covers the pages below it, so on the project or any ancestor.
    return ProjectPage.objects.filter(reduce(or_, (Q(path__startswith=p) for p in paths)))


class DecisionPermissionPolicy(ModelPermissionPolicy):
    """Decisions follow the project's page permissions: listing, adding, changing and deleting
    a decision needs the right to edit its project's page."""

    def user_has_permission(self, user, action):
        # Anyone who may edit some page may open the decisions (as with sessions: an editor of
        # all projects before the first project exists); which ones is decided per instance.
        if not _active(user):
            return False
        return user.is_superuser or PagePermissionPolicy().instances_user_has_permission_for(user, "change").exists()

    def user_has_any_permission(self, user, actions):
        return self.user_has_permission(user, None)

    def user_has_permission_for_instance(self, user, action, instance):
        return can_manage_project(user, instance.project)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return self.user_has_permission_for_instance(user, None, instance)

    def instances_user_has_any_permission_for(self, user, actions):
        return Decision.objects.filter(project__in=manageable_projects(user))

    def instances_user_has_permission_for(self, user, action):
        return self.instances_user_has_any_permission_for(user, [action])


def decision_policy() -> DecisionPermissionPolicy:
    return DecisionPermissionPolicy(Decision)
