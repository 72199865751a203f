"""Playwright on Debian's Chromium (no browser downloads), against pytest-django's live server.

Every page a test visits can be checked with ``assert_accessible(page)`` (axe-core).
"""

from __future__ import annotations

import os
import shutil

import pytest

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def chromium_path() -> str | None:
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    return path if os.path.exists(path) else None


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if path is None:
        pytest.skip("needs Chromium: apt-get install chromium chromium-driver")
    from playwright.sync_api import sync_playwright

    # Playwright's loop runs in this thread while the browser lives, and the database
    # teardown after each test (a flush, after the per-test monkeypatch is undone) runs in it
    # too: allow async-unsafe ORM access for exactly that long.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser, live_server):
    """A phone-sized page (most residents use a phone); tiles and other outside hosts blocked."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="nl-NL", base_url=live_server.url, device_scale_factor=1,
    )
    # Nothing outside this machine is reachable; fail fast instead of waiting on map tiles.
    context.route(
        lambda url: not url.startswith(live_server.url) and not url.startswith("data:"),
        lambda route: route.abort(),
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def admin_page(browser, live_server):
    """A desktop-sized page: civil servants work in the admin on a computer."""
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="nl-NL", base_url=live_server.url)
    context.route(lambda url: not url.startswith(live_server.url) and not url.startswith("data:"), lambda r: r.abort())
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


def admin_login(page, user, password="geheim-wachtwoord-123"):
    """Log in to the Wagtail admin with the test users' password (tests.projects.factories)."""
    page.goto("/admin/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/")


def assert_accessible(page, *, impacts=("serious", "critical")):
    """Run axe-core on the current page; fail on violations of the given impacts."""
    from axe_playwright_python.sync_playwright import Axe

    # Wagtail's messages slide and fade in: measure colours once they have arrived, not half-way.
    # Jump every finite animation to its end instead of waiting for it: the admin's sidebar
    # badge ("ping-warning") pulses for 25 seconds on every page, which made each check of an
    # admin page wait 25 s for the same end state. (Endless ones, such as a spinner, are left.)
    page.evaluate("document.getAnimations()"
                  ".filter(a => a.effect && a.effect.getComputedTiming().endTime !== Infinity)"
                  ".forEach(a => a.finish())")
    results = Axe().run(page)
    violations = [v for v in results.response["violations"] if v.get("impact") in impacts]
    assert not violations, "axe: " + "; ".join(
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}" for v in violations
    )


@pytest.fixture(autouse=True)
def _site(monkeypatch, transactional_db):
    # Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run in
    # such a thread unless told that this is deliberate. Only for browser tests, never globally.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from tests.conftest import ensure_site

    return ensure_site()
