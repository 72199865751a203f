import datetime

import pytest

from projects import selectors
from projects.models import ProjectFollow, ProjectPhase, UpdateNotification
from projects.sources import register, unregister
from tests.projects.factories import ProjectPageFactory, ProjectUpdatePageFactory, UserFactory, phase

D = datetime.date


def _phases():
    return [
        ProjectPhase(kind="informeren", title="Info", start_date=D(2026, 1, 1), end_date=D(2026, 1, 31)),
        ProjectPhase(kind="dialoog", title="Dialoog", start_date=D(2026, 2, 10), end_date=D(2026, 3, 31)),
        ProjectPhase(kind="besluitvorming", title="Besluit", start_date=D(2026, 4, 1), end_date=D(2026, 4, 30)),
    ]


@pytest.mark.parametrize(
    "today, expected",
    [
        (D(2025, 12, 31), None),  # before the first phase
        (D(2026, 1, 1), "Info"),
        (D(2026, 2, 5), "Info"),  # between phases: the last one that started
        (D(2026, 2, 10), "Dialoog"),
        (D(2026, 4, 30), "Besluit"),
        (D(2026, 6, 1), "Besluit"),  # after the end: the last phase
    ],
)
def test_phase_current(today, expected):
    current = selectors.phase_current(_phases(), today=today)
    assert (current.title if current else None) == expected


def test_phase_current_prefers_the_latest_of_overlapping_phases():
    phases = _phases()
    phases.append(ProjectPhase(kind="ophalen", title="Ophalen", start_date=D(2026, 3, 1), end_date=D(2026, 3, 15)))
    assert selectors.phase_current(phases, today=D(2026, 3, 5)).title == "Ophalen"


def test_ladder_steps_mark_only_the_projects_step():
    steps = selectors.ladder_steps("coproduceren")
    assert [s["value"] for s in steps] == ["informeren", "raadplegen", "adviseren", "coproduceren", "meebeslissen"]
    assert [s["value"] for s in steps if s["is_current"]] == ["coproduceren"]


@pytest.mark.django_db
class TestWithPages:
    def test_plan_answers_only_answered_in_order(self, home_page):
        project = ProjectPageFactory(plan_goals="Samen een plan maken.", plan_roles="  ", plan_attitude="Open luisteren.")
        answers = selectors.project_plan_answers(project)
        assert [a for _q, a in answers] == ["Samen een plan maken.", "Open luisteren."]
        assert str(answers[0][0]) == "Wat is het doel van de dialoog?"

    def test_list_with_phase_and_filter(self, home_page):
        today = D(2026, 5, 1)
        running = ProjectPageFactory(title="Loopt", phases=[phase("dialoog", "Praat mee", D(2026, 4, 1), D(2026, 5, 31))])
        done = ProjectPageFactory(title="Klaar", phases=[phase("uitvoering", "Bouw", D(2025, 1, 1), D(2026, 1, 1))])
        future = ProjectPageFactory(title="Straks", phases=[phase("informeren", "Info", D(2026, 9, 1), D(2026, 9, 30))])
        result = {p.title: p for p in selectors.project_list_with_phase(today=today)}
        assert result["Loopt"].current_phase.title == "Praat mee" and not result["Loopt"].is_finished
        assert result["Klaar"].is_finished
        assert result["Straks"].current_phase is None and not result["Straks"].is_finished
        assert [p.title for p in selectors.project_list_with_phase(phase_kind="dialoog", today=today)] == ["Loopt"]
        assert {p.pk for p in selectors.project_list_running(today=today)} == {running.pk, future.pk}
        assert done.pk not in {p.pk for p in selectors.project_list_running(today=today)}

    def test_index_context_ignores_unknown_phase_kind(self, home_page):
        project = ProjectPageFactory()
        context = selectors.project_index_context(parent=project.get_parent(), phase_kind="<script>")
        assert context["selected_kind"] == ""
        assert [p.pk for p in context["projects"]] == [project.pk]

    def test_unpublished_projects_are_not_listed(self, home_page):
        project = ProjectPageFactory()
        project.unpublish()
        assert selectors.project_list_with_phase() == []

    def test_detail_context(self, home_page, rf):
        today = D(2026, 5, 1)
        project = ProjectPageFactory(
            phases=[phase("informeren", "Info", D(2026, 4, 1), D(2026, 4, 10)),
                    phase("dialoog", "Praat mee", D(2026, 4, 11), D(2026, 5, 31)),
                    phase("besluitvorming", "Besluit", D(2026, 6, 1), D(2026, 6, 30))],
            area={"type": "Polygon", "coordinates": [[[5.15, 52.02], [5.17, 52.02], [5.17, 52.03], [5.15, 52.02]]]},
        )
        request = rf.get("/")
        request.user = UserFactory()
        ProjectFollow.objects.create(project=project, user=request.user)
        context = selectors.project_detail_context(project, request=request, today=today)
        assert [p.state_today for p in context["phases"]] == ["done", "current", "upcoming"]
        assert context["current_phase"].title == "Praat mee"
        assert context["is_following"] is True
        assert context["map_config"]["area"]["type"] == "Polygon"
        assert set(context["sections"]) <= {"doe_mee", "results"}  # whatever other apps add

    def test_no_map_config_without_area(self, home_page, rf):
        project = ProjectPageFactory()
        assert selectors.project_detail_context(project, request=rf.get("/"))["map_config"] is None


class _RecordsSource:
    key = "test-records"
    label = "Testbron"

    def __init__(self, project_ids):
        self.project_ids = project_ids

    def project_has_records(self, project):
        return project.pk in self.project_ids


@pytest.mark.django_db
class TestDeleteBlockers:
    def test_nothing_blocks_an_empty_project(self, home_page):
        assert selectors.page_delete_blockers(ProjectPageFactory()) == []

    def test_followers_block_project_and_its_index(self, home_page):
        project = ProjectPageFactory(title="Molenzoom")
        ProjectFollow.objects.create(project=project, user=UserFactory())
        assert selectors.page_delete_blockers(project) == ["“Molenzoom” heeft 1 volger."]
        assert selectors.page_delete_blockers(project.get_parent()) == ["“Molenzoom” heeft 1 volger."]

    def test_source_records_block(self, home_page):
        project = ProjectPageFactory(title="Molenzoom")
        register(_RecordsSource({project.pk}))
        try:
            assert selectors.page_delete_blockers(project) == ["“Molenzoom” heeft inbreng van inwoners (Testbron)."]
        finally:
            unregister("test-records")

    def test_mailed_update_blocks(self, home_page, django_capture_on_commit_callbacks):
        project = ProjectPageFactory()
        with django_capture_on_commit_callbacks(execute=True):
            update = ProjectUpdatePageFactory(parent=project, title="Eerste nieuws")
        assert UpdateNotification.objects.filter(update=update).exists()
        assert selectors.page_delete_blockers(update) == ["Over “Eerste nieuws” is al een e-mail naar de volgers gestuurd."]
