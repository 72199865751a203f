""" "Doel bereikt?": success criteria one by one (and the migration that split the old text),
the assessment per role, in the report, the results page and the council view, and the
policy rule that asks for it before the report is vastgesteld."""

from __future__ import annotations

import datetime
import importlib
import io
import json

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageLogEntry

from projects.models import CriterionAssessment, ParticipationPolicy, ParticipationReport, ProjectPage, SuccessCriterion
from projects.policy import MET, NOT_APPLICABLE, NOT_MET, project_compliance
from projects.reports import report_build, report_freeze
from projects.services import goal_assess, project_editor_group_ensure
from projects.sources import Reach
from tests.projects.factories import ProjectPageFactory, UserFactory, phase
from tests.projects.sources_fake import bulk_source, fake_source, only_fake_sources  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("projects.migrations.0010_success_criteria_assessment")
CRITERIA = ["Minstens 60 bewoners doen mee.", "70 procent voelt zich gehoord.", "Elke straat levert een idee."]


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def make_project(*, last_phase_starts=-3, criteria=CRITERIA, **kwargs):
    project = ProjectPageFactory(phases=[
        phase("dialoog", "Gesprekken", days(-60), days(last_phase_starts - 1)),
        phase("terugkoppeling", "Terugblik", days(last_phase_starts), days(last_phase_starts + 30)),
    ], **kwargs)
    for i, text in enumerate(criteria):
        project.criteria.add(SuccessCriterion(sort_order=i, text=text))
    project.save_revision().publish()
    return ProjectPage.objects.get(pk=project.pk)


def ids(project):
    return list(project.criteria.order_by("sort_order").values_list("pk", flat=True))


def assess_all(project, user, outcomes=("bereikt", "bereikt", "deels")):
    return goal_assess(project=project, user=user, assessments={
        pk: (outcome, f"Uitleg {i}.") for i, (pk, outcome) in enumerate(zip(ids(project), outcomes))})


@pytest.fixture
def superuser(db):
    return UserFactory(username="beheerder", is_superuser=True, is_staff=True)


# --- the migration -----------------------------------------------------------------------------


@pytest.mark.parametrize("text,expected", [
    ("", []),
    ("Minstens 60 bewoners deden mee, uit elke groep. Ten minste 70 procent voelde zich gehoord.",
     ["Minstens 60 bewoners deden mee, uit elke groep. Ten minste 70 procent voelde zich gehoord."]),
    ("- Veel bewoners doen mee\n\n* Iedereen voelt zich gehoord\n• Er komt een plan\n  \n1. Eén\n2) Twee\n-\n",
     ["Veel bewoners doen mee", "Iedereen voelt zich gehoord", "Er komt een plan", "Eén", "Twee"]),
    ("60-70 procent doet mee\r\nDe 3 scholen doen mee", ["60-70 procent doet mee", "De 3 scholen doen mee"]),
])
def test_old_text_is_split_into_criteria(text, expected):
    assert MIGRATION.split_criteria(text) == expected


@pytest.mark.django_db(transaction=True)
def test_migration_splits_the_text_and_back(site, fake_source):
    from django.db.migrations.executor import MigrationExecutor

    project = make_project(criteria=["Eerst"])
    executor = MigrationExecutor(connection)
    executor.migrate([("projects", "0009_municipality_settings")])
    old = executor.loader.project_state([("projects", "0009_municipality_settings")]).apps
    OldProject = old.get_model("projects", "ProjectPage")
    assert OldProject.objects.get(pk=project.pk).success_criteria == "- Eerst"  # the way back keeps them
    OldProject.objects.filter(pk=project.pk).update(success_criteria="- Veel bewoners doen mee\n\n2. Er komt een plan")
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert list(SuccessCriterion.objects.filter(project_id=project.pk).order_by("sort_order").values_list("text", flat=True)) == [
        "Veel bewoners doen mee", "Er komt een plan"]


# --- the plan ----------------------------------------------------------------------------------


