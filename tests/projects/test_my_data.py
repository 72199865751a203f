"""'Mijn gegevens': the resident's own data, its JSON download and deleting the account."""

from __future__ import annotations

import copy
import json

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.urls import reverse

from projects import services
from projects.mail import mail_queue
from projects.models import OutgoingMail, ProjectFollow
from projects.sources import PersonalSection, get_source, register, unregister
from tests.projects.factories import ProjectPageFactory, UserFactory

pytestmark = pytest.mark.django_db


class NotebookSource:
    """A small participation source, as dialogues or geo would register one."""

    key = "notebook"
    label = "Notities"

    def __init__(self):
        self.notes: dict[int, list[str]] = {}
        self.deleted: list[int] = []

    def personal_sections(self, user):
        notes = self.notes.get(user.pk, [])
        return [
            PersonalSection(
                key="notebook", title="Mijn notities", template="notebook_section.html", context={"notes": notes}, order=10
            )
        ]

    def personal_data(self, user):
        return {"notes": list(self.notes.get(user.pk, []))}

    def personal_data_delete(self, user):
        self.deleted.append(user.pk)
        self.notes.pop(user.pk, None)


@pytest.fixture
def notebook(settings, tmp_path):
    (tmp_path / "notebook_section.html").write_text(
        "<ul>{% for note in notes %}<li class='note'>{{ note }}</li>{% empty %}<li>Geen notities</li>{% endfor %}</ul>"
    )
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [*templates[0]["DIRS"], tmp_path]
    settings.TEMPLATES = templates
    source = NotebookSource()
    register(source)
    yield source
    unregister(source.key)
    assert get_source("notebook") is None


@pytest.fixture
def resident():
    return UserFactory(email="bewoner@example.org")


# --- the page -----------------------------------------------------------------------------


def test_my_data_requires_login(client, site):
    for name in ("projects:my_data", "projects:my_data_download", "projects:account_delete"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))


