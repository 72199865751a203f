import datetime
import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.utils import timezone

from dialogues import services, tokens
from dialogues.models import DialogueSession, Registration, RegistrationStatus as S
from tests.dialogues.factories import DialogueSessionFactory, registration_data
from tests.projects.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def url(session):
    return f"/dialoog/sessie/{session.pk}/aanmelden/"


FORM = {"name": "Jan de Boer", "email": "jan@example.org", "stakeholder_group": "Bewoner", "consent": "on"}


def test_round_page_lists_sessions_with_free_seats_and_no_personal_data(client, session, round_page):
    services.registration_create(session_id=session.pk, **registration_data(name="Geheime Naam", email="geheim@example.org"))
    html = client.get(round_page.url).content.decode()
    assert session.title in html
    assert "Nog 9 plaatsen vrij" in html
    assert "Ontdekken" in html and "Dromen" in html  # the AI phases explained
    assert "Geheime Naam" not in html and "geheim@example.org" not in html


def test_full_session_shows_waiting_list_count(client, round_page):
    session = DialogueSessionFactory(round=round_page, capacity_onsite=1)
    services.registration_create(session_id=session.pk, **registration_data(email="a@example.org"))
    services.registration_create(session_id=session.pk, **registration_data(email="b@example.org"))
    html = client.get(round_page.url).content.decode()
    assert "1 persoon op de wachtlijst" in html
    assert "Op de wachtlijst" in html


def test_anonymous_registration_flow(client, session, django_capture_on_commit_callbacks):
    assert client.get(url(session)).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(session), FORM)
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "We houden een plaats voor u vrij" in page
    confirm_link = re.search(r"http://testserver(/dialoog/bevestigen/[^/\s]+/)", mail.outbox[0].body).group(1)
    assert client.get(confirm_link).status_code == 200  # shows a button, confirms nothing yet
    assert Registration.objects.get().status == S.PENDING
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(confirm_link)
    assert Registration.objects.get().status == S.CONFIRMED
    assert "Er is een plaats voor u" in client.get(response["Location"]).content.decode()
    assert mail.outbox[-1].attachments[0][0] == "bijeenkomst.ics"


def test_invalid_input_keeps_values_and_shows_errors_beside_fields(client, session):
    response = client.post(url(session), {**FORM, "email": "geen-adres", "consent": ""})
    html = response.content.decode()
    assert response.status_code == 400
    assert 'value="Jan de Boer"' in html and 'value="geen-adres"' in html
    assert "Vul een geldig e-mailadres in" in html
    assert "Zonder uw toestemming" in html
    assert not Registration.objects.exists()


def test_missing_group_gets_a_message_inside_its_fieldset(client, session):
    response = client.post(url(session), {**FORM, "stakeholder_group": ""})
    html = response.content.decode()
    assert response.status_code == 400
    legend_end = html.index("Ik doe mee als</legend>")
    assert html.index("Kies hoe u meedoet.", legend_end) < html.index('name="stakeholder_group"', legend_end)


def test_duplicate_email_gets_a_message_beside_the_field(client, session):
    services.registration_create(session_id=session.pk, **registration_data(email="JAN@example.org"))
    response = client.post(url(session), FORM)
    assert response.status_code == 400
    assert "al iemand aangemeld" in response.content.decode()
    assert Registration.objects.count() == 1


@pytest.mark.parametrize("change, text", [
    ({"status": "afgelast"}, "afgelast"),
    ({"registration_closes_at": timezone.now() - datetime.timedelta(minutes=1)}, "gesloten"),
])
def test_closed_or_cancelled_session_answers_in_dutch(client, session, change, text):
    DialogueSession.objects.filter(pk=session.pk).update(**change)
    for response in (client.get(url(session)), client.post(url(session), FORM)):
        assert response.status_code in (200, 400)
        assert text in response.content.decode()
    assert not Registration.objects.exists()


def test_full_session_registers_on_the_waiting_list_and_shows_the_place(client, round_page):
    session = DialogueSessionFactory(round=round_page, capacity_onsite=1)
    services.registration_create(session_id=session.pk, **registration_data(email="a@example.org"))
    assert "De bijeenkomst is vol" in client.get(url(session)).content.decode()
    response = client.post(url(session), FORM)
    assert "op nummer 1" in client.get(response["Location"]).content.decode()


