"""A fresh `wagtail start` site, given only the wheel, the README's two blocks and `migrate`, works.

Builds the wheel, installs it into its own virtualenv (versions kept to requirements.txt), creates
a site with `wagtail start`, appends the two blocks read from README.md (so docs and test cannot
drift), then talks HTTP to `runserver`: project page, anonymous registration with the emailed
confirm link, a resident's Top-3 with its emailed link, the map and its data, /mijn/, /raad/ and
the English catalogue. Only the mail
backend (a file per mail) and SITE_URL are changed after the README blocks, for the test's sake.
"""

from __future__ import annotations

import concurrent.futures
import http.cookiejar
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.plugin

REPO = Path(__file__).resolve().parents[2]
PORT = 7142  # tests that start servers use 7100-7199
BASE = f"http://127.0.0.1:{PORT}"


def _pypi_reachable() -> bool:
    try:
        socket.create_connection(("pypi.org", 443), timeout=5).close()
        return True
    except OSError:
        return False


def readme_block(marker: str) -> str:
    readme = (REPO / "README.md").read_text()
    blocks = re.findall(rf"<!-- {marker} -->\s*```python\n(.*?)```", readme, re.S)
    assert len(blocks) == 1, f"README.md must have exactly one block marked <!-- {marker} -->"
    return blocks[0]


def test_readme_has_exactly_two_marked_blocks():
    section = (REPO / "README.md").read_text().split("## Adding the apps to an existing Wagtail site", 1)[1]
    section = section.split("\n## ", 1)[0]
    assert section.count("```python") == 2 and section.count("```") == 4
    assert readme_block("host-settings") in section and readme_block("host-urls") in section


def _run(args, *, cwd, env, timeout=300):
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, f"{' '.join(map(str, args))} failed:\n{result.stdout[-3000:]}\n{result.stderr[-5000:]}"
    return result.stdout


SETUP_CONTENT = r'''
import datetime
from django.utils import timezone
from wagtail.models import Site
from projects.models import ProjectIndexPage, ProjectPage, StakeholderGroup
from dialogues.models import DialogueRoundPage
from dialogues.services import session_create
from geo.models import Area, InitiativeMapPage, Theme

home = Site.objects.get(is_default_site=True).root_page.specific

def publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page

index = publish(home, ProjectIndexPage(title="Projecten", slug="projecten"))
project = ProjectPage(
    title="Een nieuw plein voor de Lindenwijk", slug="nieuw-plein",
    summary="Wij maken een plan voor het plein en horen graag wat u ervan vindt.",
    ladder_level="adviseren", contact_name="Sanne de Vries", contact_email="s.devries@gemeente.example",
)
project.stakeholder_groups.add(StakeholderGroup(sort_order=0, name="Ondernemers"))
publish(index, project)
round_page = publish(project, DialogueRoundPage(
    title="Dialoog over het plein", slug="dialoog-plein", theme="Wat vindt u belangrijk op het plein?",
    target_groups=["Bewoner"],
))
starts = (timezone.now() + datetime.timedelta(days=7)).replace(second=0, microsecond=0)
session = session_create(
    round_page=round_page, title="Avond in het buurthuis", starts_at=starts, ends_at=starts + datetime.timedelta(hours=2),
    venue="Buurthuis De Linde", address="Lindelaan 1, Utrecht", capacity_onsite=10, capacity_online=0,
    facilitator="Ahmed Yilmaz",
)
publish(home, InitiativeMapPage(title="Initiatieven op de kaart", slug="initiatieven"))
wijk = Area(code="WK034401", name="Lindenwijk", kind="wijk", geometry={"type": "Polygon", "coordinates": [
    [[5.10, 52.08], [5.12, 52.08], [5.12, 52.10], [5.10, 52.10], [5.10, 52.08]]]})
wijk.full_clean()
wijk.save()
theme = Theme.objects.create(name="Groen")
print(f"PROJECT_URL={project.url} SESSION_ID={session.pk} AREA_ID={wijk.pk} THEME_ID={theme.pk}")
'''


_BUILD: concurrent.futures.Future | None = None


def start_build(root: Path | None = None):
    """Start building the wheel and its virtualenv in a thread (called by tests/conftest.py once
    collection has selected this module). It is mostly waiting on PyPI and the disk, minutes of
    it, so it runs while the tests before this module do; the fixture then waits for it."""
    global _BUILD
    if _BUILD is None:
        env = {key: value for key, value in os.environ.items()
               if not key.startswith(("DJANGO_", "DATABASE_", "REDIS_", "PYTEST_"))}
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        _BUILD = concurrent.futures.Future()
        root = root or Path(tempfile.mkdtemp(prefix="fresh_host_"))

        def run():
            try:
                _BUILD.set_result(_build(root, env))
            except BaseException as error:  # noqa: BLE001 - handed to the fixture, which raises it
                _BUILD.set_exception(error)

        # A daemon: a run that stops early (-x) does not wait minutes for a build nobody uses.
        threading.Thread(target=run, name="fresh-host-build", daemon=True).start()
    return _BUILD


