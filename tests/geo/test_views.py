import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from geo.models import Initiative, InitiativeMapPage, Moderation, Report, Support
from geo import services
from tests.geo.factories import AreaFactory, InitiativeFactory, ThemeFactory, image_bytes, square
from tests.projects.factories import ProjectPageFactory, UserFactory

pytestmark = pytest.mark.django_db
CREATE = "/initiatief/nieuw/"


def form_data(theme, **extra):
    data = {"title": "Bankje bij de speeltuin", "description": "Graag een bankje. Zie https://example.org/plan", "theme": theme.pk,
            "address": "", "lat": "52.03", "lon": "5.17", "keep_informed": "on"}
    data.update(extra)
    return data


# --- the map and the list -----------------------------------------------------------------

def test_map_page_lists_published_with_filters(client, houten):
    green, traffic = ThemeFactory(name="Groen"), ThemeFactory(name="Verkeer")
    InitiativeFactory(title="Meer bomen", theme=green)
    InitiativeFactory(title="Drempel", theme=traffic)
    InitiativeFactory(title="Geheim plan", moderation=Moderation.PENDING)
    response = client.get(reverse("geo:map"))
    html = response.content.decode()
    assert "Meer bomen" in html and "Drempel" in html and "Geheim plan" not in html
    assert 'id="geo-map-config"' in html and "leaflet/leaflet.js" in html
    response = client.get(reverse("geo:map"), {"theme": green.pk})
    assert "Meer bomen" in response.content.decode() and "Drempel" not in response.content.decode()
    response = client.get(reverse("geo:map"), {"theme": "999"})
    assert response.status_code == 200 and "bestaat niet" in response.content.decode()


def test_list_uses_constant_number_of_queries(client, houten, django_assert_num_queries):
    area = AreaFactory()
    for i in range(3):
        InitiativeFactory(area=area, theme=ThemeFactory(name=f"T{i}"))
    client.get(reverse("geo:map"))  # warm caches (site settings, content types)
    with django_assert_num_queries(7) as ctx:  # the site settings take their footer pages along
        client.get(reverse("geo:map"))
    for i in range(30):
        InitiativeFactory(area=area, theme=ThemeFactory(name=f"U{i}"))
    with django_assert_num_queries(len(ctx.captured_queries)):
        response = client.get(reverse("geo:map"), {"pagina": 2})
    assert "Pagina 2 van 2" in response.content.decode()


def test_map_page_type_serves_the_map(client, home_page):
    page = InitiativeMapPage(title="Ideeën op de kaart", slug="kaart", intro="Kijk wat bewoners willen.")
    home_page.add_child(instance=page)
    page.save_revision().publish()
    InitiativeFactory(title="Meer bomen")
    response = client.get(page.url)
    assert response.status_code == 200
    assert "Kijk wat bewoners willen." in response.content.decode() and "Meer bomen" in response.content.decode()


def test_project_map_and_section(client, houten):
    project = ProjectPageFactory(area=square(5.16, 52.02, 5.18, 52.04))
    InitiativeFactory(title="Voor het project", project=project)
    InitiativeFactory(title="Ergens anders")
    html = client.get(reverse("geo:project_map", args=[project.pk])).content.decode()
    assert "Voor het project" in html and "Ergens anders" not in html
    html = client.get(project.url).content.decode()
    assert f"/initiatief/nieuw/?project={project.pk}" in html and "Voor het project" in html


def test_home_page_section(client, home_page):
    InitiativeFactory(title="Meer bomen")
    html = client.get("/").content.decode()
    assert "Initiatieven op de kaart" in html and "Meer bomen" in html


# --- the detail page ----------------------------------------------------------------------

