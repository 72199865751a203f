"""Friendly error pages: a 404 in the site's layout and a 500 without any details."""

from __future__ import annotations

import pytest
from allauth.core.internal.ratelimit import respond_429
from django.contrib.auth.models import AnonymousUser

pytestmark = pytest.mark.django_db


def test_unknown_page_is_a_friendly_404_in_site_layout(client, site):
    response = client.get("/deze-pagina-bestaat-echt-niet/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Deze pagina bestaat niet" in html
    assert 'class="skip-link"' in html
    assert '<a class="button" href="/">' in html


def test_missing_object_behind_an_app_url_is_the_same_friendly_404(client, site):
    response = client.get("/documents/999999/verslag.pdf")
    assert response.status_code == 404
    assert "Deze pagina bestaat niet" in response.content.decode()


@pytest.mark.urls("tests.home.urls_error")
def test_server_error_shows_friendly_page_without_details(client, site):
    client.raise_request_exception = False
    response = client.get("/test-fout/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Er ging iets mis" in html
    assert "niet verloren" not in html
    assert "misschien niet opgeslagen" in html
    for secret in ("RuntimeError", "hunter2", "Traceback", "settings.py", "geheime details"):
        assert secret not in html


@pytest.mark.urls("tests.home.urls_error")
def test_server_error_page_renders_without_request_context(client, site, settings):
    # A broken context processor must not break the error page itself.
    templates = [dict(settings.TEMPLATES[0])]
    templates[0]["OPTIONS"] = {
        **templates[0]["OPTIONS"],
        "context_processors": [*templates[0]["OPTIONS"]["context_processors"], "tests.home.test_error_pages.broken_processor"],
    }
    settings.TEMPLATES = templates
    client.raise_request_exception = False
    response = client.get("/test-fout/")
    assert response.status_code == 500
    assert "Er ging iets mis" in response.content.decode()


def broken_processor(request):
    raise RuntimeError("context processor kapot")


def test_rate_limited_page_is_styled_and_dutch(rf, site):
    request = rf.get("/account/login/")
    request.user = AnonymousUser()
    response = respond_429(request)
    assert response.status_code == 429
    html = response.content.decode()
    assert "Even wachten" in html
    assert 'class="skip-link"' in html