def test_logged_in_resident_registers_in_one_step(client, session):
    user = UserFactory(first_name="Els", last_name="Jansen")
    client.force_login(user)
    html = client.get(url(session)).content.decode()
    assert 'name="email"' not in html
    response = client.post(url(session), {"stakeholder_group": "Zorgaanbieders", "consent": "on"})
    registration = Registration.objects.get()
    assert (registration.status, registration.email, registration.user) == (S.CONFIRMED, user.email, user)
    assert registration.name == "Els Jansen"
    assert "Er is een plaats voor u" in client.get(response["Location"]).content.decode()


def test_cancel_link_shows_button_and_promotes_on_post(client, round_page, django_capture_on_commit_callbacks):
    session = DialogueSessionFactory(round=round_page, capacity_onsite=1)
    first = services.registration_create(session_id=session.pk, **registration_data(email="a@example.org"))
    waiting = services.registration_create(session_id=session.pk, **registration_data(email="b@example.org"))
    link = f"/dialoog/afmelden/{tokens.make_token(first.pk, 'cancel')}/"
    assert "Afmelden" in client.get(link).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(link)
    waiting.refresh_from_db()
    assert waiting.status == S.CONFIRMED
    assert any(m.to == ["b@example.org"] for m in mail.outbox)
    assert "U bent afgemeld" in client.get(link).content.decode()
    # A used link stays friendly.
    response = client.post(link, follow=True)
    assert response.status_code == 200 and "al afgemeld" in response.content.decode()


@pytest.mark.parametrize("path", ["/dialoog/afmelden/{}/", "/dialoog/bevestigen/{}/", "/dialoog/evaluatie/{}/"])
def test_tampered_links_get_a_friendly_page(client, session, path):
    registration = services.registration_create(session_id=session.pk, **registration_data())
    token = tokens.make_token(registration.pk, "cancel")
    for bad in (token[:-3] + "abc", "onzin", tokens.make_token(registration.pk + 999, "cancel")):
        response = client.get(path.format(bad))
        assert response.status_code in (400, 404, 410)
        assert "Deze link werkt niet" in response.content.decode()


def test_expired_confirm_link_gets_a_friendly_page(client, session):
    registration = services.registration_create(session_id=session.pk, **registration_data())
    services.registration_release_expired(now=registration.hold_expires_at + datetime.timedelta(minutes=1))
    response = client.post(f"/dialoog/bevestigen/{tokens.make_token(registration.pk, 'confirm')}/")
    assert response.status_code == 410
    assert "niet meer geldig" in response.content.decode()


def test_calendar_download(client, session):
    response = client.get(f"/dialoog/sessie/{session.pk}/agenda.ics")
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert f"UID:dialogue-session-{session.pk}@testserver" in body
    assert "TZID=Europe/Amsterdam" in body and "BEGIN:VTIMEZONE" in body


def test_rate_limit_on_registration_posts(client, session, settings):
    # The per-IP ceiling (generous by default) still stops a flood of valid submissions.
    settings.PARTICIPATIE = {**settings.PARTICIPATIE, "REGISTRATION_RATE_LIMIT": (10, 600)}
    for i in range(10):
        client.post(url(session), {**FORM, "email": f"p{i}@example.org"})
    response = client.post(url(session), {**FORM, "email": "p99@example.org"})
    assert response.status_code == 429
    assert "te vaak" in response.content.decode()
    assert Registration.objects.count() == 10


def test_evaluation_form(client):
    start = timezone.now() - datetime.timedelta(days=2)
    session = DialogueSessionFactory(starts_at=start, ends_at=start + datetime.timedelta(hours=2))
    registration = Registration.objects.create(session=session, name="A", email="a@example.org", stakeholder_group="Bewoner",
                                               status=S.ATTENDED, consent=True)
    link = f"/dialoog/evaluatie/{tokens.make_token(registration.pk, 'evaluate')}/"
    assert "Voelde u zich gehoord" in client.get(link).content.decode()
    response = client.post(link, {"heard": "9", "useful": "3"})
    assert response.status_code == 400
    assert 'id="id_heard_error"' in response.content.decode()
    assert re.search(r'name="useful" value="3"[^>]*checked', response.content.decode())  # the answer is kept
    response = client.post(link, {"heard": "4", "useful": "3", "comment": "Goed"})
    assert "Dank u wel" in response.content.decode()
    assert registration.evaluation.heard == 4


def test_my_data_lists_registrations_with_cancel_button(client, session):
    user = UserFactory()
    registration = services.registration_create(session_id=session.pk, **registration_data(email=user.email), user=user)
    client.force_login(user)
    html = client.get("/mijn/").content.decode()
    assert session.title in html and f"/dialoog/mijn/{registration.pk}/afmelden/" in html
    client.post(f"/dialoog/mijn/{registration.pk}/afmelden/")
    registration.refresh_from_db()
    assert registration.status == S.CANCELLED


