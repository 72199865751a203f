"""Browser: "Wat leeft er" for the whole municipality and one wijk on a 390 px phone without
JavaScript (the period form is a plain GET form), and the council view with its filters;
axe clean on every page."""

from __future__ import annotations

import datetime

from django.conf import settings as django_settings
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone

from tests.browser.conftest import assert_accessible
from tests.geo.factories import AreaFactory, InitiativeFactory, ThemeFactory, square
from tests.projects.factories import ProjectPageFactory, UserFactory

PHONE = {"width": 390, "height": 844}


def _world():
    noord = AreaFactory(code="WK099901", name="Noordwijk-Binnen", geometry=square(5.10, 52.03, 5.24, 52.06))
    AreaFactory(code="WK099902", name="Zuid", geometry=square(5.10, 51.99, 5.24, 52.0299))
    groen = ThemeFactory(name="Groen en spelen in de buurt", sort_order=1)
    verkeer = ThemeFactory(name="Verkeer", sort_order=2)
    project = ProjectPageFactory(title="Groen Noord")
    now = timezone.now()
    for n in range(6):
        InitiativeFactory(theme=groen, area=noord, project=project, created_at=now - datetime.timedelta(days=n + 1))
    for n in range(3):
        InitiativeFactory(theme=verkeer, area=noord, project=project, created_at=now - datetime.timedelta(days=100 + n))
    InitiativeFactory(theme=verkeer, area=noord, project=project, created_at=now - datetime.timedelta(days=3))
    return noord


def _accessible_without_site_scripts(browser, live_server, path, status=200):
    """axe needs JavaScript, so check the page as it is without the site's scripts: JavaScript
    on for axe only, every script file refused."""
    context = browser.new_context(base_url=live_server.url, locale="nl-NL", viewport=PHONE)
    context.route(lambda url: not url.startswith(live_server.url) or url.split("?")[0].endswith(".js"),
                  lambda route: route.abort())
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        assert page.goto(path).status == status
        _no_sideways_scroll(page)
        assert_accessible(page)
    finally:
        context.close()


def _no_sideways_scroll(page):
    wide = page.evaluate("""() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 392)
        .slice(0, 8).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))""")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], wide


def test_what_lives_on_a_phone_without_javascript(browser, live_server):
    noord = _world()
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url, locale="nl-NL", viewport=PHONE)
    context.route(lambda url: not url.startswith(live_server.url), lambda route: route.abort())
    page = context.new_page()
    page.set_default_timeout(15_000)
    # (No page.evaluate here: without JavaScript it never answers. Layout and axe are checked below.)
    try:
        page.goto("/")
        page.get_by_role("link", name="Bekijk wat er leeft, ook per wijk").click()
        page.wait_for_url("**/wat-leeft-er/")
        assert page.locator("h1").inner_text() == "Wat leeft er in de gemeente?"
        row = page.locator("table.wl-table tbody tr", has_text="Groen en spelen")
        assert row.locator("td").nth(0).inner_text() == "6"
        assert "Signaal" in row.inner_text()  # in words, not colour alone

        page.get_by_role("link", name="Noordwijk-Binnen").click()
        page.wait_for_url(f"**/wat-leeft-er/{noord.code}/?periode=3")
        assert page.locator("h1").inner_text() == "Wat leeft er in Noordwijk-Binnen?"

        page.get_by_label("Periode", exact=True).select_option("12")
        page.get_by_role("button", name="Toon").click()
        page.wait_for_url(f"**/wat-leeft-er/{noord.code}/?periode=12")
        verkeer = page.locator("table.wl-table tbody tr", has_text="Verkeer")
        assert verkeer.locator("td").nth(0).inner_text() == "4"

        response = page.goto(f"/wat-leeft-er/{noord.code}/?periode=7")
        assert response.status == 400
        assert "Kies een periode uit de lijst." in page.locator(".field-error").inner_text()
    finally:
        context.close()
    for path, status in (("/wat-leeft-er/", 200), (f"/wat-leeft-er/{noord.code}/?periode=12", 200),
                         (f"/wat-leeft-er/{noord.code}/?periode=7", 400)):
        _accessible_without_site_scripts(browser, live_server, path, status)


def test_council_view_with_wijk_and_period_filters(page, live_server):
    noord = _world()
    user = UserFactory(username="raadslid")
    user.groups.add(Group.objects.get_or_create(name="Raadsleden")[0])
    client = Client()
    client.force_login(user)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    page.goto("/raad/")
    page.get_by_label("Wijk", exact=True).select_option(noord.code)
    page.get_by_label("Periode", exact=True).select_option("1")
    page.get_by_role("button", name="Toon").click()
    page.wait_for_url(f"**/raad/?periode=1&wijk={noord.code}")
    section = page.locator("section", has=page.get_by_role("heading", name="Wat leeft er per wijk"))
    assert "Groen en spelen in de buurt" in section.inner_text()
    assert "Resultaten" in page.locator("li.council-project", has_text="Groen Noord").inner_text()
    _no_sideways_scroll(page)
    assert_accessible(page)
