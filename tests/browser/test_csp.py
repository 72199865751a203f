"""The Content-Security-Policy in a real browser: every page type works under it and breaks none of its rules.

A violation shows up three ways in Chromium: a ``securitypolicyviolation`` event, a console error
("Refused to ..."), or a script that stops with an error. All three are collected from every frame
(the admin's page preview is an iframe) and fail the test. Requests to other hosts are aborted,
except the map tiles: they are answered with a small PNG, so a tile only loads when ``img-src``
allows the tile host.
"""

from __future__ import annotations

import base64
import datetime

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from django.test import Client
from django.utils import timezone

from dialogues import services
from dialogues.models import Registration
from projects.conf import map_tiles_csp_source
from tests.dialogues.factories import DialogueRoundPageFactory, DialogueSessionFactory, registration_data
from tests.geo.factories import AreaFactory, InitiativeFactory, ThemeFactory, square
from tests.projects.factories import ProjectPageFactory, UserFactory, phase

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "geheim-wachtwoord-123"  # tests.projects.factories.UserFactory's
# A 1x1 transparent PNG, the answer to every tile request.
TILE = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==")
LISTENER = """
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolation(e.violatedDirective + " blocked " + (e.blockedURI || "inline") + " at "
    + e.sourceFile + ":" + e.lineNumber + " on " + document.location.pathname);
});
"""


class Watcher:
    """Everything that went wrong on the pages of one browser context."""

    def __init__(self, context):
        self.problems: list[str] = []
        context.expose_binding("__cspViolation", lambda source, text: self.problems.append(f"violation: {text}"))
        context.add_init_script(LISTENER)

    def watch(self, page):
        page.on("console", lambda m: m.type == "error" and self.problems.append(f"console on {page.url}: {m.text}"))
        page.on("pageerror", lambda e: self.problems.append(f"script error on {page.url}: {e}"))
        return page

    def assert_clean(self, where: str):
        assert not self.problems, f"{where}: " + "; ".join(self.problems)


@pytest.fixture
def browse(browser, live_server, settings):
    """``(page, watcher)`` in a desktop-sized context that serves map tiles and blocks other hosts."""
    tiles = map_tiles_csp_source(settings.PARTICIPATIE["MAP_TILES_URL"])
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="nl-NL", base_url=live_server.url)
    # Routes registered later win: tiles are answered, every other outside host is aborted.
    context.route(lambda url: not url.startswith(live_server.url) and not url.startswith("data:"), lambda r: r.abort())
    context.route(f"{tiles}/**", lambda r: r.fulfill(status=200, content_type="image/png", body=TILE))
    watcher = Watcher(context)
    page = watcher.watch(context.new_page())
    page.set_default_timeout(20_000)
    yield page, watcher
    context.close()


@pytest.fixture
def municipality(_site):
    from home.models import SiteSettings

    s = SiteSettings.for_site(_site)
    s.municipality_name = "Gemeente Lindewaard"
    s.primary_colour = "#7a1f5c"
    s.map_center_lat, s.map_center_lon, s.map_zoom = 52.028, 5.168, 13
    s.map_bounds_min_lon, s.map_bounds_min_lat, s.map_bounds_max_lon, s.map_bounds_max_lat = 5.10, 51.99, 5.24, 52.06
    s.save()
    return _site


def wait_for_map(page, watcher, selector: str):
    """Leaflet initialised on ``selector`` and drew at least one tile from the tile host."""
    # Selectors, not wait_for_function: its string predicate is evaluated like eval(), which a
    # policy without 'unsafe-eval' refuses.
    try:
        page.wait_for_selector(f"{selector}.leaflet-container", state="attached", timeout=10_000)
        page.wait_for_selector(f"{selector} img.leaflet-tile-loaded", state="attached", timeout=10_000)
    except PlaywrightTimeoutError:
        watcher.assert_clean(f"map {selector} did not load")
        raise


def log_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])