def test_cannot_cancel_someone_elses_registration_from_my_data(client, session):
    other = services.registration_create(session_id=session.pk, **registration_data(email="ander@example.org"))
    client.force_login(UserFactory())
    assert client.post(f"/dialoog/mijn/{other.pk}/afmelden/").status_code == 404
    other.refresh_from_db()
    assert other.status == S.PENDING


def test_home_page_shows_upcoming_sessions_with_free_seats(client, session, round_page):
    full = DialogueSessionFactory(round=round_page, capacity_onsite=1, title="Volle avond")
    services.registration_create(session_id=full.pk, **registration_data())
    html = client.get("/").content.decode()
    assert session.title in html
    assert "Volle avond" not in html


def test_project_page_shows_its_sessions_through_the_section_hook(client, session, round_page):
    html = client.get(round_page.get_parent().url).content.decode()
    assert "Kom naar een bijeenkomst" in html
    assert f"/dialoog/sessie/{session.pk}/aanmelden/" in html
    assert round_page.title in html


def test_round_page_shows_published_outcome_without_personal_data(client, round_page):
    from dialogues.models import Agreement, Quote, SessionOutcome

    start = timezone.now() - datetime.timedelta(days=3)
    session = DialogueSessionFactory(round=round_page, starts_at=start, ends_at=start + datetime.timedelta(hours=2))
    registration = services.registration_create(session_id=session.pk, now=start - datetime.timedelta(days=1),
                                                **registration_data(name="Petra Privé", email="petra@example.org"))
    services.registration_check_in(registration_id=registration.pk, attended=True)
    services.evaluation_submit(registration_id=registration.pk, heard=4, useful=5, comment="Geheim commentaar")
    outcome = SessionOutcome.objects.create(session=session, summary="Samen een buurttuin.", notes_dream="Een groene buurt.")
    Quote.objects.create(outcome=outcome, text="Ik voel me hier thuis.", group="Bewoner")
    Agreement.objects.create(outcome=outcome, what="Tuinplan maken", who="Gemeente", status="bezig")
    html = client.get(round_page.url).content.decode()
    assert "Samen een buurttuin." not in html  # not yet published
    services.outcome_publish(outcome_id=outcome.pk)
    html = client.get(round_page.url).content.decode()
    for text in ("Samen een buurttuin.", "Een groene buurt.", "Ik voel me hier thuis.", "Tuinplan maken", "Bezig",
                 "Bewoner: 1", "gehoord gevoeld 4,0 van 5"):
        assert text in html, text
    for private in ("Petra Privé", "petra@example.org", "Geheim commentaar"):
        assert private not in html
    project_html = client.get(round_page.get_parent().url).content.decode()
    assert "Uitkomsten van de bijeenkomsten" in project_html and f"#outcome-{session.pk}" in project_html
    assert "1 afspraak" in project_html and "Petra Privé" not in project_html


def test_cancel_link_expires_once_the_session_has_ended(client, session):
    registration = services.registration_create(session_id=session.pk, **registration_data())
    link = f"/dialoog/afmelden/{tokens.make_token(registration.pk, 'cancel')}/"
    assert client.get(link).status_code == 200
    from django.utils import timezone

    type(session).objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - datetime.timedelta(hours=3), ends_at=timezone.now() - datetime.timedelta(hours=1)
    )
    for response in (client.get(link), client.post(link)):
        assert response.status_code == 410
        assert "de bijeenkomst is voorbij" in response.content.decode()
    registration.refresh_from_db()
    assert registration.is_active


def test_a_group_registers_from_one_address_but_one_email_is_limited_per_session(client, round_page):
    session = DialogueSessionFactory(round=round_page, capacity_onsite=30)
    for i in range(12):  # more than the old per-IP limit of 10, each with its own email
        response = client.post(url(session), {**FORM, "email": f"groep{i}@example.org"}, REMOTE_ADDR="10.9.9.9")
        assert response.status_code == 302, i
    # Invalid submissions are not counted.
    for _ in range(5):
        assert client.post(url(session), {**FORM, "email": "geen-email"}, REMOTE_ADDR="10.9.9.9").status_code == 400
    for _ in range(3):
        assert client.post(url(session), {**FORM, "email": "herhaal@example.org"}, REMOTE_ADDR="10.9.9.8").status_code != 429
    response = client.post(url(session), {**FORM, "email": "herhaal@example.org"}, REMOTE_ADDR="10.9.9.7")
    assert response.status_code == 429
    assert "te vaak een aanmelding" in response.content.decode()
