"""Who may do what, per role: anonymous, resident, moderator, editor without moderation rights."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from geo.models import Moderation, StatusChange
from projects.models import OutgoingMail
from tests.geo.factories import InitiativeFactory
from tests.projects.factories import UserFactory

pytestmark = pytest.mark.django_db
QUEUE = "/admin/initiatieven/"


@pytest.fixture
def editor(db):
    user = UserFactory(username="redacteur")
    group = Group.objects.create(name="Redacteuren test")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    user.groups.add(group)
    return user


@pytest.fixture
def submitter(db):
    return UserFactory(username="indiener", email="indiener@example.org")


# Wagtail's admin answers a PermissionDenied with a redirect to the dashboard and a message.
@pytest.mark.parametrize("role, status, location", [
    ("anonymous", 302, "/admin/login/"), ("resident", 302, "/admin/login/"), ("editor", 302, "/admin/"), ("moderator", 200, None),
])
def test_queue_access(client, site, role, status, location, resident, editor, moderator, submitter):
    InitiativeFactory(title="Wacht op controle", moderation=Moderation.PENDING, submitter=submitter)
    user = {"anonymous": None, "resident": resident, "editor": editor, "moderator": moderator}[role]
    if user:
        client.force_login(user)
    response = client.get(QUEUE)
    assert response.status_code == status
    if location:
        assert response["Location"].split("?")[0] == location
    if status == 200:
        assert "Wacht op controle" in response.content.decode()


@pytest.mark.parametrize("role", ["resident", "editor"])
def test_non_moderators_cannot_act(client, site, role, resident, editor):
    initiative = InitiativeFactory(moderation=Moderation.PENDING)
    client.force_login({"resident": resident, "editor": editor}[role])
    client.post(f"{QUEUE}{initiative.pk}/", {"action": "publish"})
    initiative.refresh_from_db()
    assert initiative.moderation == Moderation.PENDING


def test_submitter_email_only_for_moderators(client, site, editor, moderator, submitter):
    initiative = InitiativeFactory(submitter=submitter)
    client.force_login(moderator)
    assert "indiener@example.org" in client.get(f"{QUEUE}{initiative.pk}/").content.decode()
    client.force_login(editor)
    response = client.get(f"{QUEUE}{initiative.pk}/")
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert b"indiener@example.org" not in response.content
    assert b"indiener@example.org" not in client.get(initiative.get_absolute_url()).content


def test_moderator_publishes_rejects_answers_and_edits(client, site, moderator, submitter):
    pending = InitiativeFactory(moderation=Moderation.PENDING, submitter=submitter)
    client.force_login(moderator)
    url = f"{QUEUE}{pending.pk}/"
    assert client.post(url, {"action": "publish"}).status_code == 302
    pending.refresh_from_db()
    assert pending.moderation == Moderation.PUBLISHED
    response = client.post(url, {"action": "status", "status-to_status": "uitgevoerd", "status-answer": "Klaar"})
    assert response.status_code == 200 and not StatusChange.objects.exists()  # not allowed from "ingediend"
    response = client.post(url, {"action": "status", "status-to_status": "in_behandeling", "status-answer": ""})
    assert response.status_code == 200 and not StatusChange.objects.exists()
    client.post(url, {"action": "status", "status-to_status": "in_behandeling", "status-answer": "Wij kijken ernaar."})
    assert StatusChange.objects.get().changed_by == moderator
    response = client.post(url, {"action": "edit", "edit-title": "Nieuw", "edit-description": "Tekst", "edit-theme": pending.theme_id,
                                 "edit-lat": "52.03", "edit-lon": "5.17", "edit-note": "Naam weggehaald"})
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.title == "Nieuw" and "Naam weggehaald" in pending.moderator_note
    client.post(url, {"action": "reject", "reject-reason": "Dubbel ingediend"})
    pending.refresh_from_db()
    assert pending.moderation == Moderation.REJECTED
    assert OutgoingMail.objects.filter(to=submitter.email, body_text__contains="Dubbel ingediend").exists()


def test_reported_initiative_reaches_queue(client, site, resident, moderator):
    initiative = InitiativeFactory(title="Gemeld initiatief")
    client.force_login(resident)
    client.post(reverse("geo:report", args=[initiative.pk]), {"reason": "Kwetsend"})
    client.force_login(moderator)
    assert "Gemeld initiatief" in client.get(QUEUE).content.decode()
    client.post(f"{QUEUE}{initiative.pk}/", {"action": "publish"})  # keep it: closes the report
    assert "Gemeld initiatief" not in client.get(QUEUE).content.decode()


def test_themes_and_areas_in_admin_for_moderators(client, site, moderator):
    client.force_login(moderator)
    assert client.get(reverse("wagtailsnippets_geo_theme:list")).status_code == 200
    assert client.get(reverse("wagtailsnippets_geo_theme:add")).status_code == 200


def test_area_edited_in_admin_gets_its_bounding_box(client, site):
    import json

    from geo.models import Area
    from tests.geo.factories import square

    admin = UserFactory(username="beheerder", is_superuser=True, is_staff=True)
    client.force_login(admin)
    response = client.post(reverse("wagtailsnippets_geo_area:add"), {
        "code": "WK999999", "name": "Nieuwe wijk", "kind": "wijk", "geometry": json.dumps(square(5.15, 52.01, 5.16, 52.02)),
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    area = Area.objects.get(code="WK999999")
    assert (area.min_lon, area.min_lat, area.max_lon, area.max_lat) == (5.15, 52.01, 5.16, 52.02)


def test_moderators_group_has_the_moderation_permissions(db):
    from tests.geo.conftest import moderators_group

    codenames = set(moderators_group().permissions.values_list("codename", flat=True))
    assert {"moderate_initiative", "access_admin", "change_theme", "view_area"} <= codenames
    assert "delete_initiative" not in codenames
