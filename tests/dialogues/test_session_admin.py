"""The session list and form in the Wagtail admin: filters scoped to the user's projects and
the warning about who gets an email when the time or place changes. A matrix per role."""

import pytest
from django.contrib.auth.models import Group

from dialogues import services
from tests.dialogues.factories import DialogueRoundPageFactory, DialogueSessionFactory, registration_data
from tests.dialogues.test_permissions import editor_for
from tests.geo.conftest import moderators_group
from tests.projects.factories import UserFactory

pytestmark = pytest.mark.django_db

LIST = "/admin/dialogues/sessions/"


@pytest.fixture
def two_projects(site):
    here = DialogueRoundPageFactory(title="Ronde Linde")
    there = DialogueRoundPageFactory(title="Ronde Elders")
    here_project, there_project = here.get_parent(), there.get_parent()
    here_project.title, there_project.title = "Project Linde", "Project Elders"
    here_project.save()
    there_project.save()
    sessions = {
        "here": DialogueSessionFactory(round=here, title="Avond Linde"),
        "here_cancelled": DialogueSessionFactory(round=here, title="Afgelaste Linde", status="afgelast"),
        "there": DialogueSessionFactory(round=there, title="Avond Elders"),
    }
    return here_project, there_project, sessions


def council_member():
    user = UserFactory(username="raadslid")
    user.groups.add(Group.objects.get_or_create(name="Raadsleden")[0])
    return user


def moderator():
    user = UserFactory(username="moderator")
    user.groups.add(moderators_group())
    return user


def users(here_project, there_project):
    return {
        "anonymous": None,
        "resident": UserFactory(username="bewoner"),
        "moderator": moderator(),
        "council": council_member(),
        "editor_elsewhere": editor_for(there_project, "elders"),
        "editor": editor_for(here_project, "hier"),
    }


@pytest.mark.parametrize("role", ["anonymous", "resident", "moderator", "council", "editor_elsewhere", "editor"])
def test_session_list_and_its_project_filter_per_role(client, two_projects, role):
    here_project, there_project, sessions = two_projects
    user = users(here_project, there_project)[role]
    if user is not None:
        client.force_login(user)
    response = client.get(LIST)
    if role in ("anonymous", "resident", "moderator", "council"):
        assert response.status_code in (302, 403)
        assert b"Avond Linde" not in response.content
        return
    html = response.content.decode()
    mine, other = ("Linde", "Elders") if role == "editor" else ("Elders", "Linde")
    assert f"Avond {mine}" in html and f"Avond {other}" not in html
    # The filters name only the user's own project and rounds.
    assert f">Project {mine}</" in html and f"Project {other}" not in html
    assert f">Ronde {mine}</" in html and f"Ronde {other}" not in html
    # Asking for the other project by id neither shows its sessions nor fails.
    other_project = there_project if role == "editor" else here_project
    response = client.get(LIST, {"project": other_project.pk})
    assert response.status_code == 200
    assert f"Avond {other}".encode() not in response.content


def test_filters_by_project_round_and_status(client, two_projects):
    here_project, there_project, sessions = two_projects
    client.force_login(UserFactory(username="admin", is_superuser=True, is_staff=True))
    html = client.get(LIST, {"project": here_project.pk}).content.decode()
    assert "Avond Linde" in html and "Afgelaste Linde" in html and "Avond Elders" not in html
    html = client.get(LIST, {"round": sessions["there"].round_id}).content.decode()
    assert "Avond Elders" in html and "Avond Linde" not in html
    html = client.get(LIST, {"project": here_project.pk, "status": "afgelast"}).content.decode()
    assert "Afgelaste Linde" in html and "Avond Linde" not in html
    assert client.get(LIST, {"status": "onzin"}).status_code == 200  # an unknown choice is ignored, never a 500


def test_edit_form_warns_how_many_registered_people_get_an_email(client, two_projects):
    here_project, there_project, sessions = two_projects
    session = sessions["here"]
    editor = editor_for(here_project, "hier")
    client.force_login(editor)
    edit = f"/admin/dialogues/sessions/edit/{session.pk}/"
    assert "data-schedule-change-warning" not in client.get(edit).content.decode()  # nobody registered yet
    for n in range(3):
        services.registration_create(session_id=session.pk, **registration_data(email=f"p{n}@example.org"))
    cancelled = services.registration_create(session_id=session.pk, **registration_data(email="weg@example.org"))
    services.registration_cancel(registration_id=cancelled.pk)
    html = client.get(edit).content.decode()
    assert "Als u de tijd of de plaats verandert, krijgen 3 aangemelde mensen een e-mail." in html
    # Shown above the time fields, not only after saving.
    assert html.index("data-schedule-change-warning") < html.index('name="starts_at"')
    # An editor of another project sees neither the form nor the count.
    client.force_login(editor_for(there_project, "elders"))
    response = client.get(edit)
    assert response.status_code in (302, 403) and b"aangemelde mensen" not in response.content


def test_the_warning_counts_one_person_in_the_singular(client, two_projects):
    here_project, _there, sessions = two_projects
    services.registration_create(session_id=sessions["here"].pk, **registration_data())
    client.force_login(editor_for(here_project, "hier"))
    html = client.get(f"/admin/dialogues/sessions/edit/{sessions['here'].pk}/").content.decode()
    assert "krijgt 1 aangemelde persoon een e-mail." in html
