import csv
import io
import json

import pytest
from django.urls import reverse

from geo.models import Moderation
from tests.geo.factories import AreaFactory, InitiativeFactory, ThemeFactory, square
from tests.projects.factories import ProjectPageFactory, UserFactory

pytestmark = pytest.mark.django_db
URL = "/api/geo/initiatives/"
BOX = "5.10,51.99,5.24,52.06"


def count(data):
    return sum(f["properties"].get("count", 1) for f in data["features"])


@pytest.mark.parametrize("params, reason", [
    ({"zoom": "12"}, "bbox"),
    ({"bbox": "1,2,3", "zoom": "12"}, "vier getallen"),
    ({"bbox": "a,b,c,d", "zoom": "12"}, "geen getal"),
    ({"bbox": "nan,1,2,3", "zoom": "12"}, "geen getal"),
    ({"bbox": "5,52,4,53", "zoom": "12"}, "kleiner"),
    ({"bbox": "-200,0,10,10", "zoom": "12"}, "wereldkaart"),
    ({"bbox": BOX}, "zoom"),
    ({"bbox": BOX, "zoom": "30"}, "zoom"),
    ({"bbox": BOX, "zoom": "1.5"}, "zoom"),
    ({"bbox": BOX, "zoom": "12", "theme": "999"}, "theme"),
    ({"bbox": BOX, "zoom": "12", "status": "weg"}, "status"),
    ({"bbox": BOX, "zoom": "12", "project": "x"}, "project"),
    ({"bbox": BOX, "zoom": "12", "project": "99999"}, "project"),
])
def test_bad_parameters_give_400_with_reason(client, params, reason):
    response = client.get(URL, params)
    assert response.status_code == 400
    assert reason in response.json()["error"]


def test_layer_counts_and_filters(client, site):
    green, traffic = ThemeFactory(name="Groen"), ThemeFactory(name="Verkeer")
    area = AreaFactory(geometry=square(5.16, 52.02, 5.18, 52.04))
    project = ProjectPageFactory()
    for i in range(6):
        InitiativeFactory(lat=52.03 + i * 0.001, lon=5.17, theme=green if i % 2 else traffic, area=area if i < 4 else None,
                          project=project if i == 0 else None)
    InitiativeFactory(lat=52.03, lon=5.17, moderation=Moderation.PENDING)
    response = client.get(URL, {"bbox": BOX, "zoom": 12})
    assert response.status_code == 200 and response["Content-Type"] == "application/geo+json"
    assert count(response.json()) == 6
    assert count(client.get(URL, {"bbox": BOX, "zoom": 12, "theme": green.pk}).json()) == 3
    assert count(client.get(URL, {"bbox": BOX, "zoom": 12, "area": area.pk}).json()) == 4
    assert count(client.get(URL, {"bbox": BOX, "zoom": 12, "status": "ingediend"}).json()) == 6
    assert count(client.get(URL, {"bbox": BOX, "zoom": 12, "project": project.pk}).json()) == 1
    singles = client.get(URL, {"bbox": BOX, "zoom": 17}).json()["features"]
    assert len(singles) == 6 and {"id", "title", "status", "theme"} <= set(singles[0]["properties"])
    assert "submitter" not in json.dumps(singles)


def test_areas_layer(client, db):
    AreaFactory(name="Houten-Noord")
    data = client.get(reverse("geo:api_areas")).json()
    assert data["features"][0]["properties"]["name"] == "Houten-Noord"


def test_address_endpoints(client, geocoder):
    response = client.get(reverse("geo:api_address"), {"q": "Plein Houten"})
    assert response.json()["results"][0]["label"] == "Plein 1, 3991 AA Houten"
    response = client.get(reverse("geo:api_address_lookup"), {"id": "adr-1"})
    assert response.json() == {"label": "Plein 1, 3991 AA Houten", "lat": 52.02912, "lon": 5.16832}
    assert client.get(reverse("geo:api_address"), {"q": "ab"}).status_code == 400
    assert client.get(reverse("geo:api_address_lookup"), {"id": "nope"}).status_code == 404
    geocoder.mode = "error"
    response = client.get(reverse("geo:api_address"), {"q": "Andere straat"})
    assert response.status_code == 503 and "werkt nu niet" in response.json()["error"]


def test_open_data_has_no_personal_data(client, db):
    user = UserFactory(username="geheim", email="geheim@example.org")
    InitiativeFactory(title="=HYPERLINK(\"x\")", submitter=user, moderator_note="interne notitie")
    InitiativeFactory(title="Niet openbaar", moderation=Moderation.PENDING)
    geo = client.get(reverse("geo:open_data_geojson"))
    text = geo.content.decode()
    assert len(json.loads(text)["features"]) == 1
    response = client.get(reverse("geo:open_data_csv"))
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert len(rows) == 2 and rows[1][1].startswith("'=")
    for blob in (text, body):
        assert "geheim" not in blob and "interne notitie" not in blob and "Niet openbaar" not in blob
