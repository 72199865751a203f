"""The demo host's Content-Security-Policy and Permissions-Policy headers, over HTTP.

The browser side (nothing on the pages breaks these policies) is tests/browser/test_csp.py.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from projects.conf import map_tiles_csp_source
from tests.projects.factories import ProjectPageFactory, UserFactory

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {name: values for name, *values in (part.split() for part in header.split(";") if part.strip())}


def style_nonce(response) -> str:
    return re.search(r'<style nonce="([^"]+)">', response.content.decode()).group(1)


def test_public_pages_get_the_strict_policy_with_a_fresh_nonce_each_time(client, site):
    project = ProjectPageFactory(title="Groen Schoneveld")
    first, second = client.get("/"), client.get(project.url)
    assert first.status_code == second.status_code == 200

    policy = directives(first)
    assert policy["default-src"] == ["'self'"]
    assert policy["connect-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert "https://service.pdok.nl" in policy["img-src"] and "'self'" in policy["img-src"]
    assert "'unsafe-inline'" not in first["Content-Security-Policy"]
    assert "'unsafe-eval'" not in first["Content-Security-Policy"]

    # The inline theme <style> carries the nonce its response's header allows, and only that one.
    nonce = style_nonce(first)
    assert f"'nonce-{nonce}'" in policy["style-src"] and f"'nonce-{nonce}'" in policy["script-src"]
    assert style_nonce(second) != nonce
    assert f"'nonce-{nonce}'" not in second["Content-Security-Policy"]


def test_the_admin_gets_its_own_policy_and_public_pages_keep_theirs(client, site):
    admin = UserFactory(username="beheerder", is_staff=True, is_superuser=True)
    client.force_login(admin)
    for path in ("/admin/login/", "/admin/"):
        response = client.get(path, follow=True)
        assert response.status_code == 200
        policy = directives(response)
        assert policy["script-src"] == ["'self'", "'unsafe-inline'"]
        assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
        # A nonce would make browsers ignore 'unsafe-inline', so the admin policy has none.
        assert "nonce-" not in response["Content-Security-Policy"]
        assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'self'"]
        assert "https://service.pdok.nl" in policy["img-src"]
    # Logged in as an editor, the public site is still under the strict policy.
    assert "'unsafe-inline'" not in client.get("/")["Content-Security-Policy"]


def test_permissions_policy_denies_the_features_no_page_uses(client, site):
    for path in ("/", "/admin/login/", "/api/geo/areas/"):
        header = client.get(path)["Permissions-Policy"]
        features = dict(item.strip().split("=", 1) for item in header.split(","))
        for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
            assert features[feature] == "()", (path, feature)


@pytest.mark.urls("tests.home.urls_error")
def test_the_server_error_page_style_carries_the_nonce(client, site):
    client.raise_request_exception = False
    response = client.get("/test-fout/")
    assert response.status_code == 500
    assert f"'nonce-{style_nonce(response)}'" in directives(response)["style-src"]


def test_map_tiles_csp_source_is_the_tile_hosts_origin():
    assert map_tiles_csp_source("https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/standaard/EPSG:3857/{z}/{x}/{y}.png") == "https://service.pdok.nl"
    assert map_tiles_csp_source("https://{s}.tiles.gemeente.example/{z}/{x}/{y}.png") == "https://*.tiles.gemeente.example"
    assert map_tiles_csp_source("//kaart.gemeente.example/{z}/{x}/{y}.png") == "kaart.gemeente.example"


def test_a_municipalitys_own_tile_host_is_allowed_in_production():
    # The production settings read MAP_TILES_URL from the environment; the policy follows it.
    environment = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    environment.update(
        DJANGO_SETTINGS_MODULE="participatie.settings.production", SECRET_KEY="k" * 60,
        MAP_TILES_URL="https://{s}.tiles.gemeente.example/{z}/{x}/{y}.png",
    )
    script = (
        "import json; from django.conf import settings as s; "
        "print(json.dumps([s.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'], "
        "s.CONTENT_SECURITY_POLICY_ADMIN['DIRECTIVES']['img-src'], s.LEAFLET_CONFIG['TILES'][0][1]]))"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    public, admin, admin_tiles = json.loads(result.stdout.strip().splitlines()[-1])
    assert "https://*.tiles.gemeente.example" in public and "https://service.pdok.nl" not in public
    assert "https://*.tiles.gemeente.example" in admin
    assert admin_tiles.startswith("https://{s}.tiles.gemeente.example/")



def test_the_report_pdf_is_sent_without_a_policy_so_chrome_can_show_it(client, site):
    # Chrome's PDF viewer is a plugin in the PDF's own document: object-src 'none' would blank it.
    project = ProjectPageFactory(title="Groen Schoneveld")
    response = client.get(f"/projecten/{project.pk}/verslag.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "Content-Security-Policy" not in response
    assert "camera=()" in response["Permissions-Policy"]
    # The same report as a page keeps its policy.
    assert "object-src 'none'" in client.get(f"/projecten/{project.pk}/verslag/")["Content-Security-Policy"]
