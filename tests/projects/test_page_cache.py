"""The page cache for anonymous visitors (projects/page_cache.py): served from the cache, and
changed by every write that changes what the page shows.

Writes run inside ``django_capture_on_commit_callbacks(execute=True)``: the cache's versions
are raised after commit, and the test's own transaction never commits.
"""

from __future__ import annotations

import datetime
import re
import time

import pytest
from django.core.cache import caches
from django.db import transaction
from django.test import Client
from django.utils import timezone

from dialogues.models import DialogueRoundPage, DialogueSession, SessionStatus
from dialogues.services import registration_create
from geo import services as geo_services
from geo.models import Initiative, Moderation, Status, Theme
from projects import page_cache, reports
from projects.models import Decision, ProjectPage
from tests.dialogues.factories import registration_data
from tests.geo.conftest import moderators_group
from tests.projects.factories import UserFactory

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"')
NONCE = re.compile(r'nonce="([^"]+)"')


@pytest.fixture
def page_cache_on(settings):
    settings.PARTICIPATIE = {**settings.PARTICIPATIE, "PAGE_CACHE_ALIAS": "default"}
    caches["default"].clear()
    yield
    caches["default"].clear()


@pytest.fixture
def demo(seeded_demo, page_cache_on):
    return seeded_demo


