"""The session's admin page for staff actions: per role, the time rules in the UI, the history
view, and evaluation now delivered by a real SMTP server without a queue (as with ``make run``)."""

import datetime
from email import message_from_bytes

import pytest
import time_machine
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from dialogues import services
from dialogues.models import DialogueSession, Registration, RegistrationStatus as S, SessionOutcome
from projects.models import OutgoingMail
from tests.smtp import smtp_server
from tests.dialogues.factories import DialogueRoundPageFactory, DialogueSessionFactory, registration_data
from tests.dialogues.test_permissions import editor_for
from tests.projects.factories import UserFactory

pytestmark = pytest.mark.django_db

SMTP_PORT = 18141


def _user_in(group_name, *, admin_access=False, **kwargs):
    group, _ = Group.objects.get_or_create(name=group_name)
    if admin_access:
        group.permissions.add(Permission.objects.get(codename="access_admin"))
    user = UserFactory(**kwargs)
    user.groups.add(group)
    return user


@pytest.fixture
def setup(site):
    session = DialogueSessionFactory(capacity_onsite=1)
    other_round = DialogueRoundPageFactory()
    seated = services.registration_create(session_id=session.pk, **registration_data(name="Zit Persoon", email="zit@example.org"))
    waiting = services.registration_create(session_id=session.pk, **registration_data(name="Wacht Persoon", email="wacht@example.org"))
    assert waiting.status == S.WAITLISTED
    users = {
        "anonymous": None,
        "resident": UserFactory(username="bewoner-y"),
        "council": _user_in("Raadsleden", username="raadslid-y"),
        "moderator": _user_in("Moderatoren", admin_access=True, username="moderator-y"),
        "editor_elsewhere": editor_for(other_round.get_parent(), "elders-y"),
        "editor": editor_for(session.round.get_parent(), "hier-y"),
    }
    return session, seated, waiting, users


ROLES = [("anonymous", False), ("resident", False), ("council", False), ("moderator", False),
         ("editor_elsewhere", False), ("editor", True)]

ON_BEHALF = {"name": "Henk Telefoon", "email": "", "phone": "0301234567", "stakeholder_group": "Bewoner",
             "attendance_mode": "onsite", "waitlist_when_full": "on", "consent_given_to_staff": "on"}


def _login(client, user):
    if user is not None:
        client.force_login(user)


@pytest.mark.parametrize("role, allowed", ROLES)
def test_staff_actions_per_role(client, setup, role, allowed):
    session, seated, waiting, users = setup
    _login(client, users[role])
    base = f"/admin/dialogen/sessie/{session.pk}"
    pages = [f"{base}/aanmelding/{seated.pk}/afzeggen/", f"{base}/aanmelding/{waiting.pk}/naar-plaats/", f"{base}/aanmelden/"]
    for path in pages:
        response = client.get(path)
        if allowed:
            assert response.status_code == 200, path
        else:
            assert response.status_code in (302, 403), (path, response.status_code)
            assert b"wacht@example.org" not in response.content and b"Wacht Persoon" not in response.content
    client.post(f"{base}/aanmelding/{waiting.pk}/naar-plaats/", {"extra_seat": "1"})
    client.post(f"{base}/aanmelding/{seated.pk}/afzeggen/", {"notify": "on"})
    client.post(f"{base}/aanmelden/", ON_BEHALF)
    attendee = Registration.objects.create(session=session, name="Was Er", email="was@example.org", stakeholder_group="Bewoner",
                                           status=S.ATTENDED, walk_in=True, consent=True)
    with time_machine.travel(session.ends_at + datetime.timedelta(hours=1), tick=False):
        client.post(f"{base}/evaluatie/")
    seated.refresh_from_db()
    waiting.refresh_from_db()
    assert (seated.status == S.CANCELLED) is allowed
    assert (waiting.promoted_at is not None) is allowed
    assert Registration.objects.filter(name="Henk Telefoon").exists() is allowed
    attendee.refresh_from_db()
    assert (attendee.evaluation_sent_at is not None) is allowed
    history = client.get(reverse("dialogue_sessions:history", args=[session.pk]))
    if allowed:
        assert history.status_code == 200
    else:
        assert history.status_code in (302, 403)
        assert b"Aanmelding afgezegd" not in history.content