def test_my_data_shows_account_sections_and_follows(client, site, resident, notebook):
    notebook.notes[resident.pk] = ["Bankje bij de speeltuin <script>"]
    project = ProjectPageFactory(title="Groen in de wijk")
    services.follow_create(project=project, user=resident)
    client.force_login(resident)

    response = client.get(reverse("projects:my_data"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Mijn gegevens</h1>" in html
    assert "bewoner@example.org" in html
    assert "Mijn notities" in html
    assert "<li class='note'>Bankje bij de speeltuin &lt;script&gt;</li>" in html  # escaped
    assert "Groen in de wijk" in html
    assert reverse("projects:unfollow", args=[project.pk]) in html
    assert reverse("projects:my_data_download") in html
    assert reverse("projects:account_delete") in html
    assert "30 dagen" in html  # retention of the mail outbox


def test_my_data_empty_state(client, site, resident):
    client.force_login(resident)
    html = client.get(reverse("projects:my_data")).content.decode()
    assert "U volgt nog geen projecten" in html


def test_my_data_shows_no_one_elses_data(client, site, resident, notebook):
    other = UserFactory(email="buurman@example.org")
    notebook.notes[other.pk] = ["Geheime notitie van de buurman"]
    services.follow_create(project=ProjectPageFactory(title="Project van de buurman"), user=other)
    client.force_login(resident)
    html = client.get(reverse("projects:my_data")).content.decode()
    assert "Geheime notitie" not in html
    assert "Project van de buurman" not in html
    assert "buurman@example.org" not in html


def test_unfollow_from_my_data_returns_there(client, site, resident):
    project = ProjectPageFactory(title="Groen in de wijk")
    services.follow_create(project=project, user=resident)
    client.force_login(resident)
    response = client.post(reverse("projects:unfollow", args=[project.pk]), {"next": reverse("projects:my_data")})
    assert response.status_code == 302
    assert response.url == reverse("projects:my_data")
    assert not ProjectFollow.objects.filter(user=resident).exists()


def test_unfollow_ignores_next_to_another_site(client, site, resident):
    project = ProjectPageFactory(title="Groen in de wijk")
    services.follow_create(project=project, user=resident)
    client.force_login(resident)
    response = client.post(reverse("projects:unfollow", args=[project.pk]), {"next": "https://kwaad.example/"})
    assert response.url == project.url


# --- download -------------------------------------------------------------------------------


def test_download_gives_all_data_as_json(client, site, resident, notebook):
    notebook.notes[resident.pk] = ["Meer bomen"]
    project = ProjectPageFactory(title="Groen in de wijk")
    services.follow_create(project=project, user=resident)
    client.force_login(resident)

    response = client.get(reverse("projects:my_data_download"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith('attachment; filename="mijn-gegevens-')
    data = json.loads(response.content)
    assert data["account"]["email"] == "bewoner@example.org"
    assert data["account"]["email_addresses"] == [{"email": "bewoner@example.org", "verified": True, "primary": True}]
    assert [f["project"] for f in data["follows"]] == ["Groen in de wijk"]
    assert data["follows"][0]["url"].startswith("http://testserver/")
    assert data["sources"]["notebook"] == {"notes": ["Meer bomen"]}


def test_export_holds_only_the_users_own_data(site, resident, notebook):
    other = UserFactory(email="buurman@example.org")
    notebook.notes[other.pk] = ["Niet van u"]
    services.follow_create(project=ProjectPageFactory(), user=other)
    data = services.user_data_export(user=resident)
    assert data["follows"] == []
    assert data["sources"]["notebook"] == {"notes": []}
    assert "buurman" not in json.dumps(data)


# --- deleting the account ---------------------------------------------------------------------


def test_delete_page_explains_what_is_deleted(client, site, resident):
    client.force_login(resident)
    html = client.get(reverse("projects:account_delete")).content.decode()
    assert "Wat verwijderen wij?" in html
    assert "Wat blijft er, zonder uw naam?" in html
    assert 'name="confirm"' in html


def test_delete_with_wrong_confirm_word_keeps_account_and_value(client, site, resident):
    client.force_login(resident)
    response = client.post(reverse("projects:account_delete"), {"confirm": "weg ermee"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_confirm_error"' in html
    assert "Typ precies het woord" in html
    assert 'value="weg ermee"' in html
    assert get_user_model().objects.filter(pk=resident.pk).exists()


def test_delete_with_empty_confirm_shows_dutch_error(client, site, resident):
    client.force_login(resident)
    html = client.post(reverse("projects:account_delete"), {"confirm": ""}).content.decode()
    assert "Typ het woord" in html
    assert get_user_model().objects.filter(pk=resident.pk).exists()


def test_delete_removes_user_follows_and_calls_sources(client, site, resident, notebook):
    notebook.notes[resident.pk] = ["Meer bomen"]
    other = UserFactory(email="buurman@example.org")
    project = ProjectPageFactory()
    services.follow_create(project=project, user=resident)
    services.follow_create(project=project, user=other)
    mail_queue(to="bewoner@example.org", subject="Nieuws", text="...")
    mail_queue(to="buurman@example.org", subject="Nieuws", text="...")
    client.force_login(resident)
    pk = resident.pk

    response = client.post(reverse("projects:account_delete"), {"confirm": " Verwijderen "}, follow=True)
    assert response.redirect_chain[-1][0] == "/"
    assert "Uw account en uw gegevens zijn verwijderd." in response.content.decode()
    assert "_auth_user_id" not in client.session

    assert not get_user_model().objects.filter(pk=pk).exists()
    assert not EmailAddress.objects.filter(email="bewoner@example.org").exists()
    assert not ProjectFollow.objects.filter(user_id=pk).exists()
    assert notebook.deleted == [pk]
    assert not OutgoingMail.objects.filter(to="bewoner@example.org").exists()
    # Other residents keep everything.
    assert ProjectFollow.objects.filter(user=other).exists()
    assert OutgoingMail.objects.filter(to="buurman@example.org").exists()


def test_delete_is_all_or_nothing_when_a_source_fails(site, resident, notebook):
    project = ProjectPageFactory()
    services.follow_create(project=project, user=resident)

    def broken(user):
        raise RuntimeError("bron niet bereikbaar")

    notebook.personal_data_delete = broken
    with pytest.raises(RuntimeError):
        services.user_delete(user=resident)
    assert get_user_model().objects.filter(pk=resident.pk).exists()
    assert ProjectFollow.objects.filter(user=resident).exists()


def test_staff_cannot_delete_themselves_here(client, site):
    editor = UserFactory(email="redacteur@example.org", is_staff=True)
    client.force_login(editor)
    response = client.post(reverse("projects:account_delete"), {"confirm": "verwijderen"})
    assert response.status_code == 200
    assert "Vraag een beheerder" in response.content.decode()
    assert get_user_model().objects.filter(pk=editor.pk).exists()
    with pytest.raises(services.UserDeleteNotAllowed):
        services.user_delete(user=editor)


def test_delete_requires_post_to_delete(client, site, resident):
    client.force_login(resident)
    client.get(reverse("projects:account_delete"), {"confirm": "verwijderen"})
    assert get_user_model().objects.filter(pk=resident.pk).exists()
