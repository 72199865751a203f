"""The moderation queue in the Wagtail admin, per role."""

import pytest
from django.core import mail

from concerns.models import SubmissionStatus
from tests.concerns.factories import AreaFactory, top3
from tests.dialogues.test_permissions import editor_for
from tests.projects.factories import ProjectPageFactory, UserFactory

pytestmark = pytest.mark.django_db

QUEUE = "/admin/top-3/"


@pytest.fixture
def setup(site, moderator, resident, council_member):
    wijk = AreaFactory(code="WK999904", name="Noordhoek")
    project, other = ProjectPageFactory(title="Park Noordhoek"), ProjectPageFactory(title="Elders")
    mine = top3(area=wijk, items=[("Groen", "Zin bij het park.")], project=project, status=SubmissionStatus.PENDING, user=resident)
    loose = top3(area=wijk, items=[("Verkeer", "Zin zonder project.")], status=SubmissionStatus.PENDING)
    users = {
        "editor": editor_for(project, "park"), "editor_elsewhere": editor_for(other, "elders"), "moderator": moderator,
        "council": council_member, "resident": UserFactory(username="gewoon"), "anonymous": None,
    }
    return mine, loose, users


def denied(response) -> bool:
    # Wagtail's admin turns PermissionDenied into a redirect to its dashboard with a message;
    # someone without admin access is sent to the login page.
    return response.status_code == 403 or (
        response.status_code == 302 and response["Location"].split("?")[0] in ("/admin/", "/admin/login/")
    )


def _client(client, user):
    if user is not None:
        client.force_login(user)
    return client


def test_moderator_sees_and_publishes_everything(client, setup, django_capture_on_commit_callbacks):
    mine, loose, users = setup
    c = _client(client, users["moderator"])
    html = c.get(QUEUE).content.decode()
    assert "Zin bij het park." in html and "Zin zonder project." in html
    assert "Top-3 van zorgen" in c.get("/admin/").content.decode()  # the menu item
    with django_capture_on_commit_callbacks(execute=True):
        response = c.post(f"{QUEUE}{loose.pk}/", {"action": "publish"}, follow=True)
    assert "De top-3 is gepubliceerd" in response.content.decode()
    loose.refresh_from_db()
    assert loose.status == SubmissionStatus.PUBLISHED
    detail = c.get(f"{QUEUE}{loose.pk}/").content.decode()
    assert "Gepubliceerd: telt mee in de uitkomst" in detail  # the audit log on the page


def test_reject_needs_a_reason_next_to_the_field(client, setup):
    mine, _loose, users = setup
    c = _client(client, users["moderator"])
    response = c.post(f"{QUEUE}{mine.pk}/", {"action": "reject", "reject-reason": ""})
    assert response.status_code == 400 and "Schrijf op waarom deze top-3 is afgewezen." in response.content.decode()
    response = c.post(f"{QUEUE}{mine.pk}/", {"action": "reject", "reject-reason": "Niet over de wijk."}, follow=True)
    mine.refresh_from_db()
    assert mine.status == SubmissionStatus.REJECTED and mine.rejection_reason == "Niet over de wijk."
    assert "Afgewezen (de reden staat bij de top-3)" in c.get(f"{QUEUE}{mine.pk}/").content.decode()


def test_unknown_action_is_a_400(client, setup):
    mine, _loose, users = setup
    response = _client(client, users["moderator"]).post(f"{QUEUE}{mine.pk}/", {"action": "wis"})
    assert response.status_code == 400
    mine.refresh_from_db()
    assert mine.status == SubmissionStatus.PENDING


def test_editor_of_the_project_moderates_only_its_top3(client, setup):
    mine, loose, users = setup
    c = _client(client, users["editor"])
    html = c.get(QUEUE).content.decode()
    assert "Zin bij het park." in html and "Zin zonder project." not in html
    assert denied(c.get(f"{QUEUE}{loose.pk}/"))
    assert denied(c.post(f"{QUEUE}{loose.pk}/", {"action": "publish"}))
    c.post(f"{QUEUE}{mine.pk}/", {"action": "publish"})
    mine.refresh_from_db()
    loose.refresh_from_db()
    assert mine.status == SubmissionStatus.PUBLISHED and loose.status == SubmissionStatus.PENDING


def test_editor_of_another_project_sees_an_empty_queue_and_gets_403(client, setup):
    mine, _loose, users = setup
    c = _client(client, users["editor_elsewhere"])
    response = c.get(QUEUE)
    assert response.status_code == 200 and "Zin bij het park." not in response.content.decode()
    assert denied(c.get(f"{QUEUE}{mine.pk}/"))
    assert denied(c.post(f"{QUEUE}{mine.pk}/", {"action": "publish"}))
    mine.refresh_from_db()
    assert mine.status == SubmissionStatus.PENDING


@pytest.mark.parametrize("role", ["council", "resident", "anonymous"])
def test_others_cannot_open_or_use_the_queue(client, setup, role):
    mine, _loose, users = setup
    c = _client(client, users[role])
    for response in (c.get(QUEUE), c.get(f"{QUEUE}{mine.pk}/"), c.post(f"{QUEUE}{mine.pk}/", {"action": "publish"})):
        assert denied(response)
        assert "Zin bij het park." not in response.content.decode()
    mine.refresh_from_db()
    assert mine.status == SubmissionStatus.PENDING
    assert mail.outbox == []


def test_unconfirmed_top3_is_not_in_the_queue(client, setup):
    _mine, _loose, users = setup
    hidden = top3(area=AreaFactory(code="WK999905"), items=[("Groen", "Nog niet bevestigd.")], email="a@example.org",
                  status=SubmissionStatus.UNCONFIRMED)
    c = _client(client, users["moderator"])
    assert "Nog niet bevestigd." not in c.get(QUEUE + "?toon=alle").content.decode()
    assert c.get(f"{QUEUE}{hidden.pk}/").status_code == 404
