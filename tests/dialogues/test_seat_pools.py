"""Seats per way of taking part (on site, online): one computation, shown on the home page,
the round page and the registration form, without extra queries per session."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dialogues import services
from dialogues.models import DialogueSession, Registration
from tests.dialogues.factories import DialogueSessionFactory, registration_data

pytestmark = pytest.mark.django_db

HYBRID = {"capacity_onsite": 1, "capacity_online": 7, "online_url": "https://meet.example.org/linde"}


@pytest.fixture
def hybrid(round_page):
    """On site full (one seat, taken), online one seat taken of seven."""
    session = DialogueSessionFactory(round=round_page, title="Hybride avond", **HYBRID)
    services.registration_create(session_id=session.pk, **registration_data(email="a@example.org", attendance_mode="onsite"))
    services.registration_create(session_id=session.pk, **registration_data(email="b@example.org", attendance_mode="online"))
    session.refresh_from_db()
    return session


def test_pool_texts(hybrid):
    assert [p.text for p in hybrid.seat_pools] == ["Op locatie: vol, wachtlijst", "Online: nog 6 plaatsen"]
    assert [p.full for p in hybrid.seat_pools] == [True, False]
    DialogueSession.objects.filter(pk=hybrid.pk).update(seats_taken_online=6)
    hybrid.refresh_from_db()
    assert hybrid.seat_pools[1].text == "Online: nog 1 plaats"


def test_a_session_with_one_way_keeps_the_single_count(session):
    assert not session.has_several_pools
    assert [p.text for p in session.seat_pools] == ["Op locatie: nog 10 plaatsen"]


def test_home_and_round_page_show_each_pool(client, hybrid, round_page):
    for path in ("/", round_page.url):
        html = client.get(path).content.decode()
        assert "Op locatie: vol, wachtlijst</span> · <span class=\"seat-pool\">Online: nog 6 plaatsen" in html, path


def test_registration_form_labels_say_a_pool_is_full_without_javascript(client, hybrid):
    html = client.get(f"/dialoog/sessie/{hybrid.pk}/aanmelden/").content.decode()
    assert "Op locatie (vol: u komt op de wachtlijst)" in html
    assert "Online (nog 6 plaatsen)" in html
    assert 'aria-live="polite"' in html
    assert "data-full-notice=\"Op locatie is vol." in html
    # Only the full pool carries the notice.
    assert html.count("data-full-notice") == 1


def test_choosing_the_full_pool_puts_the_resident_on_its_waiting_list(client, hybrid):
    form = {"name": "Jan", "email": "jan@example.org", "stakeholder_group": "Bewoner", "consent": "on", "attendance_mode": "onsite"}
    client.post(f"/dialoog/sessie/{hybrid.pk}/aanmelden/", form)
    assert Registration.objects.get(email="jan@example.org").status == "waitlisted"


def _count_queries(client, path):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx)


@pytest.mark.parametrize("path", ["/", "round"])
def test_pool_texts_cost_no_query_per_session(client, round_page, path):
    path = round_page.url if path == "round" else path
    DialogueSessionFactory(round=round_page, **HYBRID)
    client.get(path)  # warm caches (site root, settings)
    one = _count_queries(client, path)
    for _ in range(3):
        DialogueSessionFactory(round=round_page, **HYBRID)
    more = _count_queries(client, path)
    assert more == one
    html = client.get(path).content.decode()
    assert html.count("Online: nog 7 plaatsen") == 4