def test_promote_page_says_plainly_that_a_seat_is_added(client, setup):
    session, seated, waiting, users = setup
    DialogueSession.objects.filter(pk=session.pk).update(capacity_onsite=20, seats_taken_onsite=20)
    client.force_login(users["editor"])
    html = client.get(f"/admin/dialogen/sessie/{session.pk}/aanmelding/{waiting.pk}/naar-plaats/").content.decode()
    assert "Er komt een extra plaats bij: op locatie 21 in plaats van 20." in html
    response = client.post(f"/admin/dialogen/sessie/{session.pk}/aanmelding/{waiting.pk}/naar-plaats/", {"extra_seat": "1"})
    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.capacity_onsite, session.seats_taken_onsite) == (21, 21)
    assert OutgoingMail.objects.filter(to="wacht@example.org", subject__icontains="plaats").exists()


def test_on_behalf_form_errors_beside_the_field_and_says_no_email_means_no_mail(client, setup):
    session, seated, waiting, users = setup
    client.force_login(users["editor"])
    page = client.get(f"/admin/dialogen/sessie/{session.pk}/aanmelden/").content.decode()
    assert "Zonder e-mailadres krijgt de persoon geen bevestiging" in page and "Toestemming gegeven aan medewerker" in page
    response = client.post(f"/admin/dialogen/sessie/{session.pk}/aanmelden/", {**ON_BEHALF, "consent_given_to_staff": ""})
    assert response.status_code == 200 and "Vraag de persoon om toestemming" in response.content.decode()
    response = client.post(f"/admin/dialogen/sessie/{session.pk}/aanmelden/", {**ON_BEHALF, "waitlist_when_full": ""})
    assert response.status_code == 200 and "Er is geen plaats meer" in response.content.decode()
    response = client.post(f"/admin/dialogen/sessie/{session.pk}/aanmelden/", ON_BEHALF, follow=True)
    assert "Henk Telefoon staat op de wachtlijst. De persoon krijgt geen e-mail." in response.content.decode()


def test_staff_cancel_checkbox_is_on_by_default_and_off_sends_no_mail(client, setup):
    session, seated, waiting, users = setup
    client.force_login(users["editor"])
    page = client.get(f"/admin/dialogen/sessie/{session.pk}/aanmelding/{seated.pk}/afzeggen/").content.decode()
    assert "Stuur de persoon een e-mail" in page and "checked" in page
    OutgoingMail.objects.all().delete()
    response = client.post(f"/admin/dialogen/sessie/{session.pk}/aanmelding/{seated.pk}/afzeggen/", {}, follow=True)
    assert "De persoon krijgt geen e-mail." in response.content.decode(), response.content.decode()[-3000:]
    assert Registration.objects.get(pk=waiting.pk).status == S.CONFIRMED
    assert not OutgoingMail.objects.filter(to="zit@example.org").exists()
    assert OutgoingMail.objects.filter(to="wacht@example.org").exists()  # promoted to the freed seat


def test_attendance_and_outcome_buttons_appear_only_when_they_make_sense(client, setup):
    session, seated, waiting, users = setup
    SessionOutcome.objects.create(session=session, summary="Buurttuin")
    client.force_login(users["editor"])
    url = f"/admin/dialogen/sessie/{session.pk}/"
    html = client.get(url).content.decode()
    assert "kan vanaf" in html and 'name="attended"' not in html and "Binnenloper toevoegen" not in html
    assert "Uitkomst publiceren en deelnemers mailen" not in html and "als de bijeenkomst voorbij is" in html
    assert "Iemand aanmelden" in html and "Naar een plaats" in html and "Markeer als gehouden" not in html
    with time_machine.travel(session.starts_at - datetime.timedelta(minutes=30), tick=False):
        html = client.get(url).content.decode()
        assert 'name="attended"' in html and "Binnenloper toevoegen" in html
        assert "Uitkomst publiceren en deelnemers mailen" not in html
    with time_machine.travel(session.ends_at + datetime.timedelta(minutes=1), tick=False):
        html = client.get(url).content.decode()
        assert "Uitkomst publiceren en deelnemers mailen" in html and "Markeer als gehouden" in html
        assert "Naar een plaats" not in html and "Iemand aanmelden" not in html
    # A too-early POST is refused with the reason, not a 500.
    response = client.post(f"{url}aanmelding/{seated.pk}/inchecken/", {"attended": "1"}, follow=True)
    assert response.status_code == 200 and "kan pas vanaf" in response.content.decode()
    seated.refresh_from_db()
    assert seated.status == S.PENDING


