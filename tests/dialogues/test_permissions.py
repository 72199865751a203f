"""Who sees registrants' personal data in the admin: a matrix per role."""

import datetime

import pytest
import time_machine
from django.contrib.auth.models import Group, Permission

from dialogues import services
from dialogues.models import DialogueSession, Registration, SessionOutcome
from tests.dialogues.factories import DialogueRoundPageFactory, DialogueSessionFactory, registration_data
from tests.projects.factories import UserFactory

pytestmark = pytest.mark.django_db


def editor_for(page, name):
    group = Group.objects.create(name=f"Redactie {name}")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    from wagtail.models import GroupPagePermission

    for codename in ("add_page", "change_page", "publish_page"):
        GroupPagePermission.objects.create(group=group, page=page, permission=Permission.objects.get(codename=codename, content_type__app_label="wagtailcore"))
    user = UserFactory(username=f"editor-{name}")
    user.groups.add(group)
    return user


@pytest.fixture
def setup(site):
    session = DialogueSessionFactory()
    other_round = DialogueRoundPageFactory()
    services.registration_create(session_id=session.pk, **registration_data(name="Privé Persoon", email="prive@example.org", phone="0612345678"))
    project = session.round.get_parent()
    users = {
        "anonymous": None,
        "resident": UserFactory(username="bewoner-x"),
        "editor_elsewhere": editor_for(other_round.get_parent(), "elders"),
        "editor": editor_for(project, "hier"),
        "superuser": UserFactory(username="admin", is_superuser=True, is_staff=True),
    }
    return session, users


ADMIN_PAGES = ["/admin/dialogen/sessie/{}/", "/admin/dialogen/sessie/{}/export.csv", "/admin/dialogen/sessie/{}/export.xlsx",
               "/admin/dialogen/sessie/{}/presentielijst/", "/admin/dialogen/sessie/{}/bericht/"]


@pytest.mark.parametrize("role, allowed", [
    ("anonymous", False), ("resident", False), ("editor_elsewhere", False), ("editor", True), ("superuser", True),
])
def test_registration_admin_per_role(client, setup, role, allowed):
    session, users = setup
    if users[role] is not None:
        client.force_login(users[role])
    for path in ADMIN_PAGES:
        response = client.get(path.format(session.pk))
        body = response.content
        if allowed:
            assert response.status_code == 200, path
        else:
            assert response.status_code in (302, 403), (path, response.status_code)
            assert b"prive@example.org" not in body and b"0612345678" not in body
    if allowed:
        html = client.get(ADMIN_PAGES[0].format(session.pk)).content.decode()
        assert "prive@example.org" in html and "0612345678" in html
        assert "prive@example.org" in client.get(ADMIN_PAGES[1].format(session.pk)).content.decode("utf-8-sig")


@pytest.mark.parametrize("role, allowed", [("editor_elsewhere", False), ("editor", True)])
def test_check_in_and_cancel_need_project_permission(client, setup, role, allowed):
    session, users = setup
    client.force_login(users[role])
    registration = Registration.objects.get()
    with time_machine.travel(session.starts_at, tick=False):  # check-in opens shortly before the start
        client.post(f"/admin/dialogen/sessie/{session.pk}/aanmelding/{registration.pk}/inchecken/", {"attended": "1"})
    client.post(f"/admin/dialogen/sessie/{session.pk}/afgelasten/", {"message": ""})
    registration.refresh_from_db()
    session.refresh_from_db()
    assert (registration.status == "attended") is allowed
    assert session.is_cancelled is allowed


def test_session_listing_is_scoped_to_the_editors_projects(client, setup):
    session, users = setup
    other = DialogueSessionFactory(round=DialogueRoundPage_of(users))
    client.force_login(users["editor"])
    html = client.get("/admin/dialogues/sessions/").content.decode()
    assert session.title in html and other.title not in html
    assert client.get(f"/admin/dialogues/sessions/edit/{other.pk}/").status_code in (302, 403)
    assert client.get(f"/admin/dialogues/sessions/edit/{session.pk}/").status_code == 200


def DialogueRoundPage_of(users):
    from dialogues.models import DialogueRoundPage

    return DialogueRoundPage.objects.exclude(sessions__isnull=False).first()


def test_deleting_a_session_with_registrations_is_refused(client, setup):
    session, users = setup
    client.force_login(users["superuser"])
    response = client.post(f"/admin/dialogues/sessions/delete/{session.pk}/", follow=True)
    assert DialogueSession.objects.filter(pk=session.pk).exists()
    assert "niet verwijderen, wel afgelasten" in response.content.decode()


