"""The memory's search on a phone, with and without JavaScript: header box, filters, results, axe."""

from __future__ import annotations

import pytest

from geo import services as geo_services
from geo.models import Moderation
from tests.browser.conftest import assert_accessible
from tests.geo.conftest import moderators_group
from tests.geo.factories import InitiativeFactory, ThemeFactory
from tests.projects.factories import ProjectPageFactory, UserFactory


@pytest.fixture
def memory(_site):
    moderator = UserFactory(username="moderator-zoeken")
    moderator.groups.add(moderators_group())
    groen, verkeer = ThemeFactory(name="Groen"), ThemeFactory(name="Verkeer")
    project = ProjectPageFactory(title="Groene buurt", summary="Meer groen in de buurt.")
    made = {}
    for title, theme in (("Een boom op het plein", groen), ("Drempels tegen hard rijden", verkeer), ("Bomen langs de dijk", verkeer)):
        initiative = InitiativeFactory(title=title, description="Dat maakt de buurt beter.", theme=theme,
                                       moderation=Moderation.PENDING, project=project)
        made[title] = geo_services.initiative_publish(initiative=initiative, moderator=moderator)
    return made


def _search_and_filter(page, *, axe: bool):
    page.goto("/")
    box = page.get_by_role("search", name="Zoeken op de hele website")
    box.get_by_label("Zoek in projecten, bijeenkomsten, initiatieven en besluiten").fill("bomen")
    box.get_by_role("button", name="Zoeken").click()
    page.wait_for_url("**/zoeken/?q=bomen")
    results = page.locator(".result h3 a")
    assert sorted(results.all_inner_texts()) == ["Bomen langs de dijk", "Een boom op het plein"]
    if axe:
        assert_accessible(page)
    page.get_by_label("Thema").select_option("Verkeer")
    page.get_by_role("search", name="Zoeken en filteren").get_by_role("button", name="Zoeken").click()
    page.wait_for_url("**thema=Verkeer**")
    assert page.locator(".result h3 a").all_inner_texts() == ["Bomen langs de dijk"]
    assert "1 resultaat" in page.locator("#search-results").inner_text()
    if axe:
        assert_accessible(page)
    page.get_by_label("Vanaf datum").fill("2999-01-01")
    page.get_by_role("search", name="Zoeken en filteren").get_by_role("button", name="Zoeken").click()
    assert page.locator(".result").count() == 0
    assert "Niets gevonden" in page.content()
    if axe:
        assert_accessible(page)


@pytest.mark.postgres
def test_search_and_filter_on_a_phone(page, memory):
    _search_and_filter(page, axe=True)
    response = page.goto("/zoeken/?van=31-12-2024")
    assert response.status == 400
    assert_accessible(page)


@pytest.mark.postgres
def test_search_and_filter_without_javascript(browser, live_server, memory):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="nl-NL", base_url=live_server.url,
                                  java_script_enabled=False)
    context.route(lambda url: not url.startswith(live_server.url), lambda route: route.abort())
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        # axe needs JavaScript in the page: the phone test above checks the same server-rendered pages.
        _search_and_filter(page, axe=False)
        # A bad parameter: a 400 page that says why, next to the field.
        response = page.goto("/zoeken/?van=31-12-2024")
        assert response.status == 400
        assert "Vul een datum in als jjjj-mm-dd" in page.content()
    finally:
        context.close()