def _build(root: Path, env: dict) -> Path | None:
    """The wheel installed into root/venv; None without network to PyPI."""
    if not _pypi_reachable():
        return None

    # Build from a copy, so the build leaves nothing in the working tree.
    source = root / "source"
    shutil.copytree(REPO, source, ignore=shutil.ignore_patterns(
        ".venv", ".git", "tests", "media", "static_collected", "*.sqlite3", "__pycache__", "build", "*.egg-info",
        "*.mo", ".pytest_cache", "test-artifacts", "bench",
    ))
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", str(source), "-w", str(root / "dist")], cwd=root, env=env)
    wheel = next((root / "dist").glob("participatie-*.whl"))

    # pip refuses extras in constraints (psycopg[binary]); the versions are what matters.
    constraints = root / "constraints.txt"
    constraints.write_text(re.sub(r"\[[^\]]*\]", "", (REPO / "requirements.txt").read_text()))
    _run([sys.executable, "-m", "venv", str(root / "venv")], cwd=root, env=env)
    venv_bin = root / "venv" / "bin"
    _run([str(venv_bin / "pip"), "install", "-q", str(wheel), "-c", str(constraints)], cwd=root, env=env, timeout=600)
    return root


@pytest.fixture(scope="module")
def fresh_host():
    build = start_build()
    root = build.result()
    if root is None:
        pytest.skip("no network to PyPI: cannot install a fresh virtualenv")
    yield from _serve(root)