def test_public_pages_work_under_the_policy(browse, live_server, municipality):
    page, watcher = browse
    today = datetime.date.today()
    area = square(5.14, 52.01, 5.19, 52.04)
    project = ProjectPageFactory(
        title="Groen Schoneveld", area=area,
        phases=[phase("dialoog", "Gesprekken", today - datetime.timedelta(days=2), today + datetime.timedelta(days=9))],
    )
    round_page = DialogueRoundPageFactory(title="Zorg in de buurt", parent=project)
    DialogueSessionFactory(round=round_page, title="Avond in De Linde", latitude=52.0365, longitude=5.1522)
    AreaFactory(code="WK999901", name="Houten-Noord")
    theme = ThemeFactory(name="Groen")
    InitiativeFactory(title="Bankje bij de speeltuin", theme=theme, lat=52.03, lon=5.17)

    page.goto("/")
    assert page.get_by_role("link", name="Groen Schoneveld").first.is_visible()
    # The theme colour comes from the nonce'd inline <style>: blocked, it would stay the default.
    assert page.evaluate("getComputedStyle(document.documentElement).getPropertyValue('--colour-primary').trim()") == "#7a1f5c"
    watcher.assert_clean("home page")

    page.goto(project.url)
    wait_for_map(page, watcher, "#project-map")
    watcher.assert_clean("project page")

    page.goto(round_page.url)
    wait_for_map(page, watcher, "#sessions-map")
    page.get_by_role("link", name="Aanmelden voor Avond in De Linde").click()
    page.get_by_label("Uw naam").fill("Mila Visser")
    page.get_by_label("Uw e-mailadres").fill("mila@example.org")
    page.get_by_label("Bewoner").check()
    page.get_by_label("Ik geef toestemming").check()
    page.get_by_role("button", name="Aanmelden").click()  # form-action 'self' lets the form post
    assert page.get_by_text("We houden een plaats voor u vrij").is_visible()
    assert Registration.objects.filter(email="mila@example.org").exists()
    watcher.assert_clean("round page and registration")

    page.goto("/initiatief/kaart/")
    wait_for_map(page, watcher, "#geo-map")
    page.locator(".geo-cluster, .geo-initiative").first.wait_for()
    watcher.assert_clean("initiatives map")

    log_in(page, live_server, UserFactory())
    page.goto("/initiatief/nieuw/")
    wait_for_map(page, watcher, "#geo-picker-map")
    page.locator("#geo-picker-map").click()
    assert page.locator("#id_lat").input_value() != ""
    watcher.assert_clean("initiative form")


def test_admin_works_under_its_policy(browse, municipality):
    page, watcher = browse
    admin = UserFactory(username="beheerder", is_staff=True, is_superuser=True)
    project = ProjectPageFactory(title="Groen Schoneveld", area=square(5.14, 52.01, 5.19, 52.04))
    round_page = DialogueRoundPageFactory(title="Zorg in de buurt", parent=project)
    session = DialogueSessionFactory(round=round_page, title="Avond in De Linde", starts_at=timezone.now() + datetime.timedelta(days=3))
    services.registration_create(session_id=session.pk, **registration_data(email="mila@example.org"))

    page.goto("/admin/login/")
    page.fill("input[name=username]", admin.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/")
    page.wait_for_load_state("networkidle")
    watcher.assert_clean("admin login and dashboard")

    # The page editor with the area drawing map (django-leaflet) and the live preview (an iframe).
    page.goto(f"/admin/pages/{project.pk}/edit/")
    page.get_by_role("tab", name="Participatie").click()
    wait_for_map(page, watcher, "#id_area-map")
    assert page.locator("#id_area-map .leaflet-draw-draw-polygon").is_visible()
    page.get_by_role("button", name="Voorvertoning").click()
    preview = page.frame_locator("iframe#w-preview-iframe")
    assert preview.get_by_role("heading", level=1).inner_text() == "Groen Schoneveld"
    page.wait_for_load_state("networkidle")
    watcher.assert_clean("page editor and preview")

    # An editor on the public site sees Wagtail's user bar under the public policy.
    page.goto(project.url)
    page.locator("wagtail-userbar").wait_for(state="attached")
    wait_for_map(page, watcher, "#project-map")
    watcher.assert_clean("public page with the user bar")

    # The printable attendance list: its stylesheet and print button come from static files.
    page.goto(f"/admin/dialogen/sessie/{session.pk}/presentielijst/")
    assert page.evaluate("getComputedStyle(document.querySelector('table')).borderCollapse") == "collapse"
    page.evaluate("window.print = function () { window.__printed = true; }")
    page.get_by_role("button", name="Printen").click()
    assert page.evaluate("window.__printed === true")
    watcher.assert_clean("attendance list")
