"""A project's own editor in the Wagtail admin, in a real browser: publishing their project,
and recording a decision whose phase list follows the chosen project."""

import pytest
from django.utils import timezone

from projects.models import Decision, ProjectPage
from projects.services import project_editor_group_ensure
from tests.browser.conftest import admin_login, assert_accessible
from tests.projects.factories import ProjectPageFactory, UserFactory, phase

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def projects():
    day = timezone.localdate()
    a = ProjectPageFactory(title="Stationsgebied", phases=[phase("dialoog", "Dialoog", day, day), phase("besluitvorming", "Raadsbesluit", day, day)])
    b = ProjectPageFactory(title="Molenzoom", phases=[phase("dialoog", "Buurtgesprekken", day, day)])
    return a, b


def test_project_editor_publishes_their_project(admin_page, projects):
    page = admin_page
    a, _b = projects
    editor = UserFactory(username="redacteur.station")
    editor.groups.add(project_editor_group_ensure(project=a))
    admin_login(page, editor)
    page.goto(f"/admin/pages/{a.pk}/edit/")
    page.fill("#id_title", "Stationsgebied Noord")
    page.locator("footer .dropdown-toggle, footer [data-w-dropdown-target='toggle']").first.click()
    page.get_by_role("button", name="Publiceren").click()
    page.wait_for_url("**/admin/pages/**")
    a.refresh_from_db()
    assert a.title == "Stationsgebied Noord" and a.live and not a.has_unpublished_changes


def test_decision_phase_list_follows_the_project(admin_page, projects):
    page = admin_page
    a, b = projects
    editor = UserFactory(username="redacteur.beide")
    editor.groups.add(project_editor_group_ensure(project=a), project_editor_group_ensure(project=b))
    admin_login(page, editor)
    page.goto("/admin/decisions/new/")
    visible = "Array.from(document.querySelectorAll('#id_phase option')).filter(o => !o.hidden && o.value).map(o => o.textContent)"
    page.select_option("#id_project", label="Stationsgebied")
    assert page.evaluate(visible) == ["Stationsgebied – Dialoog", "Stationsgebied – Raadsbesluit"]
    page.select_option("#id_phase", label="Stationsgebied – Raadsbesluit")
    page.select_option("#id_project", label="Molenzoom")
    assert page.evaluate(visible) == ["Molenzoom – Buurtgesprekken"]
    assert page.input_value("#id_phase") == ""  # the other project's phase is let go
    page.select_option("#id_phase", label="Molenzoom – Buurtgesprekken")
    page.fill("#id_title", "Het sportveld blijft open")
    page.fill("#id_decided_on", "2026-11-20")
    page.fill("#id_reasoning", "Veel bewoners vroegen erom.")
    assert_accessible(page)
    page.get_by_role("button", name="Toevoegen", exact=True).click()
    page.wait_for_url("**/admin/decisions/")
    decision = Decision.objects.get()
    assert decision.project_id == b.pk and decision.phase.title == "Buurtgesprekken"
    assert page.get_by_text("Concept").first.is_visible()
    assert_accessible(page)
    assert ProjectPage.objects.count() == 2
