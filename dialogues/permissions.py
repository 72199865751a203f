"""Who may manage a session and see its registrants: users who may edit the project page
(Wagtail page permissions on the project or an ancestor), and superusers: the rule of
``projects.permissions``, applied to rounds and sessions. ``manageable_projects`` and
``can_manage_project`` are re-exported from there."""

from __future__ import annotations

from projects.permissions import (  # noqa: F401 - manageable_projects is part of this module's API
    ProjectRecordPermissionPolicy,
    can_manage_project,
    manageable_projects,
    pages_under_editable,
)

from .models import DialogueRoundPage, DialogueSession, SessionOutcome


def session_project(session: DialogueSession):
    return session.round.get_parent().specific


def can_manage_session(user, session: DialogueSession) -> bool:
    return can_manage_project(user, session_project(session))


def manageable_rounds(user):
    """Rounds whose project the user may edit (superusers: all)."""
    # Permission on the project (or above it) covers the round, which is the project's child.
    return pages_under_editable(user, DialogueRoundPage.objects)


def session_policy():
    return ProjectRecordPermissionPolicy(
        DialogueSession, project_of=session_project,
        scope=lambda user: DialogueSession.objects.filter(round__in=manageable_rounds(user)),
    )


def outcome_policy():
    return ProjectRecordPermissionPolicy(
        SessionOutcome, project_of=lambda outcome: session_project(outcome.session),
        scope=lambda user: SessionOutcome.objects.filter(session__round__in=manageable_rounds(user)),
    )
