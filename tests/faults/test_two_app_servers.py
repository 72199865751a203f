"""Two real app servers (gunicorn) against one PostgreSQL database and one Redis: what one
process counts or invalidates, the other sees at once.

Nothing here is faked: the servers are separate processes started from the test settings, on
the test database (data is committed: ``transactional_db``), sharing their cache through Redis
the way production does. A client talks to both through one cookie jar, like a browser behind
a load balancer that sends each request to either server.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.db import connection
from django.urls import reverse
from wagtail.models import Site

from dialogues.models import Registration
from tests.conftest import ensure_site
from tests.dialogues.factories import DialogueSessionFactory
from tests.projects.factories import ProjectIndexPageFactory, ProjectPageFactory, UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

ROOT = Path(__file__).resolve().parents[2]
PORTS = (7710, 7711)
# The registration limit the servers run with. The window is far longer than the test so the
# fixed window cannot roll over halfway (the count would start again and the test would lie).
LIMIT = 4
WINDOW = 10**9


def _port_open(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.2)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def _database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def app_servers(transactional_db, tmp_path):
    """Start gunicorn twice (one worker each, so two processes with their own memory); yield
    their base URLs; stop both and drop this run's cache keys from Redis."""
    import redis

    ensure_site()  # an earlier transactional test may have emptied the Site table
    prefix = f"two-servers-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "participatie.settings.test",
        "DATABASE_URL": _database_url(),
        "DB_CONN_MAX_AGE": "0",
        "REDIS_URL": settings.REDIS_URL,
        "TEST_SHARED_CACHE_PREFIX": prefix,
        # The page cache on, as in production: what one server writes, the other's cached pages show.
        "TEST_PARTICIPATIE_JSON": json.dumps({"REGISTRATION_RATE_LIMIT": [LIMIT, WINDOW], "PAGE_CACHE_ALIAS": "default"}),
    }
    for port in PORTS:
        assert not _port_open(port), f"port {port} is taken: a server of an earlier run still up?"
    processes, logs = [], []
    try:
        for port in PORTS:
            log = open(tmp_path / f"gunicorn-{port}.log", "w")  # noqa: SIM115 - closed in finally
            logs.append(log)
            processes.append(subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "participatie.wsgi:application", "--bind", f"127.0.0.1:{port}",
                 "--workers", "1", "--timeout", "60", "--access-logfile", "-"],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
            ))
        deadline = time.monotonic() + 60
        for port, process in zip(PORTS, processes):
            while not _ready(port):
                assert process.poll() is None, (tmp_path / f"gunicorn-{port}.log").read_text()
                assert time.monotonic() < deadline, f"gunicorn on {port} did not come up"
                time.sleep(0.2)
        yield [f"http://127.0.0.1:{port}" for port in PORTS]
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for log in logs:
            log.close()
        client = redis.Redis.from_url(settings.REDIS_URL)
        for key in client.scan_iter(f"{prefix}:*"):
            client.delete(key)


def _ready(port: int) -> bool:
    if not _port_open(port):
        return False
    try:
        return requests.get(f"http://127.0.0.1:{port}/", timeout=5).status_code < 500
    except requests.RequestException:
        return False


def _csrf(response) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.text)
    assert match, response.text[:2000]
    return match.group(1)