def test_editor_edits_capacity_through_the_admin_and_waiting_list_moves(client, setup):
    session, users = setup
    DialogueSession.objects.filter(pk=session.pk).update(capacity_onsite=1)
    waiting = services.registration_create(session_id=session.pk, **registration_data(email="wacht@example.org"))
    assert waiting.status == "waitlisted"
    client.force_login(users["editor"])
    edit = f"/admin/dialogues/sessions/edit/{session.pk}/"
    session.refresh_from_db()
    data = {
        "round": session.round_id, "title": session.title,
        "starts_at": session.starts_at.astimezone().strftime("%Y-%m-%d %H:%M"),
        "ends_at": session.ends_at.astimezone().strftime("%Y-%m-%d %H:%M"),
        "venue": session.venue, "address": session.address, "latitude": "", "longitude": "", "online_url": "",
        "capacity_onsite": "2", "capacity_online": "0", "registration_opens_at": "", "registration_closes_at": "",
        "facilitator": session.facilitator, "accessibility": "",
    }
    response = client.post(edit, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"
    # Lowering below the seats taken: an error beside the field, nothing saved.
    response = client.post(edit, {**data, "capacity_onsite": "1"})
    assert response.status_code == 200
    assert "plaatsen bezet" in response.content.decode()


def test_outcome_edit_and_publish(client, setup):
    session, users = setup
    client.force_login(users["editor"])
    response = client.get(f"/admin/dialogen/sessie/{session.pk}/uitkomst/")
    outcome = SessionOutcome.objects.get(session=session)
    assert response["Location"].endswith(f"/edit/{outcome.pk}/")
    assert client.get(response["Location"]).status_code == 200
    with time_machine.travel(session.ends_at + datetime.timedelta(hours=1), tick=False):  # only after the session ended
        client.post(f"/admin/dialogen/sessie/{session.pk}/uitkomst/publiceren/")
    outcome.refresh_from_db()
    assert outcome.published_at is not None
    client.force_login(users["editor_elsewhere"])
    assert client.get(f"/admin/dialogues/outcomes/edit/{outcome.pk}/").status_code in (302, 403)


def test_editor_adds_walk_in_sends_message_and_exports(client, setup):
    session, users = setup
    client.force_login(users["editor"])
    with time_machine.travel(session.starts_at, tick=False):
        client.post(f"/admin/dialogen/sessie/{session.pk}/binnenloper/", {"name": "Kees", "email": "", "stakeholder_group": "Zorgaanbieders"})
    assert Registration.objects.filter(walk_in=True, status="attended", stakeholder_group="Zorgaanbieders").exists()
    response = client.post(f"/admin/dialogen/sessie/{session.pk}/bericht/", {"subject": "Parkeren", "body": "Achter het gebouw."})
    assert response.status_code == 302
    from projects.models import OutgoingMail

    assert OutgoingMail.objects.filter(subject="Parkeren", to="prive@example.org").exists()
    csv_text = client.get(f"/admin/dialogen/sessie/{session.pk}/export.csv?q=prive").content.decode("utf-8-sig")
    assert csv_text.splitlines()[0].startswith("Naam;E-mail") and len(csv_text.splitlines()) == 2
    import io

    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(client.get(f"/admin/dialogen/sessie/{session.pk}/export.xlsx").content)).active
    assert sheet.max_row == 3
    assert "prive@example.org" in {sheet.cell(row=r, column=2).value for r in (2, 3)}
    html = client.get(f"/admin/dialogen/sessie/{session.pk}/?status=attended").content.decode()
    assert "Kees" in html and "prive@example.org" not in html


def test_export_neutralises_spreadsheet_formulas(client, setup):
    session, users = setup
    services.registration_create(session_id=session.pk, **registration_data(name="=HYPERLINK(\"x\")", email="f@example.org"))
    client.force_login(users["editor"])
    csv_text = client.get(f"/admin/dialogen/sessie/{session.pk}/export.csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK" in csv_text
    import io
    import zipfile

    from openpyxl import load_workbook

    content = client.get(f"/admin/dialogen/sessie/{session.pk}/export.xlsx").content
    names = {load_workbook(io.BytesIO(content)).active.cell(row=r, column=1).value for r in (2, 3)}
    assert '=HYPERLINK("x")' in names  # as typed, no apostrophe
    sheet_xml = zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "quotePrefix" not in sheet_xml


def test_round_page_form_offers_the_projects_groups(setup):
    session, users = setup
    project = session.round.get_parent().specific
    from dialogues.models import DialogueRoundPage

    form_class = DialogueRoundPage.get_edit_handler().get_form_class()
    form = form_class(instance=DialogueRoundPage(), parent_page=project, for_user=users["superuser"])
    choices = [value for value, _label in form.fields["target_groups"].choices]
    assert choices == ["Zorgaanbieders", "Ondernemers", "Bewoner"]


def test_organisers_see_evaluation_averages_and_anonymous_comments(client, setup):
    session, users = setup
    registration = Registration.objects.get()
    services.registration_check_in(registration_id=registration.pk, attended=True, now=session.starts_at)
    services.evaluation_submit(registration_id=registration.pk, heard=4, useful=2, comment="Meer tijd voor vragen graag")
    client.force_login(users["editor"])
    html = client.get(f"/admin/dialogen/sessie/{session.pk}/").content.decode()
    assert "Meer tijd voor vragen graag" in html and "gemiddeld 4,0 van 5" in html