def test_every_staff_action_shows_in_the_sessions_history(client, setup):
    session, seated, waiting, users = setup
    editor = users["editor"]
    client.force_login(editor)
    base = f"/admin/dialogen/sessie/{session.pk}"
    client.post(f"{base}/aanmelden/", {**ON_BEHALF, "email": "henk@example.org"})
    client.post(f"{base}/aanmelding/{waiting.pk}/naar-plaats/", {"extra_seat": "1"})
    henk = Registration.objects.get(name="Henk Telefoon")
    client.post(f"{base}/aanmelding/{henk.pk}/afzeggen/", {"notify": "on"})
    client.post(f"{base}/bericht/", {"subject": "Parkeren", "body": "Achter het gebouw."})
    outcome = SessionOutcome.objects.create(session=session, summary="Buurttuin")
    with time_machine.travel(session.starts_at, tick=False):
        client.post(f"{base}/aanmelding/{seated.pk}/inchecken/", {"attended": "1"})
        client.post(f"{base}/aanmelding/{waiting.pk}/inchecken/", {"attended": "0"})
        client.post(f"{base}/binnenloper/", {"name": "Kees", "email": "", "stakeholder_group": "Bewoner"})
    with time_machine.travel(session.ends_at + datetime.timedelta(minutes=5), tick=False):
        client.post(f"{base}/gehouden/")
        client.post(f"{base}/uitkomst/publiceren/")
        client.post(f"{base}/uitkomst/publiceren/", {"unpublish": "1"})
        client.post(f"{base}/evaluatie/")
    other = DialogueSessionFactory(round=session.round)
    client.post(f"/admin/dialogen/sessie/{other.pk}/afgelasten/", {"message": ""})
    outcome.refresh_from_db()
    html = client.get(reverse("dialogue_sessions:history", args=[session.pk])).content.decode()
    for label in ("Iemand aangemeld door een medewerker", "Iemand van de wachtlijst op een plaats gezet",
                  "Aanmelding afgezegd door een medewerker", "Bericht aan alle deelnemers verstuurd",
                  "Deelnemer als aanwezig gemeld", "Deelnemer als niet gekomen gemeld", "Binnenloper toegevoegd",
                  "Bijeenkomst gemarkeerd als gehouden", "Uitkomst gepubliceerd en deelnemers gemaild",
                  "Uitkomst niet meer openbaar gemaakt", "Uitnodigingen voor de evaluatie verstuurd"):
        assert label in html, label
    assert "zit@example.org" not in html and "henk@example.org" not in html
    other_html = client.get(reverse("dialogue_sessions:history", args=[other.pk])).content.decode()
    assert "Bijeenkomst afgelast en deelnemers gemaild" in other_html


class Recorder:
    def __init__(self):
        self.received = []  # (recipient, subject)

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content)
        for rcpt in envelope.rcpt_tos:
            self.received.append((rcpt, message["Subject"]))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp(settings):
    with smtp_server(settings, Recorder(), port=SMTP_PORT) as handler:
        yield handler


def test_evaluation_now_without_a_queue_reaches_the_smtp_server_when_pressed(client, setup, smtp, settings,
                                                                             django_capture_on_commit_callbacks):
    # As ``make run`` has it: no Redis, no worker; the outbox delivers in-process after commit.
    settings.RQ_QUEUES = {}
    session, seated, waiting, users = setup
    with time_machine.travel(session.starts_at, tick=False):
        services.registration_check_in(registration_id=seated.pk, attended=True)
    client.force_login(users["editor"])
    url = f"/admin/dialogen/sessie/{session.pk}/"
    with time_machine.travel(session.ends_at + datetime.timedelta(minutes=10), tick=False):
        assert "Evaluatie nu versturen" in client.get(url).content.decode()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(f"{url}evaluatie/", follow=True)
        assert "De evaluatie is verstuurd naar 1 deelnemers." in response.content.decode()
        assert [rcpt for rcpt, _subject in smtp.received] == ["zit@example.org"]
        assert OutgoingMail.objects.get(to="zit@example.org", subject__startswith="Hoe vond u de bijeenkomst?").status == OutgoingMail.Status.SENT
        html = client.get(url).content.decode()
    assert "Evaluatie nu versturen" not in html  # everyone invited
    assert "1 deelnemer uitgenodigd, 0 antwoorden." in html and "Zit Persoon" in html
    services.evaluation_submit(registration_id=seated.pk, heard=5, useful=4)
    with time_machine.travel(session.ends_at + datetime.timedelta(minutes=20), tick=False):
        assert "1 deelnemer uitgenodigd, 1 antwoorden." in client.get(url).content.decode()