def _serve(root: Path):
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("DJANGO_", "DATABASE_", "REDIS_", "PYTEST_"))}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    venv_bin = root / "venv" / "bin"
    site = root / "site"
    site.mkdir()
    _run([str(venv_bin / "wagtail"), "start", "mysite", str(site)], cwd=root, env=env)
    settings_dir = site / "mysite" / "settings"
    with (settings_dir / "base.py").open("a") as f:
        f.write("\n\n" + readme_block("host-settings"))
    with (site / "mysite" / "urls.py").open("a") as f:
        f.write("\n\n" + readme_block("host-urls"))
    mail_dir = root / "mail"
    with (settings_dir / "dev.py").open("a") as f:
        f.write(
            "\n# Test only: mail as files, links to the test server.\n"
            'EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"\n'
            f"EMAIL_FILE_PATH = {str(mail_dir)!r}\n"
            f'SITE_URL = WAGTAILADMIN_BASE_URL = "{BASE}"\n'
        )

    python = str(venv_bin / "python")
    _run([python, "manage.py", "check", "--fail-level", "WARNING"], cwd=site, env=env)
    _run([python, "manage.py", "migrate", "--noinput"], cwd=site, env=env)
    out = _run([python, "manage.py", "shell", "-c", SETUP_CONTENT], cwd=site, env=env)
    found = re.search(r"PROJECT_URL=(\S+) SESSION_ID=(\d+) AREA_ID=(\d+) THEME_ID=(\d+)", out)
    assert found, out

    log = (root / "server.log").open("w")
    server = subprocess.Popen(
        [python, "manage.py", "runserver", "--noreload", f"127.0.0.1:{PORT}"],
        cwd=site, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", PORT), timeout=1).close()
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, (root / "server.log").read_text()
                time.sleep(0.2)
        yield {"project_url": found.group(1), "session_id": int(found.group(2)), "mail_dir": mail_dir,
               "area_id": int(found.group(3)), "theme_id": int(found.group(4)),
               "log": root / "server.log"}
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


class Browser:
    """Cookies, CSRF token and no automatic redirects: enough of a browser to post forms."""

    def __init__(self):
        self.cookies = http.cookiejar.CookieJar()
        no_redirect = type("NoRedirect", (urllib.request.HTTPRedirectHandler,), {"redirect_request": lambda *a, **k: None})
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies), no_redirect)

    def request(self, path, data=None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(BASE + path, data=body, headers={"Referer": BASE + "/"})
        try:
            response = self.opener.open(request, timeout=30)
        except urllib.error.HTTPError as error:
            response = error
        return response.status, response.headers, response.read().decode("utf-8", "replace")

    def csrf(self) -> str:
        return next(c.value for c in self.cookies if c.name == "csrftoken")


def _answer(host, status, path, body):
    """Why a request failed, short: Django's debug page is long, its title and exception say it."""
    title = re.search(r"<title>(.*?)</title>", body, re.S)
    value = re.search(r'<pre class="exception_value">(.*?)</pre>', body, re.S)
    summary = " | ".join(" ".join(m.group(1).split()) for m in (title, value) if m) or body[:800]
    return f"{path} answered {status}: {summary}"


def test_project_page_answers_with_its_title(fresh_host):
    status, _, body = Browser().request(fresh_host["project_url"])
    assert status == 200, _answer(fresh_host, status, fresh_host["project_url"], body)
    assert "Een nieuw plein voor de Lindenwijk" in body


def test_anonymous_registration_holds_a_seat_and_the_emailed_link_confirms_it(fresh_host):
    browser = Browser()
    path = f"/dialoog/sessie/{fresh_host['session_id']}/aanmelden/"
    status, _, body = browser.request(path)
    assert status == 200, _answer(fresh_host, status, path, body)
    status, headers, body = browser.request(path, {
        "csrfmiddlewaretoken": browser.csrf(), "name": "Jan de Boer", "email": "jan@example.org",
        "stakeholder_group": "Bewoner", "consent": "on",
    })
    assert status == 302, _answer(fresh_host, status, path, body)
    status, _, body = browser.request(headers["Location"])
    assert "We houden een plaats voor u vrij" in body

    mails = "".join(p.read_text() for p in sorted(fresh_host["mail_dir"].glob("*.log")))
    link = re.search(re.escape(BASE) + r"(/dialoog/bevestigen/[^/\s]+/)", mails)
    assert link, f"no confirm link in the mail:\n{mails[-2000:]}"
    status, _, body = browser.request(link.group(1))
    assert status == 200
    status, headers, body = browser.request(link.group(1), {"csrfmiddlewaretoken": browser.csrf()})
    assert status == 302, _answer(fresh_host, status, link.group(1), body)
    assert "Er is een plaats voor u" in browser.request(headers["Location"])[2]


def test_anonymous_top3_is_kept_and_the_emailed_link_confirms_it(fresh_host):
    browser = Browser()
    path = "/wat-houdt-u-bezig/"
    status, _, body = browser.request(path)
    assert status == 200, _answer(fresh_host, status, path, body)
    status, headers, body = browser.request(path, {
        "csrfmiddlewaretoken": browser.csrf(), "area": fresh_host["area_id"], "theme_1": fresh_host["theme_id"],
        "text_1": "Meer bomen op het plein.", "email": "top3@example.org",
    })
    assert status == 302, _answer(fresh_host, status, path, body)
    mails = "".join(p.read_text() for p in sorted(fresh_host["mail_dir"].glob("*.log")))
    link = re.search(re.escape(BASE) + r"(/wat-houdt-u-bezig/bevestigen/[^/\s]+/)", mails)
    assert link, f"no confirm link in the mail:\n{mails[-2000:]}"
    status, headers, body = browser.request(link.group(1), {"csrfmiddlewaretoken": browser.csrf()})
    assert status == 302, _answer(fresh_host, status, link.group(1), body)
    assert "Uw e-mailadres is bevestigd" in browser.request(headers["Location"])[2]


def test_map_page_and_its_data_answer(fresh_host):
    browser = Browser()
    for path in ("/initiatieven/", "/initiatief/kaart/"):
        status, _, body = browser.request(path)
        assert status == 200, _answer(fresh_host, status, path, body)
    path = "/api/geo/initiatives/?bbox=4.9,52.0,5.3,52.2&zoom=12"
    status, headers, body = browser.request(path)
    assert status == 200, _answer(fresh_host, status, path, body)
    assert headers["Content-Type"].startswith("application/") and '"features"' in body


def test_my_page_sends_anonymous_visitors_to_the_login(fresh_host):
    status, headers, body = Browser().request("/mijn/")
    assert status == 302, _answer(fresh_host, status, "/mijn/", body)
    assert headers["Location"].startswith("/account/login/")


def test_council_view_answers_as_in_the_demo_host(fresh_host):
    """As in the demo host (tests/projects/test_council.py): anonymous visitors are sent to the login."""
    status, headers, body = Browser().request("/raad/")
    assert status == 302, _answer(fresh_host, status, "/raad/", body)
    assert headers["Location"].startswith("/account/login/")


def test_switching_to_english_uses_the_plugin_catalogue(fresh_host):
    browser = Browser()
    path = f"/dialoog/sessie/{fresh_host['session_id']}/aanmelden/"
    status, _, body = browser.request(path)
    assert status == 200, _answer(fresh_host, status, path, body)
    assert "Ik doe mee als" in body
    status, _, body = browser.request("/taal/", {"csrfmiddlewaretoken": browser.csrf(), "language": "en", "next": path})
    assert status == 302, _answer(fresh_host, status, "/taal/", body)
    status, _, body = browser.request(path)
    assert "I am taking part as" in body and "Ik doe mee als" not in body


def test_search_and_what_lives_answer_on_the_embedded_database(fresh_host):
    """SQLite refuses some SQL that PostgreSQL takes (an ORDER BY inside a UNION did): the rest of
    the suite runs on PostgreSQL in CI, this host on SQLite."""
    for path in ("/zoeken/?q=plein", "/zoeken/", "/wat-leeft-er/", "/verantwoording/"):
        status, _, body = Browser().request(path)
        assert status == 200, _answer(fresh_host, status, path, body)


def test_anonymous_pages_come_from_the_page_cache(fresh_host):
    """The README's MIDDLEWARE line switches the page cache on; the third anonymous request is a hit."""
    browser = Browser()
    states = [browser.request(fresh_host["project_url"])[1].get("X-Page-Cache") for _ in range(3)]
    assert states[-1] == "hit", states