def test_registration_limit_counts_across_both_servers(app_servers):
    server_a, server_b = app_servers
    session = DialogueSessionFactory(capacity_onsite=20)
    path = f"/dialoog/sessie/{session.pk}/aanmelden/"
    browser = requests.Session()
    sent = 0

    def register(server: str) -> requests.Response:
        nonlocal sent
        token = _csrf(browser.get(server + path, timeout=10))
        sent += 1
        return browser.post(server + path, allow_redirects=False, timeout=20, data={
            "csrfmiddlewaretoken": token, "name": f"Deelnemer {sent}", "email": f"deelnemer{sent}@example.org",
            "stakeholder_group": "Bewoner", "consent": "on",
        })

    # Half of the limit on each server: neither alone reaches it, together they do.
    for server in (server_a, server_b) * (LIMIT // 2):
        response = register(server)
        assert response.status_code == 302, response.text[:2000]
    assert Registration.objects.filter(session=session).count() == LIMIT

    # One more on either server goes over: each counted what the other saw.
    for server in (server_b, server_a):
        response = register(server)
        assert response.status_code == 429
        assert "te vaak" in response.text
    assert Registration.objects.filter(session=session).count() == LIMIT


def test_site_root_change_on_one_server_is_seen_by_the_other(app_servers):
    """Wagtail caches the sites' root paths (page URLs are built from them) and clears the key
    when a Site is saved. Server B has them cached; the change is made in the admin on server A."""
    server_a, server_b = app_servers
    site = Site.objects.get(is_default_site=True)
    index = ProjectIndexPageFactory(title="Projecten", slug="projecten")
    project = ProjectPageFactory(title="Herinrichting Marktplein", slug="marktplein", parent=index)
    admin_user = UserFactory(username="beheerder", is_staff=True, is_superuser=True)
    admin_user.set_password("geheim-wachtwoord-1")
    admin_user.save()

    for server in (server_a, server_b):  # both now hold the root paths: B in the shared cache
        html = requests.get(f"{server}/projecten/", timeout=10).text
        assert 'href="/projecten/marktplein/"' in html

    admin = requests.Session()
    login = admin.get(f"{server_a}/admin/login/", timeout=10)
    response = admin.post(f"{server_a}/admin/login/", allow_redirects=False, timeout=10, data={
        "csrfmiddlewaretoken": _csrf(login), "username": "beheerder", "password": "geheim-wachtwoord-1",
    })
    assert response.status_code == 302, response.text[:2000]
    edit = reverse("wagtailsites:edit", args=[site.pk])
    form = admin.get(server_a + edit, timeout=10)
    response = admin.post(server_a + edit, allow_redirects=False, timeout=20, data={
        "csrfmiddlewaretoken": _csrf(form), "hostname": site.hostname, "port": site.port,
        "site_name": site.site_name, "root_page": index.pk, "is_default_site": "on",
    })
    assert response.status_code == 302, response.text[:3000]

    # B, asked at once: the project index is the home page now, and its links follow the new root
    # (with B's old root paths they would still point under /projecten/, which no longer exists).
    html = requests.get(f"{server_b}/", timeout=10).text
    assert "Herinrichting Marktplein" in html
    assert 'href="/marktplein/"' in html and 'href="/projecten/marktplein/"' not in html
    assert requests.get(f"{server_b}/marktplein/", timeout=10).status_code == 200
    assert project.title in requests.get(f"{server_a}/marktplein/", timeout=10).text



def test_a_registration_on_one_server_changes_the_cached_round_page_of_the_other(app_servers):
    """Server B keeps the round page in the shared cache; a resident registers on server A; the
    next anonymous visitor on B sees one seat less, not B's cached page."""
    server_a, server_b = app_servers
    session = DialogueSessionFactory(capacity_onsite=20)
    round_url = session.round.url
    reader = requests.Session()
    states = [reader.get(server_b + round_url, timeout=10).headers.get("X-Page-Cache") for _ in range(3)]
    assert states == ["learn", "miss", "hit"]
    assert "Nog 20 plaatsen vrij" in reader.get(server_b + round_url, timeout=10).text

    resident = requests.Session()
    path = f"/dialoog/sessie/{session.pk}/aanmelden/"
    response = resident.post(server_a + path, allow_redirects=False, timeout=20, data={
        "csrfmiddlewaretoken": _csrf(resident.get(server_a + path, timeout=10)), "name": "Jan de Boer",
        "email": "jan@example.org", "stakeholder_group": "Bewoner", "consent": "on",
    })
    assert response.status_code == 302, response.text[:2000]

    fresh = reader.get(server_b + round_url, timeout=10)
    assert fresh.headers.get("X-Page-Cache") != "hit"
    assert "Nog 19 plaatsen vrij" in fresh.text
    assert reader.get(server_b + round_url, timeout=10).headers.get("X-Page-Cache") == "hit"