def test_criteria_show_in_the_plan_on_the_project_page(client, site, fake_source):
    project = make_project()
    html = client.get(project.url).content.decode()
    assert "Wanneer is het project geslaagd?" in html
    assert "<li>Minstens 60 bewoners doen mee.</li>" in html
    assert "Wanneer is het project geslaagd?" not in client.get(ProjectPageFactory().url).content.decode()


def test_criteria_are_edited_in_the_plan_tab(client, site, fake_source, superuser):
    from django.urls import reverse
    from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

    project = make_project(criteria=[])
    client.force_login(superuser)
    edit = reverse("wagtailadmin_pages:edit", args=[project.pk])
    assert 'id="id_criteria-TOTAL_FORMS"' in client.get(edit).content.decode()
    data = nested_form_data({
        "title": project.title, "slug": project.slug, "summary": project.summary, "body": streamfield([]),
        "phases": inline_formset([{"kind": p.kind, "title": p.title, "start_date": p.start_date, "end_date": p.end_date, "id": p.pk}
                                  for p in project.phases.all()]),
        "stakeholder_groups": inline_formset([]), "ladder_level": "adviseren",
        "criteria": inline_formset([{"text": "Elke straat doet mee."}, {"text": "Bewoners geven een 7."}]),
        "action-publish": "publish",
    })
    assert client.post(edit, data).status_code == 302
    assert list(ProjectPage.objects.get(pk=project.pk).criteria.values_list("text", flat=True)) == [
        "Elke straat doet mee.", "Bewoners geven een 7."]


def test_assessment_survives_publishing_the_page_again(site, fake_source, superuser):
    project = make_project()
    assess_all(project, superuser)
    page = ProjectPage.objects.get(pk=project.pk)
    page.summary = "Nieuwe samenvatting."
    page.save_revision().publish()
    assert CriterionAssessment.objects.filter(criterion__project_id=project.pk).count() == 3


# --- the service and who may use it ---------------------------------------------------------------


@pytest.fixture
def roles(site, fake_source):
    project = make_project(title="Stationsgebied")
    other = make_project(title="Molenzoom")
    mine = UserFactory(username="redacteur.station")
    mine.groups.add(project_editor_group_ensure(project=project))
    theirs = UserFactory(username="redacteur.molenzoom")
    theirs.groups.add(project_editor_group_ensure(project=other))
    moderator = UserFactory(username="moderator", is_staff=True)
    moderator.groups.add(Group.objects.get(name="Moderatoren"))
    council = UserFactory(username="raadslid")
    council.groups.add(Group.objects.get(name="Raadsleden"))
    return project, {"editor": mine, "other_editor": theirs, "moderator": moderator, "council": council,
                     "resident": UserFactory(username="bewoner")}


@pytest.mark.parametrize("role,refused_to", [
    ("editor", None),
    # Wagtail sends admin users it refuses back to the dashboard, everyone else to its login.
    ("other_editor", "/admin/"), ("moderator", "/admin/"),
    ("council", "/admin/login/"), ("resident", "/admin/login/"), ("anonymous", "/admin/login/"),
])
def test_permission_per_role(client, roles, role, refused_to):
    project, users = roles
    url = f"/admin/participatie/project/{project.pk}/doel/"
    user = users.get(role)
    if user is not None:
        client.force_login(user)
    post = {f"c{pk}-outcome": "bereikt" for pk in ids(project)} | {f"c{pk}-explanation": "Gehaald." for pk in ids(project)}
    get, posted = client.get(url), client.post(url, post)
    if refused_to is None:
        assert get.status_code == 200 and CRITERIA[0] in get.content.decode()
        assert posted.status_code == 302 and posted["Location"] == f"/admin/participatie/project/{project.pk}/resultaten/"
        assert CriterionAssessment.objects.filter(criterion__project=project).count() == 3
        return
    for response in (get, posted):
        assert response.status_code == 302
        assert response["Location"].split("?")[0] == refused_to
    assert not CriterionAssessment.objects.exists()
    if user is not None:
        with pytest.raises(PermissionDenied):
            goal_assess(project=project, user=user, assessments={pk: ("bereikt", "x") for pk in ids(project)})