def test_detail_escapes_and_urlizes(client, houten):
    initiative = InitiativeFactory(description="<script>alert(1)</script> zie https://example.org/plan")
    html = client.get(initiative.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    assert '<a href="https://example.org/plan"' in html


def test_detail_hides_unpublished_and_personal_data(client, houten):
    user = UserFactory(username="indiener", email="indiener@example.org")
    assert client.get(InitiativeFactory(moderation=Moderation.PENDING).get_absolute_url()).status_code == 404
    assert client.get(InitiativeFactory(moderation=Moderation.REJECTED).get_absolute_url()).status_code == 404
    html = client.get(InitiativeFactory(submitter=user).get_absolute_url()).content.decode()
    assert "indiener@example.org" not in html and "indiener" not in html


def test_detail_shows_answer_and_history_with_constant_queries(client, houten, moderator, django_assert_num_queries):
    initiative = InitiativeFactory()
    services.initiative_set_status(initiative=initiative, to_status="in_behandeling", answer="Wij kijken ernaar.", by=moderator)
    client.get(initiative.get_absolute_url())
    with django_assert_num_queries(7) as ctx:  # the site settings take their footer pages along; one for the reaction thread
        client.get(initiative.get_absolute_url())
    services.initiative_set_status(initiative=initiative, to_status="overgenomen", answer="Het bankje komt er.", by=moderator)
    with django_assert_num_queries(len(ctx.captured_queries)):
        html = client.get(initiative.get_absolute_url()).content.decode()
    assert "Wij kijken ernaar." in html and "Het bankje komt er." in html and "Overgenomen" in html


# --- submitting ---------------------------------------------------------------------------

def test_anonymous_gets_friendly_login_page(client, houten):
    response = client.get(CREATE)
    assert response.status_code == 200
    assert "Eerst inloggen" in response.content.decode() and "/account/login/?next=" in response.content.decode()


def test_unverified_user_is_asked_to_confirm_email(client, houten):
    client.force_login(UserFactory(verified=False))
    response = client.post(CREATE, form_data(ThemeFactory()))
    assert response.status_code == 403 and "bevestigd" in response.content.decode()
    assert not Initiative.objects.exists()


def test_submit_with_map_point(client, houten, resident):
    AreaFactory(name="Houten-Noord")
    client.force_login(resident)
    response = client.post(CREATE, form_data(ThemeFactory()))
    assert response.status_code == 302
    initiative = Initiative.objects.get()
    assert (initiative.lat, initiative.lon, initiative.area.name) == (52.03, 5.17, "Houten-Noord")
    assert initiative.submitter == resident and initiative.keep_informed and initiative.moderation == Moderation.PENDING


def test_submit_without_js_geocodes_the_address(client, houten, resident, geocoder):
    client.force_login(resident)
    response = client.post(CREATE, form_data(ThemeFactory(), lat="", lon="", address="Plein Houten"))
    assert response.status_code == 302
    initiative = Initiative.objects.get()
    assert (initiative.lat, initiative.lon) == (52.02912, 5.16832) and initiative.address == "Plein 1, 3991 AA Houten"


@pytest.mark.parametrize("mode, address, message", [
    ("ok", "Dam Amsterdam", "buiten de gemeente"),
    ("ok", "Nergensstraat", "vinden dit adres niet"),
    ("garbage", "Plein Houten", "onbruikbaar antwoord"),
    ("error", "Plein Houten", "werkt nu niet"),
])
def test_submit_address_problems_show_beside_field_and_keep_values(client, houten, resident, geocoder, mode, address, message):
    geocoder.mode = mode
    client.force_login(resident)
    response = client.post(CREATE, form_data(ThemeFactory(), lat="", lon="", address=address, title="Mijn titel"))
    html = response.content.decode()
    assert response.status_code == 400
    assert message in html and 'id="id_address_error"' in html
    assert 'value="Mijn titel"' in html and f'value="{address}"' in html
    assert not Initiative.objects.exists()


def test_submit_point_outside_project_area(client, houten, resident):
    project = ProjectPageFactory(area=square(5.16, 52.02, 5.18, 52.04))
    client.force_login(resident)
    response = client.post(f"{CREATE}?project={project.pk}", form_data(ThemeFactory(), lat="52.05", lon="5.22"))
    assert response.status_code == 400 and "projectgebied" in response.content.decode()
    response = client.post(f"{CREATE}?project={project.pk}", form_data(ThemeFactory(name="Ander"), lat="52.03", lon="5.17"))
    assert response.status_code == 302 and Initiative.objects.get().project == project


def test_submit_needs_a_place_or_no_location(client, houten, resident):
    client.force_login(resident)
    response = client.post(CREATE, form_data(ThemeFactory(), lat="", lon=""))
    assert response.status_code == 400 and "Klik op de kaart" in response.content.decode()
    response = client.post(CREATE, form_data(ThemeFactory(name="Ander"), lat="", lon="", no_location="on"))
    assert response.status_code == 302 and Initiative.objects.get().no_location


def test_submit_missing_and_too_long_fields(client, houten, resident):
    client.force_login(resident)
    response = client.post(CREATE, form_data(ThemeFactory(), title="", description="x" * 6000))
    html = response.content.decode()
    assert response.status_code == 400 and 'id="id_title_error"' in html and 'id="id_description_error"' in html


def test_submit_photos_are_cleaned_and_bad_ones_refused(client, houten, resident):
    client.force_login(resident)
    theme = ThemeFactory()
    bad = SimpleUploadedFile("virus.jpg", b"MZ not an image", content_type="image/jpeg")
    response = client.post(CREATE, {**form_data(theme), "photos": [bad]})
    html = response.content.decode()
    assert response.status_code == 400 and "geen JPEG-, PNG- of WebP-foto" in html and "kies uw foto" in html.lower()
    good = SimpleUploadedFile("foto.jpg", image_bytes(exif_gps=True), content_type="image/jpeg")
    response = client.post(CREATE, {**form_data(theme), "photos": [good]})
    assert response.status_code == 302
    photo = Initiative.objects.get().photos.get()
    data = photo.image.read()
    assert b"CameraMaker" not in data and b"Exif" not in data
    too_many = [SimpleUploadedFile(f"f{i}.jpg", image_bytes(), content_type="image/jpeg") for i in range(4)]
    response = client.post(CREATE, {**form_data(theme), "photos": too_many})
    assert response.status_code == 400 and "hoogstens 3" in response.content.decode()


def test_submit_rate_limit(client, houten, resident, settings):
    settings.PARTICIPATIE = {**settings.PARTICIPATIE, "GEO_RATE_LIMITS": {"submit": (2, 3600)}}
    client.force_login(resident)
    theme = ThemeFactory()
    assert [client.post(CREATE, form_data(theme)).status_code for _ in range(3)] == [302, 302, 400]
    assert Initiative.objects.count() == 2


# --- support and report -------------------------------------------------------------------

def test_support_and_withdraw(client, houten, resident):
    initiative = InitiativeFactory()
    support_url = reverse("geo:support", args=[initiative.pk])
    assert client.get(support_url).status_code == 405
    assert "Eerst inloggen" in client.post(support_url).content.decode()
    client.force_login(resident)
    client.post(support_url, {"keep_informed": "1"})
    client.post(support_url)
    initiative.refresh_from_db()
    assert initiative.support_count == 1 and Support.objects.get().keep_informed
    assert "Steun intrekken" in client.get(initiative.get_absolute_url()).content.decode()
    client.post(reverse("geo:unsupport", args=[initiative.pk]))
    initiative.refresh_from_db()
    assert initiative.support_count == 0


def test_support_rate_limit(client, houten, resident, settings):
    settings.PARTICIPATIE = {**settings.PARTICIPATIE, "GEO_RATE_LIMITS": {"support": (2, 600)}}
    initiative = InitiativeFactory()
    client.force_login(resident)
    client.post(reverse("geo:support", args=[initiative.pk]))
    client.post(reverse("geo:unsupport", args=[initiative.pk]))
    response = client.post(reverse("geo:support", args=[initiative.pk]), follow=True)
    assert "heel vaak geklikt" in response.content.decode()
    initiative.refresh_from_db()
    assert initiative.support_count == 0


def test_report(client, houten, resident, settings):
    initiative = InitiativeFactory()
    url = reverse("geo:report", args=[initiative.pk])
    client.force_login(resident)
    response = client.post(url, {"reason": ""})
    assert response.status_code == 400 and 'id="id_reason_error"' in response.content.decode()
    assert client.post(url, {"reason": "Er staat een telefoonnummer in."}).status_code == 302
    assert Report.objects.get().reporter == resident
    settings.PARTICIPATIE = {**settings.PARTICIPATIE, "GEO_RATE_LIMITS": {"report": (1, 3600)}}
    response = client.post(url, {"reason": "Nog een keer"})
    assert response.status_code == 400 and "veel meldingen" in response.content.decode()
