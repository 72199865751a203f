"""The public project page on a phone: readable, accessible, follow needs a login."""

import datetime

import pytest

from projects.models import ProjectFollow
from tests.browser.conftest import assert_accessible
from tests.projects.factories import ProjectPageFactory, ProjectUpdatePageFactory, UserFactory, phase

pytestmark = pytest.mark.django_db(transaction=True)

TODAY = datetime.date.today()


def days(n):
    return TODAY + datetime.timedelta(days=n)


@pytest.fixture
def project():
    project = ProjectPageFactory(
        title="Groen Schoneveld",
        summary="Schoneveld wordt groener. U kiest mee waar.",
        ladder_level="meebeslissen",
        influence_can="Welke plekken groen worden.",
        influence_cannot="Het budget.",
        plan_goals="Samen de wijk groener maken.",
        area={"type": "Polygon", "coordinates": [[[5.168, 52.022], [5.182, 52.023], [5.186, 52.015], [5.168, 52.022]]]},
        phases=[
            phase("ophalen", "Ideeën ophalen", days(-60), days(-30)),
            phase("uitvoering", "Aanleg", days(-29), days(30)),
            phase("terugkoppeling", "Terugblik", days(31), days(60)),
        ],
        groups=["Bewoners Schoneveld", "Basisschool"],
    )
    ProjectUpdatePageFactory(parent=project, title="De eerste bomen staan er", intro="Twaalf bomen geplant.")
    return project


def test_project_page_on_a_phone(page, project):
    page.goto(project.url)
    assert page.get_by_role("heading", level=1).inner_text() == "Groen Schoneveld"
    # Timeline: the current phase is marked in words, not only by colour.
    current = page.locator('.timeline li[aria-current="step"]')
    assert "Aanleg" in current.inner_text() and "(nu bezig)" in current.inner_text()
    # Nothing wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    # The map enhancement shows the area section (tiles are blocked here; the page still works).
    page.wait_for_function("!document.querySelector('[data-project-map]').hidden")
    assert page.locator("#project-map path.leaflet-interactive").count() == 1
    assert_accessible(page)
    # The ladder explanation opens.
    page.get_by_text("Wat is de participatieladder?").click()
    assert page.get_by_text("Hoe hoger de trede, hoe meer u te zeggen heeft.").is_visible()
    assert_accessible(page)


def test_follow_requires_login_and_comes_back(page, project):
    user = UserFactory(email="anna@example.org", username="anna")
    page.goto(project.url)
    page.get_by_role("link", name="Log in om dit project te volgen").click()
    page.wait_for_url("**/account/login/**")
    page.get_by_label("E-mail").fill("anna@example.org")
    page.get_by_label("Wachtwoord", exact=True).fill("geheim-wachtwoord-123")
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"**{project.url}")
    page.get_by_role("button", name="Volg dit project").click()
    page.wait_for_url(f"**{project.url}")
    assert page.get_by_text("U volgt dit project. U krijgt een e-mail bij nieuws.").is_visible()
    assert ProjectFollow.objects.filter(project=project, user=user).exists()
    assert page.get_by_role("button", name="Stop met volgen").is_visible()
    assert_accessible(page)


def test_page_works_without_javascript(browser, live_server, project):
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url, viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        page.goto(project.url)
        assert page.get_by_role("heading", name="Planning").is_visible()
        assert not page.locator("[data-project-map]").is_visible()  # no empty map box
        assert page.get_by_role("link", name="Log in om dit project te volgen").is_visible()
        page.get_by_role("link", name="De eerste bomen staan er").click()
        assert page.get_by_role("heading", level=1).inner_text() == "De eerste bomen staan er"
    finally:
        context.close()


def test_project_overview_filter(page, project):
    ProjectPageFactory(title="Nieuwbouw Molenzoom", phases=[phase("dialoog", "Gesprekken", days(-5), days(5))])
    page.goto(project.get_parent().url)
    page.get_by_label("Fase van het project").select_option("dialoog")
    page.get_by_role("button", name="Toon projecten").click()
    assert page.get_by_role("link", name="Nieuwbouw Molenzoom").is_visible()
    assert page.get_by_role("link", name="Groen Schoneveld").count() == 0
    assert_accessible(page)