def test_assessment_is_saved_with_who_when_and_an_audit_log(site, fake_source):
    project = make_project()
    editor = UserFactory(username="redacteur", first_name="Sanne", last_name="de Vries", email="sanne@gemeente.example")
    editor.groups.add(project_editor_group_ensure(project=project))
    saved = assess_all(project, editor)
    assert [a.outcome for a in saved] == ["bereikt", "bereikt", "deels"]
    assert all(a.assessed_by == editor and a.assessed_at is not None for a in saved)
    assert saved[0].criterion_text == CRITERIA[0]
    entry = PageLogEntry.objects.get(page=project, action="projects.goal_assess")
    assert entry.user == editor
    assert entry.data == {"criteria": 3, "bereikt": 2, "deels": 1, "niet": 0}
    assert "sanne" not in json.dumps(entry.data).lower()
    assert entry.message == "Succescriteria beoordeeld: 2 bereikt, 1 deels, 0 niet bereikt"


def test_unchanged_criteria_keep_who_assessed_them(site, fake_source, superuser):
    project = make_project()
    first = assess_all(project, superuser)
    other = UserFactory(username="tweede", is_superuser=True, is_staff=True)
    second = assess_all(project, other, outcomes=("bereikt", "bereikt", "niet"))
    assert second[0].assessed_by == superuser and second[0].assessed_at == first[0].assessed_at
    assert second[2].assessed_by == other and second[2].outcome == "niet"


def test_every_criterion_needs_an_outcome_and_an_explanation(site, fake_source, superuser):
    project = make_project()
    a, b, c = ids(project)
    with pytest.raises(ValidationError) as error:
        goal_assess(project=project, user=superuser, assessments={
            a: ("bereikt", "Gehaald."), b: ("misschien", "Geen idee."), c: ("deels", "   ")})
    assert error.value.message_dict == {
        f"{b}-outcome": ["Kies of dit criterium is bereikt, deels bereikt of niet bereikt."],
        f"{c}-explanation": ["Leg kort uit waarom. Deze uitleg staat in het verslag."],
    }
    assert not CriterionAssessment.objects.exists()  # all or nothing


def test_form_shows_dutch_errors_next_to_the_field_and_keeps_the_input(client, site, fake_source, superuser):
    project = make_project()
    a, b, c = ids(project)
    client.force_login(superuser)
    response = client.post(f"/admin/participatie/project/{project.pk}/doel/", {
        f"c{a}-outcome": "bereikt", f"c{a}-explanation": "Er deden 75 bewoners mee.",
        f"c{b}-outcome": "deels", f"c{c}-explanation": "Niet elke straat.",
    })
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="id_c{b}-explanation-error">Leg kort uit waarom.' in html
    assert f'id="id_c{c}-outcome-error">Kies of dit criterium is bereikt' in html
    assert "Er deden 75 bewoners mee.</textarea>" in html and "Niet elke straat.</textarea>" in html
    assert f'value="deels" id="id_c{b}-outcome_1" checked' in html
    assert 'aria-invalid="true"' in html
    assert not CriterionAssessment.objects.exists()


def test_before_the_last_phase_the_view_says_from_when(client, site, fake_source, superuser):
    from projects.dates import format_date

    project = make_project(last_phase_starts=10)
    client.force_login(superuser)
    url = f"/admin/participatie/project/{project.pk}/doel/"
    html = client.get(url).content.decode()
    assert f"U kunt de succescriteria beoordelen vanaf {format_date(days(10))}" in html
    assert f'name="c{ids(project)[0]}-outcome"' not in html and CRITERIA[0] in html
    assert client.post(url, {}).status_code == 400
    with pytest.raises(ValidationError, match="vanaf"):
        assess_all(project, superuser)
    results = client.get(f"/admin/participatie/project/{project.pk}/resultaten/").content.decode()
    assert f"vanaf {format_date(days(10))}" in results


