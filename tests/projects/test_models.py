import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from projects.models import LADDER_EXPLANATIONS, ProjectFollow, ProjectPage, ProjectPhase
from tests.projects.factories import ProjectPageFactory, UserFactory, phase

pytestmark = pytest.mark.django_db

D = datetime.date


def test_phase_state_by_date():
    p = ProjectPhase(kind="dialoog", title="Gesprekken", start_date=D(2026, 3, 1), end_date=D(2026, 3, 31))
    assert p.state(D(2026, 2, 28)) == "upcoming"
    assert p.state(D(2026, 3, 1)) == "current"
    assert p.state(D(2026, 3, 31)) == "current"
    assert p.state(D(2026, 4, 1)) == "done"


def test_phase_clean_rejects_end_before_start_in_dutch():
    p = ProjectPhase(kind="dialoog", title="X", start_date=D(2026, 3, 2), end_date=D(2026, 3, 1))
    with pytest.raises(ValidationError) as exc:
        p.clean()
    assert "De einddatum ligt vóór de begindatum." in exc.value.message_dict["end_date"]


def test_phase_end_before_start_refused_by_database(home_page):
    project = ProjectPageFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ProjectPhase.objects.create(project=project, kind="dialoog", title="X",
                                    start_date=D(2026, 3, 2), end_date=D(2026, 3, 1))


def test_follow_once_per_project(home_page):
    project, user = ProjectPageFactory(), UserFactory()
    ProjectFollow.objects.create(project=project, user=user)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProjectFollow.objects.create(project=project, user=user)


def test_ladder_explanation_in_plain_words(home_page):
    project = ProjectPageFactory(ladder_level="adviseren")
    assert project.ladder_explanation == LADDER_EXPLANATIONS["adviseren"]
    assert "gemeenteraad besluit" in str(project.ladder_explanation)


def test_edit_screen_has_content_participation_and_promote_tabs():
    handler = ProjectPage.get_edit_handler()
    headings = [str(child.heading) for child in handler.children]
    assert headings[:3] == ["Inhoud", "Participatie", "Vindbaarheid"]
    participation_fields = {
        name for child in handler.children[1].children for name in getattr(child, "get_form_options", lambda: {})().get("fields", [])
    }
    assert {"ladder_level", "plan_goals", "area", "contact_name"} <= participation_fields


def test_page_tree_rules():
    assert ProjectPage.parent_page_types == ["projects.ProjectIndexPage"]
    assert ProjectPage.subpage_types == ["projects.ProjectUpdatePage", "dialogues.DialogueRoundPage"]


def test_project_phases_keep_editor_order(home_page):
    today = D.today()
    project = ProjectPageFactory(phases=[
        phase("informeren", "Eerst", today, today),
        phase("dialoog", "Dan", today + datetime.timedelta(days=1), today + datetime.timedelta(days=2)),
    ])
    assert [p.title for p in project.phases.order_by("sort_order")] == ["Eerst", "Dan"]


def test_editors_can_add_dialogue_rounds_and_news_under_a_project():
    """The host's PARTICIPATIE["PROJECT_SUBPAGE_TYPES"] adds participation page types."""
    from dialogues.models import DialogueRoundPage
    from projects.models import ProjectPage, ProjectUpdatePage

    allowed = set(ProjectPage.allowed_subpage_models())
    assert {ProjectUpdatePage, DialogueRoundPage} <= allowed
