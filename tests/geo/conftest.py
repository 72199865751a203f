"""A local fake of the PDOK Locatieserver, and demo-like site settings."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest


class FakeLocatieserver:
    """Serves /suggest and /lookup. ``mode``: "ok", "garbage", "error" (HTTP 500), "slow"."""

    def __init__(self):
        self.mode = "ok"
        self.requests: list[str] = []
        self.docs = {
            "adr-1": {"id": "adr-1", "weergavenaam": "Plein 1, 3991 AA Houten", "centroide_ll": "POINT(5.16832 52.02912)"},
            "adr-far": {"id": "adr-far", "weergavenaam": "Dam 1, 1012 JS Amsterdam", "centroide_ll": "POINT(4.89316 52.37302)"},
        }
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                outer.requests.append(self.path)
                parsed = urlparse(self.path)
                params = {k: v[0] for k, v in parse_qs(parsed.query).items()}
                if outer.mode == "slow":
                    time.sleep(2.5)
                if outer.mode == "error":
                    return self._send(500, b"Internal Server Error", "text/plain")
                if outer.mode == "garbage":
                    return self._send(200, b"<html>not json", "text/html")
                if parsed.path.endswith("/suggest"):
                    q = params.get("q", "").lower()
                    docs = [{"id": d["id"], "weergavenaam": d["weergavenaam"]} for d in outer.docs.values()
                            if any(word in d["weergavenaam"].lower() for word in q.split())]
                    return self._json({"response": {"numFound": len(docs), "docs": docs}})
                if parsed.path.endswith("/lookup"):
                    doc = outer.docs.get(params.get("id", ""))
                    return self._json({"response": {"numFound": 1 if doc else 0, "docs": [doc] if doc else []}})
                return self._send(404, b"not found", "text/plain")

            def _json(self, data):
                self._send(200, json.dumps(data).encode(), "application/json")

            def _send(self, code, body, ctype):
                try:
                    self.send_response(code)
                    self.send_header("Content-Type", ctype)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/search/v3_1"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def geocoder(settings):
    with FakeLocatieserver() as fake:
        settings.PARTICIPATIE = {**settings.PARTICIPATIE, "GEOCODER_URL": fake.url, "GEOCODER_TIMEOUT": 1.0}
        from django.core.cache import cache

        cache.clear()
        yield fake


@pytest.fixture
def houten(site):
    """Site settings with the demo municipality's bounds (Houten)."""
    from home.models import SiteSettings

    s = SiteSettings.for_site(site)
    s.municipality_name = "Houten"
    s.map_bounds_min_lon, s.map_bounds_min_lat, s.map_bounds_max_lon, s.map_bounds_max_lat = 5.10, 51.99, 5.24, 52.06
    s.map_center_lat, s.map_center_lon = 52.03, 5.17
    s.save()
    return site


@pytest.fixture
def resident(db):
    from tests.projects.factories import UserFactory

    return UserFactory()


def moderators_group():
    """The "Moderatoren" group of geo's data migration. Transactional tests empty the tables
    afterwards (and --reuse-db keeps that), so rebuild it with the migration's own code."""
    import importlib

    from django.apps import apps
    from django.contrib.auth.models import Group

    group = Group.objects.filter(name="Moderatoren").first()
    if group is None or not group.permissions.exists():
        # The migration's code clears ``models_module`` (right for its historical apps); on the
        # real registry that would make later flushes skip recreating content types, so restore it.
        modules = {config: config.models_module for config in apps.get_app_configs()}
        try:
            importlib.import_module("geo.migrations.0002_moderators_group").create_group(apps, None)
        finally:
            for config, module in modules.items():
                config.models_module = module
        group = Group.objects.get(name="Moderatoren")
    return group


@pytest.fixture
def moderator(db):
    from tests.projects.factories import UserFactory

    user = UserFactory(username="moderator")
    user.groups.add(moderators_group())
    return user


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