def test_results_admin_links_to_the_assessment_in_the_last_phase(client, site, fake_source, superuser):
    project = make_project()
    client.force_login(superuser)
    html = client.get(f"/admin/participatie/project/{project.pk}/resultaten/").content.decode()
    assert f'href="/admin/participatie/project/{project.pk}/doel/"' in html and "Doel bereikt? Criteria beoordelen" in html


def test_project_without_criteria_or_phases(client, site, fake_source, superuser):
    bare = ProjectPageFactory()
    client.force_login(superuser)
    html = client.get(f"/admin/participatie/project/{bare.pk}/doel/").content.decode()
    assert "Het plan noemt nog geen succescriteria." in html
    with pytest.raises(ValidationError, match="geen fasen"):
        goal_assess(project=bare, user=superuser, assessments={})


# --- where it shows ---------------------------------------------------------------------------------


@pytest.fixture
def assessed(site, fake_source, superuser):
    project = make_project(title="Groen Schoneveld")
    assess_all(project, superuser)
    return ProjectPage.objects.get(pk=project.pk)


def test_report_shows_each_criterion_with_its_assessment(client, assessed):
    report = report_build(assessed)
    assert report["goal"]["text"] == "2 bereikt, 1 deels"
    assert [(c["text"], c["outcome_label"], c["explanation"]) for c in report["goal"]["criteria"]] == [
        (CRITERIA[0], "Bereikt", "Uitleg 0."), (CRITERIA[1], "Bereikt", "Uitleg 1."), (CRITERIA[2], "Deels bereikt", "Uitleg 2.")]
    json.dumps(report)
    html = client.get(f"/projecten/{assessed.pk}/verslag/").content.decode()
    assert '<h2 id="r-goal">Doel bereikt?</h2>' in html
    assert f'<th scope="row">{CRITERIA[2]}</th><td><strong>Deels bereikt</strong>' in html
    assert '<th scope="col">Oordeel</th>' in html


def test_report_pdf_shows_the_assessment_as_a_tagged_table(client, assessed):
    from pypdf import PdfReader

    from tests.projects.test_reports import pdf_text

    content = client.get(f"/projecten/{assessed.pk}/verslag.pdf").content
    text = pdf_text(content)
    assert "Doel bereikt?" in text and "Deels bereikt" in text and CRITERIA[2] in text
    reader = PdfReader(io.BytesIO(content))
    tags = set()

    def walk(node):
        node = node.get_object()
        if isinstance(node, dict):
            if "/S" in node:
                tags.add(str(node["/S"]))
            kids = node.get("/K")
            if kids is not None:
                for kid in kids if isinstance(kids, list) else [kids]:
                    walk(kid)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    assert {"/H2", "/Table", "/TH", "/TD"} <= tags  # real headings and table headers


def test_report_before_assessment_says_not_yet(site, fake_source):
    report = report_build(make_project())
    assert {c["outcome_label"] for c in report["goal"]["criteria"]} == {"Nog niet beoordeeld"}
    assert report["goal"]["text"] == "3 nog niet beoordeeld"


def test_results_page_shows_the_assessment(client, assessed):
    html = client.get(f"/projecten/{assessed.pk}/resultaten/").content.decode()
    section = html.split('id="goal"')[1].split("</section>")[0]
    assert "de doelen uit het plan zijn gehaald: 2 bereikt, 1 deels." in section
    assert CRITERIA[2] in section and "Deels bereikt" in section and "Uitleg 2." in section


def test_council_view_shows_the_goal_per_project(client, assessed):
    council = UserFactory(username="raadslid")
    council.groups.add(Group.objects.get(name="Raadsleden"))
    client.force_login(council)
    html = client.get("/raad/").content.decode()
    assert '<dt>Doel</dt><dd class="figure-goal">2 bereikt, 1 deels</dd>' in html


