"""Text responses are gzipped for clients that accept it; binary ones are left alone."""

import gzip
import re

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from projects.compression import CompressTextMiddleware, is_compressible
from tests.projects.factories import ProjectPageFactory

pytestmark = pytest.mark.django_db

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


def _body(response) -> str:
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    return (gzip.decompress(raw) if response.get("Content-Encoding") == "gzip" else raw).decode()


@pytest.fixture
def project(home_page):
    return ProjectPageFactory(title="Nieuwbouw Molenzoom", summary="Er komen 120 woningen. " * 20)


def test_html_page_is_gzipped_when_accepted(client, project):
    response = client.get(project.url, **GZIP)
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert "Nieuwbouw Molenzoom" in _body(response)
    assert int(response["Content-Length"]) < len(_body(response).encode())


def test_not_gzipped_without_accept_encoding(client, project):
    response = client.get(project.url)
    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")
    assert "Nieuwbouw Molenzoom" in response.content.decode()


def test_map_json_and_open_geojson_are_gzipped(client, home_page):
    from tests.geo.factories import InitiativeFactory

    InitiativeFactory.create_batch(30, moderation="published")
    layer = client.get("/api/geo/initiatives/?bbox=5.0,51.9,5.3,52.1&zoom=18", **GZIP)
    assert layer.status_code == 200 and layer["Content-Encoding"] == "gzip"
    assert _body(layer).count('"Feature"') == 30
    geojson = client.get("/api/geo/initiatives.geojson", **GZIP)
    assert geojson.status_code == 200 and geojson["Content-Encoding"] == "gzip"
    assert '"FeatureCollection"' in _body(geojson)


def test_forms_with_a_csrf_token_differ_per_response(client, home_page):
    """BREACH needs the same secret in every response; Django masks the CSRF token per
    response and GZipMiddleware pads the gzip header randomly (see projects/compression.py)."""
    first = client.get("/account/login/", **GZIP)
    second = client.get("/account/login/", **GZIP)
    assert first["Content-Encoding"] == "gzip"
    token = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
    assert token.search(_body(first)).group(1) != token.search(_body(second)).group(1)


@pytest.mark.parametrize("content_type, expected", [
    ("text/html; charset=utf-8", True), ("application/json", True), ("application/geo+json", True),
    ("text/csv; charset=utf-8", True), ("image/svg+xml", True),
    ("image/jpeg", False), ("application/pdf", False), ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", False),
])
def test_only_text_types_are_compressed(content_type, expected):
    assert is_compressible(content_type) is expected
    body = b"x" * 5000
    response = CompressTextMiddleware(lambda request: HttpResponse(body, content_type=content_type))(
        RequestFactory().get("/", **GZIP))
    assert (response.get("Content-Encoding") == "gzip") is expected
