"""Submit an initiative by clicking the map and by address search, moderate it, find it on
the map and in the list; axe on the map and the form."""

import pytest
from django.test import Client
from playwright.sync_api import expect

from geo import services
from geo.models import Initiative, Moderation
from tests.browser.conftest import assert_accessible
from tests.geo.conftest import FakeLocatieserver
from tests.geo.factories import AreaFactory, ThemeFactory
from tests.geo.conftest import moderators_group
from tests.projects.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def fake_geocoder(settings):
    with FakeLocatieserver() as fake:
        # The live server runs in this process, so it reads these settings too.
        settings.PARTICIPATIE = {**settings.PARTICIPATIE, "GEOCODER_URL": fake.url, "GEOCODER_TIMEOUT": 1.0}
        yield fake


@pytest.fixture
def municipality(_site):
    from home.models import SiteSettings

    s = SiteSettings.for_site(_site)
    s.municipality_name = "Gemeente Lindewaard"
    s.map_center_lat, s.map_center_lon, s.map_zoom = 52.028, 5.168, 13
    s.map_bounds_min_lon, s.map_bounds_min_lat, s.map_bounds_max_lon, s.map_bounds_max_lat = 5.10, 51.99, 5.24, 52.06
    s.save()
    AreaFactory(code="WK999901", name="Houten-Noord")
    ThemeFactory(name="Groen")
    return _site


def log_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])


def fill_basics(page, title):
    page.get_by_label("Titel").fill(title)
    page.get_by_label("Beschrijving").fill("Een bankje bij de speeltuin, zodat ouders kunnen zitten.")
    page.get_by_label("Thema").select_option(label="Groen")


def test_submit_by_map_and_address_then_moderate_and_find(page, live_server, municipality, fake_geocoder):
    resident = UserFactory()
    moderator = UserFactory(username="moderator")
    moderator.groups.add(moderators_group())
    log_in(page, live_server, resident)

    # 1. By clicking the map (tiles are blocked; the map still receives clicks).
    page.goto("/initiatief/nieuw/")
    assert_accessible(page)
    fill_basics(page, "Bankje bij de speeltuin")
    page.locator("#geo-picker-map").click()
    assert page.locator("#id_lat").input_value() != ""
    assert page.locator(".geo-picked").count() == 1
    page.get_by_role("button", name="Verstuur initiatief").click()
    page.wait_for_url("**/initiatief/kaart/")
    assert "Wij kijken eerst naar uw initiatief" in page.content()

    # 2. By address search through our endpoint and the (fake) Locatieserver.
    page.goto("/initiatief/nieuw/")
    fill_basics(page, "Bloemen op het plein")
    page.get_by_label("Adres of plek").fill("Plein Houten")
    page.get_by_role("button", name="Zoek dit adres op de kaart").click()
    page.get_by_role("button", name="Plein 1, 3991 AA Houten").click()
    expect(page.locator("#id_lat")).to_have_value("52.029120")  # filled when the lookup answers
    expect(page.locator("#id_lon")).to_have_value("5.168320")
    page.get_by_role("button", name="Verstuur initiatief").click()
    page.wait_for_url("**/initiatief/kaart/")

    by_address = Initiative.objects.get(title="Bloemen op het plein")
    assert (round(by_address.lat, 5), round(by_address.lon, 5)) == (52.02912, 5.16832)
    assert by_address.area.name == "Houten-Noord"
    assert Initiative.objects.filter(moderation=Moderation.PENDING).count() == 2

    # 3. Moderate: both go public.
    for initiative in Initiative.objects.all():
        services.initiative_publish(initiative=initiative, moderator=moderator)

    # 4. On the map (a cluster or marker element) and in the list.
    page.goto("/initiatief/kaart/")
    page.locator(".geo-cluster, .geo-initiative").first.wait_for()
    list_ = page.locator(".geo-list")
    assert list_.get_by_role("link", name="Bankje bij de speeltuin").is_visible()
    assert list_.get_by_role("link", name="Bloemen op het plein").is_visible()
    assert_accessible(page)
    clusters = page.locator(".geo-cluster span").all_inner_texts()
    markers = page.locator(".geo-initiative").count()
    assert sum(int(n) for n in clusters) + markers == 2


def test_form_without_javascript_shows_errors_accessibly(browser, live_server, municipality, fake_geocoder):
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url, locale="nl-NL")
    page = context.new_page()
    log_in(page, live_server, UserFactory())
    page.goto("/initiatief/nieuw/")
    assert page.locator("#geo-picker-map").is_hidden()
    fill_basics(page, "Drempel")
    page.get_by_label("Adres of plek").fill("Dam Amsterdam")
    page.get_by_role("button", name="Verstuur initiatief").click()
    assert "buiten de gemeente" in page.locator("#id_address_error").inner_text()
    assert page.get_by_label("Titel").input_value() == "Drempel"
    context.close()