def test_council_view_queries_do_not_grow_with_the_criteria(client, site, bulk_source, superuser):
    council = UserFactory(username="raadslid")
    council.groups.add(Group.objects.get(name="Raadsleden"))
    client.force_login(council)
    counts = []
    for n in (1, 6):
        project = make_project(criteria=[f"Criterium {i}" for i in range(n)])
        bulk_source.set(project, reach=Reach(participants=2))
        goal_assess(project=project, user=superuser, assessments={pk: ("bereikt", "Ja.") for pk in ids(project)})
        client.get("/raad/")
        with CaptureQueriesContext(connection) as queries:
            html = client.get("/raad/").content.decode()
        assert f"{n} bereikt" in html
        counts.append(len(queries))
        ProjectPage.objects.get(pk=project.pk).unpublish()  # the next round has one project again
    assert counts[0] == counts[1], counts


# --- the policy ------------------------------------------------------------------------------------


@pytest.fixture
def goal_policy(site):
    policy = ParticipationPolicy.for_site(site)
    policy.goal_assessed = True
    policy.save()
    return policy


def goal_rule(project):
    return {r.key: r for r in project_compliance(project)}.get("goal_assessed")


def test_rule_is_off_by_default(site, fake_source):
    assert ParticipationPolicy.for_site(site).goal_assessed is False
    assert goal_rule(make_project()) is None


def test_rule_in_the_last_phase(goal_policy, fake_source, superuser):
    project = make_project()
    result = goal_rule(project)
    assert result.status == NOT_MET
    assert result.reason == "Het project is in de laatste fase, maar 3 van 3 succescriteria zijn nog niet beoordeeld."
    assess_all(project, superuser)
    assert goal_rule(ProjectPage.objects.get(pk=project.pk)).status == MET


def test_rule_before_the_last_phase_and_without_criteria(goal_policy, fake_source):
    from projects.dates import format_date

    early = goal_rule(make_project(last_phase_starts=20))
    assert early.status == NOT_APPLICABLE and format_date(days(20)) in early.reason
    assert goal_rule(make_project(criteria=[])).status == NOT_APPLICABLE


def test_rule_not_met_when_the_report_was_vastgesteld_before_the_assessment(goal_policy, fake_source, superuser, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    project = make_project()
    ParticipationReport.objects.create(project=project, version=1, data={}, html="",
                                       vastgesteld_at=timezone.now() - datetime.timedelta(days=2))
    assess_all(project, superuser)
    result = goal_rule(project)
    assert result.status == NOT_MET
    assert "3 van 3 succescriteria waren toen niet beoordeeld" in result.reason


def test_vaststellen_is_refused_while_criteria_are_unassessed(client, goal_policy, fake_source, superuser, settings, tmp_path,
                                                              django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = str(tmp_path)
    project = make_project()
    with pytest.raises(ValidationError, match="3 succescriteria zijn nog niet beoordeeld"):
        report_freeze(project=project, user=superuser)
    client.force_login(superuser)
    response = client.post(f"/admin/participatie/project/{project.pk}/vaststellen/", follow=True)
    assert "Het verslag kan nog niet worden vastgesteld: 3 succescriteria zijn nog niet beoordeeld." in response.content.decode()
    assert not ParticipationReport.objects.filter(project=project).exists()
    assess_all(project, superuser)
    with django_capture_on_commit_callbacks(execute=True):
        report = report_freeze(project=project, user=superuser)
    assert report.data["goal"]["text"] == "2 bereikt, 1 deels"
    assert goal_rule(ProjectPage.objects.get(pk=project.pk)).status == MET


def test_vaststellen_without_the_rule_is_not_held_up(site, fake_source, superuser, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = str(tmp_path)
    project = make_project()
    with django_capture_on_commit_callbacks(execute=True):
        assert report_freeze(project=project, user=superuser).version == 1
