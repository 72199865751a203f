""" "Doel bereikt?" in a real browser: the project's editor assesses each success criterion
from the results screen (errors next to the field first), and residents read it on a phone."""

import datetime

import pytest
from django.utils import timezone

from projects.models import CriterionAssessment, SuccessCriterion
from projects.services import project_editor_group_ensure
from tests.browser.conftest import admin_login, assert_accessible
from tests.projects.factories import ProjectPageFactory, UserFactory, phase

pytestmark = pytest.mark.django_db(transaction=True)


def test_editor_assesses_the_goal_and_residents_read_it(admin_page, page):
    today = timezone.localdate()
    project = ProjectPageFactory(title="Groen Schoneveld", phases=[
        phase("uitvoering", "Aanleg", today - datetime.timedelta(days=90), today - datetime.timedelta(days=4)),
        phase("terugkoppeling", "Terugblik", today - datetime.timedelta(days=3), today + datetime.timedelta(days=30)),
    ])
    for i, text in enumerate(["Uit elke straat komt een idee.", "Bewoners geven gemiddeld een 7."]):
        project.criteria.add(SuccessCriterion(sort_order=i, text=text))
    project.save_revision().publish()
    editor = UserFactory(username="redacteur.groen")
    editor.groups.add(project_editor_group_ensure(project=project))

    admin_login(admin_page, editor)
    admin_page.goto(f"/admin/participatie/project/{project.pk}/resultaten/")
    admin_page.get_by_role("link", name="Doel bereikt? Criteria beoordelen").click()
    admin_page.wait_for_url(f"**/admin/participatie/project/{project.pk}/doel/")
    assert_accessible(admin_page)

    first, second = admin_page.locator("fieldset.goal-criterion").all()
    first.get_by_label("Bereikt", exact=True).check()
    first.get_by_label("Toelichting").fill("Uit alle 14 straten kwamen ideeën.")
    admin_page.get_by_role("button", name="Beoordeling opslaan").click()
    admin_page.wait_for_load_state("networkidle")
    # Errors in Dutch next to the field; what was filled in is still there.
    second = admin_page.locator("fieldset.goal-criterion").nth(1)
    assert "Kies of dit criterium is bereikt" in second.inner_text()
    assert "Leg kort uit waarom." in second.inner_text()
    first = admin_page.locator("fieldset.goal-criterion").first
    assert first.get_by_label("Bereikt", exact=True).is_checked()
    assert first.get_by_label("Toelichting").input_value() == "Uit alle 14 straten kwamen ideeën."
    assert_accessible(admin_page)
    assert not CriterionAssessment.objects.exists()

    second.get_by_label("Deels bereikt").check()
    second.get_by_label("Toelichting").fill("Gemiddeld een 6,8: net niet.")
    admin_page.get_by_role("button", name="Beoordeling opslaan").click()
    admin_page.wait_for_url(f"**/admin/participatie/project/{project.pk}/resultaten/")
    assert "De beoordeling van de succescriteria is opgeslagen." in admin_page.content()
    assert "1 bereikt, 1 deels" in admin_page.locator("#goal-h + p").inner_text()
    assert_accessible(admin_page)
    assert sorted(CriterionAssessment.objects.values_list("outcome", flat=True)) == ["bereikt", "deels"]

    page.goto(f"/projecten/{project.pk}/resultaten/")
    goal = page.locator("section[aria-labelledby=goal]")
    assert "1 bereikt, 1 deels" in goal.inner_text() and "Gemiddeld een 6,8: net niet." in goal.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(page)