@pytest.fixture
def write(django_capture_on_commit_callbacks):
    """A write as a request makes it: committed, then the cache's versions raised."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def cached(client, url):
    """Bring ``url`` into the cache (a first rendering learns its tags, the next stores it)."""
    states = []
    while "hit" not in states and len(states) < 3:
        states.append(client.get(url)["X-Page-Cache"])
    assert states[-1] == "hit", (url, states)


def page(client, url) -> tuple[str, str]:
    response = client.get(url)
    assert response.status_code == 200
    return response["X-Page-Cache"], response.content.decode()


def project():
    return ProjectPage.objects.live().public().get(slug="nieuwbouw-molenzoom")


def initiative():
    return Initiative.objects.filter(moderation=Moderation.PUBLISHED, status=Status.INGEDIEND).order_by("pk").first()


def open_session():
    now = timezone.now()
    sessions = (DialogueSession.objects.filter(status=SessionStatus.PLANNED, starts_at__gt=now, registration_closes_at__isnull=True)
                .filter(round__in=DialogueRoundPage.objects.live()).order_by("starts_at"))
    return next(s for s in sessions if s.seats_free > 2)


def moderator():
    user = UserFactory(username="moderator-cache")
    user.groups.add(moderators_group())
    return user


# --- what is cached, for whom ---------------------------------------------------------------------


def anonymous_urls():
    p, i = project(), initiative()
    session = open_session()
    return ["/", p.url, session.round.url, "/initiatief/kaart/", f"/initiatief/{i.pk}/", f"/projecten/{p.pk}/resultaten/",
            f"/projecten/{p.pk}/verslag/", "/wat-leeft-er/", "/verantwoording/", "/wat-houdt-u-bezig/uitkomst/",
            "/api/geo/initiatives/?bbox=4.0,51.0,6.0,53.0&zoom=12", "/privacyverklaring/"]


def test_anonymous_pages_come_from_the_cache_with_one_query(demo, client, django_assert_num_queries):
    for url in anonymous_urls():
        cached(client, url)
        rendered = client.get(url)
        with django_assert_num_queries(1):  # the tags' versions; the page itself from the cache
            client.get(url)
        assert rendered["X-Page-Cache"] == "hit"


def test_logged_in_residents_and_sessions_never_get_a_cached_page(demo, client):
    cached(client, "/")
    resident = UserFactory(username="anna", first_name="Anna")
    client.force_login(resident)
    response = client.get("/")
    assert "X-Page-Cache" not in response
    assert 'action="/account/logout/"' in response.content.decode() or "Uitloggen" in response.content.decode()
    client.logout()
    anonymous = Client()
    anonymous.cookies["messages"] = "x"  # a message waiting to be shown
    assert "X-Page-Cache" not in anonymous.get("/")


def test_each_hit_has_its_own_csrf_token_and_nonce_and_forms_keep_working(demo):
    client = Client(enforce_csrf_checks=True)
    cached(client, "/")
    first, second = client.get("/"), client.get("/")
    tokens = [TOKEN.findall(r.content.decode()) for r in (first, second)]
    assert tokens[0] and tokens[1] and tokens[0][0] != tokens[1][0]
    for response in (first, second):
        nonce = NONCE.search(response.content.decode()).group(1)
        assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]
        assert "__participatie_page_cache" not in response.content.decode()
    # The language switch on a cached page posts with the token it was served.
    answer = client.post("/taal/", {"language": "en", "next": "/", "csrfmiddlewaretoken": tokens[1][0]})
    assert answer.status_code == 302
    # A visitor without a CSRF cookie gets one with a cached page, matching its token.
    newcomer = Client(enforce_csrf_checks=True)
    response = newcomer.get("/")
    assert response["X-Page-Cache"] == "hit" and "csrftoken" in response.cookies
    token = TOKEN.search(response.content.decode()).group(1)
    assert newcomer.post("/taal/", {"language": "en", "next": "/", "csrfmiddlewaretoken": token}).status_code == 302


def test_each_language_has_its_own_entry(demo, client):
    cached(client, "/")
    client.cookies["django_language"] = "en"
    states = [client.get("/")["X-Page-Cache"] for _ in range(3)]
    assert states == ["learn", "miss", "hit"]
    assert 'lang="en"' in client.get("/").content.decode()


def test_head_is_answered_from_the_cache_without_a_body(demo, client):
    cached(client, "/")
    response = client.head("/")
    assert response["X-Page-Cache"] == "hit" and response.content == b"" and int(response["Content-Length"]) > 1000


def test_a_page_with_a_view_restriction_is_never_cached(demo, client):
    from wagtail.models import PageViewRestriction

    from home.models import ContentPage

    content = ContentPage.objects.live().first()
    PageViewRestriction.objects.create(page=content, restriction_type=PageViewRestriction.PASSWORD, password="geheim")
    for _ in range(3):
        assert client.get(content.url)["X-Page-Cache"] == "bypass"


# --- every write changes the pages that show it ---------------------------------------------------


def test_publishing_a_page_changes_its_page_and_the_home_page(demo, client, write):
    p = project()
    cached(client, p.url)
    cached(client, "/")
    revision = p.specific
    revision.title = "Nieuwbouw Molenzoom, tweede ronde"
    with write():
        revision.save_revision().publish()
    for url in (p.url, "/"):
        state, body = page(client, url)
        assert state != "hit" and "Nieuwbouw Molenzoom, tweede ronde" in body


def test_a_draft_changes_nothing(demo, client, write):
    p = project()
    cached(client, p.url)
    p.title = "Alleen een concept"
    with write():
        p.save_revision()
    state, body = page(client, p.url)
    assert state == "hit" and "Alleen een concept" not in body


def test_a_registration_changes_the_free_seats_on_the_round_project_and_home_page(demo, client, write):
    session = open_session()
    round_url = session.round.url
    for url in (round_url, session.round.get_parent().url, "/"):
        cached(client, url)
    seats = str(session.seat_pools[0].text)
    assert seats in page(client, round_url)[1]
    assert "learn" not in [client.get(url)["X-Page-Cache"] for url in (round_url, "/")]
    with write():
        registration_create(session_id=session.pk, **registration_data(email="nieuw@example.org"))
    for url in (round_url, session.round.get_parent().url, "/"):
        assert page(client, url)[0] != "hit", url
    now_seats = str(DialogueSession.objects.get(pk=session.pk).seat_pools[0].text)
    assert now_seats != seats and now_seats in page(client, round_url)[1]
    # Other pages keep their entries: an initiative's page shows no seats.
    url = f"/initiatief/{initiative().pk}/"
    cached(client, url)
    with write():
        registration_create(session_id=session.pk, **registration_data(email="nog-een@example.org"))
    assert page(client, url)[0] == "hit"


def test_a_moderation_decision_puts_the_initiative_on_the_map_page(demo, client, write):
    pending = Initiative.objects.filter(moderation=Moderation.PENDING).first()
    cached(client, "/initiatief/kaart/")
    assert pending.title not in page(client, "/initiatief/kaart/")[1]
    with write():
        geo_services.initiative_publish(initiative=pending, moderator=moderator())
    state, body = page(client, "/initiatief/kaart/")
    assert state != "hit" and pending.title in body


def test_a_status_answer_and_a_support_change_the_initiative_page(demo, client, write):
    i = initiative()
    url = f"/initiatief/{i.pk}/"
    cached(client, url)
    with write():
        geo_services.initiative_set_status(initiative=i, to_status=Status.IN_BEHANDELING,
                                           answer="We bekijken dit met de wijkregisseur.", by=moderator())
    state, body = page(client, url)
    assert state != "hit" and "We bekijken dit met de wijkregisseur." in body
    cached(client, url)
    count = Initiative.objects.get(pk=i.pk).support_count
    with write():
        geo_services.support_add(initiative=i, user=UserFactory(username="steuner"))
    state, body = page(client, url)
    assert state != "hit" and f"{count + 1} bewoner" in body


def test_a_reaction_changes_the_initiative_page(demo, client, write):
    from geo.reaction_services import reaction_create

    i = initiative()
    url = f"/initiatief/{i.pk}/"
    cached(client, url)
    author = UserFactory(username="reageerder")  # with a verified address
    with write():
        reaction_create(initiative=i, author=author, body="Goed plan, ik help mee met de planten.")
    state, body = page(client, url)
    assert state != "hit" and "ik help mee met de planten" in body


def test_a_decision_changes_the_results_page(demo, client, write):
    p = project()
    url = f"/projecten/{p.pk}/resultaten/"
    cached(client, url)
    with write():
        Decision.objects.create(project=p, title="Extra speelplek aan de Molenzoomlaan", decided_on=datetime.date(2026, 11, 1),
                                reasoning="Veel bewoners vroegen erom.", published=True)
    state, body = page(client, url)
    assert state != "hit" and "Extra speelplek aan de Molenzoomlaan" in body


def test_adopting_the_report_changes_the_report_page(demo, client, write):
    p = project()
    url = f"/projecten/{p.pk}/verslag/"
    cached(client, url)
    before = page(client, url)[1]
    with write():
        report = reports.report_freeze(project=p)
    state, body = page(client, url)
    assert state != "hit" and body != before and f"versie-{report.version}" in body


def test_a_site_setting_changes_every_page(demo, client, write):
    from home.models import SiteSettings
    from wagtail.models import Site

    url = f"/initiatief/{initiative().pk}/"
    cached(client, url)
    settings_row = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    settings_row.primary_colour = "#123456"
    with write():
        settings_row.save()
    state, body = page(client, url)
    assert state != "hit" and "#123456" in body


def test_renaming_a_theme_changes_the_map_page(demo, client, write):
    cached(client, "/initiatief/kaart/")
    theme = Theme.objects.filter(initiatives__moderation=Moderation.PUBLISHED).first()
    theme.name = "Groen en spelen"
    with write():
        theme.save()
    state, body = page(client, "/initiatief/kaart/")
    assert state != "hit" and "Groen en spelen" in body


def test_a_rolled_back_write_changes_nothing(demo, client, write):
    i = initiative()
    url = f"/initiatief/{i.pk}/"
    cached(client, url)
    with write(), pytest.raises(RuntimeError):
        with transaction.atomic():
            geo_services.support_add(initiative=i, user=UserFactory(username="bedenker"))
            raise RuntimeError("the request failed after the write")
    assert page(client, url)[0] == "hit"


def test_a_write_while_the_page_renders_is_never_served_from_the_cache(demo, client, write, monkeypatch):
    """The versions are read before rendering: a write that commits between reading the data
    and storing the page leaves an entry that no later request accepts."""
    i = initiative()
    url = f"/initiatief/{i.pk}/"
    client.get(url)  # learn the tags
    from geo import views

    real = views.initiative_detail_response

    def render_then_a_support_commits(request, initiative, **kwargs):
        response = real(request, initiative, **kwargs)  # the page shows the old count
        with write():
            geo_services.support_add(initiative=initiative, user=UserFactory(username="tussendoor"))
        return response

    monkeypatch.setattr(views, "initiative_detail_response", render_then_a_support_commits)
    assert client.get(url)["X-Page-Cache"] == "miss"  # stored, with the versions from before
    monkeypatch.setattr(views, "initiative_detail_response", real)
    response = client.get(url)
    assert response["X-Page-Cache"] != "hit"
    assert f"{Initiative.objects.get(pk=i.pk).support_count} bewoner" in response.content.decode()


def test_a_page_ends_its_entry_when_registration_closes(demo, client, write):
    session = open_session()
    with write():
        DialogueSession.objects.filter(pk=session.pk).update(registration_closes_at=timezone.now() + datetime.timedelta(seconds=3))
    url = session.round.url
    cached(client, url)
    time.sleep(3.2)
    response = client.get(url)
    assert response["X-Page-Cache"] != "hit"


# --- outages and set-up ----------------------------------------------------------------------------


def test_a_dead_cache_server_is_a_miss_and_writes_still_land(seeded_demo, settings, client):
    settings.CACHES = {**settings.CACHES, "pages": {
        "BACKEND": "projects.cache.ResilientRedisCache", "LOCATION": "redis://127.0.0.1:9/0"}}
    settings.PARTICIPATIE = {**settings.PARTICIPATIE, "PAGE_CACHE_ALIAS": "pages"}
    for _ in range(3):
        response = client.get("/")
        assert response.status_code == 200 and response["X-Page-Cache"] != "hit"
    session = open_session()
    form = client.get(f"/dialoog/sessie/{session.pk}/aanmelden/")
    assert form.status_code == 200
    data = {**registration_data(email="bij-storing@example.org"), "consent": "on", "attendance_mode": session.modes[0]}
    answer = client.post(f"/dialoog/sessie/{session.pk}/aanmelden/", data)
    assert answer.status_code == 302, answer.content.decode()[-3000:]
    assert session.registrations.filter(email="bij-storing@example.org").exists()


def test_the_page_cache_check_finds_a_missing_or_misplaced_middleware(settings):
    from projects.checks import PAGE_CACHE_MIDDLEWARE, check_page_cache

    settings.PARTICIPATIE = {**settings.PARTICIPATIE, "PAGE_CACHE_ALIAS": "default"}
    assert check_page_cache() == []
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != PAGE_CACHE_MIDDLEWARE]
    assert [w.id for w in check_page_cache()] == ["participatie.W007"]
    settings.MIDDLEWARE = [PAGE_CACHE_MIDDLEWARE, *settings.MIDDLEWARE]
    assert "comes before" in check_page_cache()[0].msg
    settings.PARTICIPATIE = {**settings.PARTICIPATIE, "PAGE_CACHE_ALIAS": ""}
    assert check_page_cache() == []


def test_changed_raises_versions_after_commit(db, page_cache_on, write):
    with write():
        page_cache.changed("test:tag")
        assert page_cache.versions(["test:tag"]) == {"test:tag": 0}  # not before the commit
    assert page_cache.versions(["test:tag", "test:other"]) == {"test:other": 0, "test:tag": 1}
    with write():
        page_cache.changed("test:tag", "test:other")
    assert page_cache.versions(["test:tag", "test:other"]) == {"test:other": 1, "test:tag": 2}


def test_with_the_cache_off_writes_raise_nothing(db, write):
    with write():
        page_cache.changed("test:tag")
    assert page_cache.versions(["test:tag"]) == {"test:tag": 0}
