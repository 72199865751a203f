"""Login brute-force limits, malformed input and unsafe ``next`` values."""

from types import SimpleNamespace

import pytest
from django.urls import reverse

from projects import ratelimit
from projects.models import ProjectFollow
from projects.services import follow_create
from tests.projects.factories import ProjectPageFactory, UserFactory

PASSWORD = "geheim-wachtwoord-123"


@pytest.fixture
def clock(monkeypatch):
    """Time travel for the limiter's windows instead of sleeping."""
    now = {"t": 1_900_000_000.0}
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: now["t"]))
    return now


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()


def admin_login(client, username, password, ip="10.0.0.1"):
    return client.post(reverse("wagtailadmin_login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def allauth_login(client, email, password, ip="10.0.0.1"):
    return client.post(reverse("account_login"), {"login": email, "password": password}, REMOTE_ADDR=ip)


def _logged_in(client):
    return "_auth_user_id" in client.session


@pytest.mark.django_db
def test_admin_login_locks_an_account_after_five_failures_from_any_ip_and_unlocks_after_the_window(client, clock):
    admin = UserFactory(username="beheer", is_superuser=True, is_staff=True)
    for i in range(5):
        response = admin_login(client, "beheer", "fout", ip=f"10.0.1.{i}")
        assert response.status_code == 200
    response = admin_login(client, "beheer", PASSWORD, ip="10.0.2.1")
    assert response.status_code == 200 and not _logged_in(client)
    assert "Te veel mislukte pogingen om in te loggen" in response.content.decode()
    clock["t"] += 301
    response = admin_login(client, "beheer", PASSWORD, ip="10.0.2.1")
    assert response.status_code == 302 and _logged_in(client)
    assert int(client.session["_auth_user_id"]) == admin.pk


@pytest.mark.django_db
def test_admin_login_locks_an_ip_after_ten_failures_and_unlocks_after_the_window(client, clock):
    UserFactory(username="beheer", is_superuser=True, is_staff=True)
    for i in range(10):
        admin_login(client, f"iemand{i}", "fout", ip="10.0.3.3")
    response = admin_login(client, "beheer", PASSWORD, ip="10.0.3.3")
    assert response.status_code == 200 and not _logged_in(client)
    assert "Te veel mislukte pogingen" in response.content.decode()
    # Another address is not affected.
    assert admin_login(client, "beheer", PASSWORD, ip="10.0.3.4").status_code == 302
    client.logout()
    clock["t"] += 61
    assert admin_login(client, "beheer", PASSWORD, ip="10.0.3.3").status_code == 302


@pytest.mark.django_db
def test_allauth_login_locks_per_account_and_per_ip_and_shares_the_count_with_the_admin(client, clock):
    user = UserFactory(username="bewoner-x", email="x@example.org")
    for i in range(3):
        allauth_login(client, "x@example.org", "fout", ip=f"10.1.0.{i}")
    for i in range(2):  # the same account by username in the admin: one count
        admin_login(client, "bewoner-x", "fout", ip=f"10.1.1.{i}")
    allauth_login(client, "x@example.org", PASSWORD, ip="10.1.2.1")
    assert not _logged_in(client)
    clock["t"] += 301
    allauth_login(client, "x@example.org", PASSWORD, ip="10.1.2.1")
    assert _logged_in(client) and int(client.session["_auth_user_id"]) == user.pk
    client.logout()
    for i in range(10):
        allauth_login(client, f"onbekend{i}@example.org", "fout", ip="10.1.3.3")
    allauth_login(client, "x@example.org", PASSWORD, ip="10.1.3.3")
    assert not _logged_in(client)
    clock["t"] += 61
    allauth_login(client, "x@example.org", PASSWORD, ip="10.1.3.3")
    assert _logged_in(client)


@pytest.mark.django_db
def test_successful_logins_are_not_counted(client, clock):
    UserFactory(username="beheer", is_superuser=True, is_staff=True)
    for _ in range(8):
        assert admin_login(client, "beheer", PASSWORD).status_code == 302
        client.logout()


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["kind=a%00b", "kind=%ff%fe", "kind=a\x00b".replace("\x00", "%00") + "&x=%c3"])
def test_nul_bytes_and_invalid_utf8_in_a_json_query_answer_json_400(client, query):
    response = client.get("/api/geo/areas/?" + query)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["error"]


@pytest.mark.django_db
def test_nul_byte_in_a_form_body_answers_400_with_a_reason(client, site):
    response = client.post("/account/login/", "login=a%00b&password=x", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert "ongeldig teken" in response.content.decode()


@pytest.mark.django_db
def test_plain_unicode_input_passes(client, site):
    response = client.get("/api/geo/areas/?kind=w%C3%ABk")
    assert response.status_code in (200, 400)
    assert response.status_code == 200 or "error" in response.json()


@pytest.fixture
def project(home_page):
    return ProjectPageFactory(title="Nieuwbouw Molenzoom")


@pytest.mark.django_db
@pytest.mark.parametrize("next_url", ["abc", "https://evil.example/", "//evil.example/", "javascript:alert(1)", "projects:follow"])
def test_unfollow_ignores_a_next_that_is_not_a_local_path(client, project, next_url):
    user = UserFactory()
    follow_create(project=project, user=user)
    client.force_login(user)
    response = client.post(reverse("projects:unfollow", args=[project.pk]), {"next": next_url})
    assert response.status_code == 302
    assert response["Location"] == project.url
    assert not ProjectFollow.objects.exists()


@pytest.mark.django_db
def test_unfollow_follows_a_local_next(client, project):
    user = UserFactory()
    follow_create(project=project, user=user)
    client.force_login(user)
    response = client.post(reverse("projects:unfollow", args=[project.pk]), {"next": "/mijn/"})
    assert response["Location"] == "/mijn/"
