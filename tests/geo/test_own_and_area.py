"""The submitter sees their own initiative before it is public (and nobody else does); a place
chosen as a wijk or buurt when there is no map and no address search."""

import pytest
from django.urls import reverse
from shapely.geometry import Point, shape

from geo import services
from geo.models import Initiative, Moderation
from tests.geo.factories import AreaFactory, InitiativeFactory, ThemeFactory, square
from tests.projects.factories import ProjectPageFactory, UserFactory

pytestmark = pytest.mark.django_db
CREATE = "/initiatief/nieuw/"


# --- the submitter's own initiative while it waits ------------------------------------------

@pytest.fixture
def pending(houten, resident):
    return InitiativeFactory(title="Bankje bij de vijver", moderation=Moderation.PENDING, submitter=resident)


@pytest.mark.parametrize("role", ["anonymous", "other_resident", "moderator"])
def test_pending_initiative_is_404_for_everyone_but_its_submitter(client, pending, moderator, role):
    user = {"anonymous": None, "other_resident": UserFactory(username="buurman"), "moderator": moderator}[role]
    if user:
        client.force_login(user)
    assert client.get(pending.get_absolute_url()).status_code == 404


def test_submitter_sees_pending_initiative_marked_and_not_supportable(client, pending, resident):
    client.force_login(resident)
    response = client.get(pending.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Bankje bij de vijver" in html and "Wacht op controle" in html
    assert "Tot die tijd ziet alleen u deze pagina." in html
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in response["Cache-Control"]
    assert "Ik steun dit initiatief" not in html and f"/initiatief/{pending.pk}/melden/" not in html
    # Posting anyway changes nothing: support is for public initiatives only.
    assert client.post(f"/initiatief/{pending.pk}/steunen/").status_code == 404
    pending.refresh_from_db()
    assert pending.support_count == 0


def test_submitter_sees_rejected_initiative_with_the_reason(client, pending, resident, moderator):
    services.initiative_reject(initiative=pending, moderator=moderator, reason="Dit gaat over een privétuin.")
    client.force_login(resident)
    html = client.get(pending.get_absolute_url()).content.decode()
    assert "Afgewezen" in html and "Dit gaat over een privétuin." in html


def test_published_page_stays_indexable(client, pending, resident, moderator):
    services.initiative_publish(initiative=pending, moderator=moderator)
    response = client.get(pending.get_absolute_url())
    assert response.status_code == 200 and "X-Robots-Tag" not in response
    assert "noindex" not in response.content.decode() and "Wacht op controle" not in response.content.decode()


def test_my_data_links_to_each_own_initiative_with_its_state(client, pending, resident):
    rejected = InitiativeFactory(title="Afgewezen plan", moderation=Moderation.REJECTED, submitter=resident)
    public = InitiativeFactory(title="Openbaar plan", submitter=resident)
    client.force_login(resident)
    html = client.get(reverse("projects:my_data")).content.decode()
    for initiative, state in ((pending, "Wacht op controle"), (rejected, "Afgewezen"), (public, "Ingediend")):
        assert f'<a href="/initiatief/{initiative.pk}/">{initiative.title}</a>' in html
        assert state in html


# --- a place by wijk or buurt -----------------------------------------------------------------

def form_data(theme, **extra):
    data = {"title": "Meer bomen", "description": "Graag meer bomen in de straat.", "theme": theme.pk, "address": "", "lat": "", "lon": ""}
    data.update(extra)
    return data


def test_area_point_lies_inside_even_a_u_shaped_area():
    u_shape = {"type": "Polygon", "coordinates": [[
        [5.10, 52.00], [5.20, 52.00], [5.20, 52.05], [5.18, 52.05], [5.18, 52.01], [5.12, 52.01], [5.12, 52.05], [5.10, 52.05], [5.10, 52.00],
    ]]}
    area = AreaFactory(code="WK000199", name="Hoefijzer", geometry=u_shape)
    lat, lon = services.area_point(area=area)
    assert shape(u_shape).contains(Point(lon, lat))
    assert not shape(square(5.12, 52.01, 5.18, 52.05)).contains(Point(lon, lat))  # the centroid would lie in the gap


def test_area_point_stays_inside_the_project_area(houten):
    area = AreaFactory(code="WK000101", name="Noord", geometry=square(5.14, 52.03, 5.20, 52.06))
    project = ProjectPageFactory(area=square(5.18, 52.04, 5.22, 52.05))
    lat, lon = services.area_point(area=area, project=project)
    assert 5.18 <= lon <= 5.20 and 52.04 <= lat <= 52.05
    elsewhere = AreaFactory(code="WK000102", name="Zuid", geometry=square(5.14, 51.99, 5.16, 52.00))
    with pytest.raises(Exception) as exc:
        services.area_point(area=elsewhere, project=project)
    assert "Zuid ligt niet in het gebied van het project" in str(exc.value)


def test_without_javascript_a_resident_places_the_idea_by_choosing_a_wijk(client, houten, resident):
    noord = AreaFactory(code="WK000101", name="Houten-Noord", geometry=square(5.14, 52.03, 5.20, 52.06))
    AreaFactory(code="WK000102", name="Houten-Zuid", geometry=square(5.14, 51.99, 5.20, 52.0299))
    client.force_login(resident)
    html = client.get(CREATE).content.decode()
    assert "Of kies de wijk of buurt" in html and "Houten-Noord (wijk)" in html
    response = client.post(CREATE, form_data(ThemeFactory(name="Groen"), place_area=noord.pk))
    assert response.status_code == 302, response.content.decode()
    initiative = Initiative.objects.get()
    assert initiative.area == noord and not initiative.no_location
    assert shape(noord.geometry).contains(Point(initiative.lon, initiative.lat))


def test_address_search_down_says_to_choose_a_wijk_and_keeps_the_input(client, houten, resident, geocoder):
    AreaFactory(code="WK000101", name="Houten-Noord", geometry=square(5.14, 52.03, 5.20, 52.06))
    geocoder.mode = "error"
    client.force_login(resident)
    theme = ThemeFactory(name="Groen")
    response = client.post(CREATE, form_data(theme, address="Plein 1, Houten"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Het zoeken op adres werkt nu niet. Kies hieronder de wijk of buurt" in html
    assert "klik op de kaart" not in html.lower().split('id="id_address_error"')[1].split("</p>")[0]
    assert 'value="Plein 1, Houten"' in html and not Initiative.objects.exists()


def test_address_search_down_with_a_wijk_chosen_still_submits(client, houten, resident, geocoder):
    noord = AreaFactory(code="WK000101", name="Houten-Noord", geometry=square(5.14, 52.03, 5.20, 52.06))
    geocoder.mode = "error"
    client.force_login(resident)
    response = client.post(CREATE, form_data(ThemeFactory(name="Groen"), address="Bij de vijver", place_area=noord.pk))
    assert response.status_code == 302
    initiative = Initiative.objects.get()
    assert initiative.area == noord and initiative.address == "Bij de vijver"


def test_a_clicked_point_wins_over_a_chosen_wijk(client, houten, resident):
    noord = AreaFactory(code="WK000101", name="Houten-Noord", geometry=square(5.14, 52.03, 5.20, 52.06))
    zuid = AreaFactory(code="WK000102", name="Houten-Zuid", geometry=square(5.14, 51.99, 5.20, 52.0299))
    client.force_login(resident)
    client.post(CREATE, form_data(ThemeFactory(name="Groen"), lat="52.01", lon="5.17", place_area=noord.pk))
    initiative = Initiative.objects.get()
    assert (initiative.lat, initiative.lon, initiative.area) == (52.01, 5.17, zuid)


def test_nothing_chosen_names_every_way(client, houten, resident):
    AreaFactory(code="WK000101", name="Houten-Noord", geometry=square(5.14, 52.03, 5.20, 52.06))
    client.force_login(resident)
    html = client.post(CREATE, form_data(ThemeFactory(name="Groen"))).content.decode()
    assert "Typ een adres, kies een wijk of buurt, of kies" in html


def test_a_wijk_outside_the_project_is_refused_beside_the_field(client, houten, resident):
    project = ProjectPageFactory(area=square(5.18, 52.04, 5.22, 52.05))
    zuid = AreaFactory(code="WK000102", name="Houten-Zuid", geometry=square(5.14, 51.99, 5.16, 52.00))
    client.force_login(resident)
    response = client.post(f"{CREATE}?project={project.pk}", form_data(ThemeFactory(name="Groen"), place_area=zuid.pk))
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_place_area_error"' in html and "Houten-Zuid ligt niet in het gebied van het project" in html


def test_unknown_wijk_is_a_friendly_error(client, houten, resident):
    AreaFactory(code="WK000101", name="Houten-Noord", geometry=square(5.14, 52.03, 5.20, 52.06))
    client.force_login(resident)
    response = client.post(CREATE, form_data(ThemeFactory(name="Groen"), place_area="99999"))
    assert response.status_code == 400 and "Deze wijk of buurt bestaat niet (meer)" in response.content.decode()


def test_without_areas_the_choice_is_not_offered(client, houten, resident):
    client.force_login(resident)
    html = client.get(CREATE).content.decode()
    assert "Of kies de wijk of buurt" not in html
