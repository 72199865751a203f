"""The venue of a session located by address or map: the admin's JSON endpoints (only the
PDOK Locatieserver is faked) and the panel in the session form, with a permission matrix."""

import pytest
from django.contrib.auth.models import Group

from tests.dialogues.test_permissions import editor_for
from tests.geo.conftest import geocoder, moderators_group  # noqa: F401 (fixture)
from tests.projects.factories import UserFactory

pytestmark = pytest.mark.django_db

SUGGEST = "/admin/dialogen/locatie/zoeken/"
LOOKUP = "/admin/dialogen/locatie/plek/"


def _users(session):
    from tests.dialogues.factories import DialogueRoundPageFactory

    elsewhere = DialogueRoundPageFactory().get_parent()
    council = UserFactory(username="raadslid")
    council.groups.add(Group.objects.get_or_create(name="Raadsleden")[0])
    moderator = UserFactory(username="moderator")
    moderator.groups.add(moderators_group())
    return {
        "anonymous": None, "resident": UserFactory(username="bewoner"), "moderator": moderator, "council": council,
        "editor_elsewhere": editor_for(elsewhere, "elders"), "editor": editor_for(session.round.get_parent(), "hier"),
    }


@pytest.mark.parametrize("role, allowed", [
    ("anonymous", False), ("resident", False), ("moderator", False), ("council", False),
    # Any editor may plan sessions for their own project, so may search addresses.
    ("editor_elsewhere", True), ("editor", True),
])
def test_address_search_per_role(client, session, geocoder, role, allowed):  # noqa: F811
    user = _users(session)[role]
    if user is not None:
        client.force_login(user)
    response = client.get(SUGGEST, {"q": "Plein Houten"})
    if not allowed:
        assert response.status_code in (302, 403)
        assert b"Plein 1" not in response.content
        return
    assert response.status_code == 200
    assert response.json()["results"][0] == {"id": "adr-1", "label": "Plein 1, 3991 AA Houten"}
    response = client.get(LOOKUP, {"id": "adr-1"})
    assert response.json() == {"label": "Plein 1, 3991 AA Houten", "lat": 52.02912, "lon": 5.16832}


@pytest.fixture
def editor(session):
    return editor_for(session.round.get_parent(), "hier")


def test_lookup_errors_are_4xx_or_503_with_a_dutch_reason(client, session, geocoder, editor):  # noqa: F811
    client.force_login(editor)
    assert client.get(LOOKUP).status_code == 400
    assert "Kies eerst een adres" in client.get(LOOKUP).json()["error"]
    response = client.get(LOOKUP, {"id": "bestaat-niet"})
    assert response.status_code == 404 and "Wij vinden dit adres niet" in response.json()["error"]
    response = client.get(SUGGEST, {"q": "ab"})  # the same rule as the public address search
    assert response.status_code == 400 and "minstens 3 tekens" in response.json()["error"]
    assert client.post(SUGGEST, {"q": "Plein"}).status_code == 405
    geocoder.mode = "error"
    response = client.get(SUGGEST, {"q": "Lindelaan Houten"})
    assert response.status_code == 503 and "Probeer het later opnieuw" in response.json()["error"]


def test_session_form_has_the_map_panel_and_keeps_the_coordinate_fields(client, session, editor):
    client.force_login(editor)
    html = client.get(f"/admin/dialogues/sessions/edit/{session.pk}/").content.decode()
    assert 'id="venue-map-panel"' in html and "venue-map-config" in html
    assert "leaflet/leaflet.js" in html and "dialogues/admin_venue.js" in html
    assert 'name="latitude"' in html and 'name="longitude"' in html  # the way without JavaScript
    assert "/admin/dialogen/locatie/zoeken/" in html


def test_geo_still_finds_the_geocoder_where_it_was():
    from geo import geocoding as old
    from projects import geocoding

    assert old.geocode is geocoding.geocode and old.GeocoderUnavailable is geocoding.GeocoderUnavailable


def test_dialogues_imports_neither_geo_nor_the_host():
    """The venue search uses projects.geocoding: dialogues and geo stay independent."""
    import ast
    from pathlib import Path

    import dialogues

    offenders = []
    for path in Path(dialogues.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else [])
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] in ("geo", "home", "participatie")]
    assert not offenders


def test_new_session_form_has_the_map_but_no_change_warning(client, session, editor):
    client.force_login(editor)
    response = client.get("/admin/dialogues/sessions/new/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="venue-map-panel"' in html and 'name="latitude"' in html
    assert "data-schedule-change-warning" not in html


def test_coordinates_typed_without_javascript_are_checked_beside_the_field(client, session, editor):
    client.force_login(editor)
    data = {
        "round": session.round_id, "title": session.title,
        "starts_at": session.starts_at.astimezone().strftime("%Y-%m-%d %H:%M"),
        "ends_at": session.ends_at.astimezone().strftime("%Y-%m-%d %H:%M"),
        "venue": session.venue, "address": session.address, "latitude": "152.03", "longitude": "5.17",
        "online_url": "", "capacity_onsite": "10", "capacity_online": "0",
        "registration_opens_at": "", "registration_closes_at": "", "facilitator": "", "accessibility": "",
    }
    edit = f"/admin/dialogues/sessions/edit/{session.pk}/"
    response = client.post(edit, data)
    assert response.status_code == 200
    assert "De breedtegraad ligt tussen -90 en 90" in response.content.decode()
    assert client.post(edit, {**data, "latitude": "52.03"}).status_code == 302
    session.refresh_from_db()
    assert (session.latitude, session.longitude) == (52.03, 5.17)
