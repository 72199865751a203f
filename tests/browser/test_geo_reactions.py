"""Reactions on an initiative on a phone: react, reply and report, with JavaScript and without;
the count in the map popup; a moderator hides a reported reaction in the admin. axe on each."""

import pytest
from playwright.sync_api import expect

from geo import reaction_services
from geo.models import Reaction, ReactionReport
from tests.browser.conftest import admin_login, assert_accessible
from tests.browser.test_geo import log_in
from tests.geo.conftest import moderators_group
from tests.geo.factories import InitiativeFactory, ThemeFactory
from tests.projects.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def initiative(_site):
    from home.models import SiteSettings

    s = SiteSettings.for_site(_site)
    s.map_center_lat, s.map_center_lon, s.map_zoom = 52.03, 5.17, 13
    s.map_bounds_min_lon, s.map_bounds_min_lat, s.map_bounds_max_lon, s.map_bounds_max_lat = 5.10, 51.99, 5.24, 52.06
    s.save()
    submitter = UserFactory(username="indiener")
    return InitiativeFactory(title="Bankje bij de speeltuin", theme=ThemeFactory(name="Groen"), submitter=submitter, keep_informed=True)


def _react_and_reply(page, initiative, *, axe: bool = True):
    page.goto(initiative.get_absolute_url())
    page.get_by_label("Uw reactie").fill("Goed idee, ik zit daar graag.")
    page.get_by_role("button", name="Plaats reactie").click()
    expect(page.locator(".geo-reaction-body").first).to_contain_text("Goed idee, ik zit daar graag.")
    expect(page.locator("#reacties")).to_contain_text("(1)")

    top = Reaction.objects.get()
    page.locator("details.geo-reply summary").first.click()
    page.get_by_label("Uw antwoord").fill("")
    page.get_by_role("button", name="Plaats antwoord").click()
    # No text: the error sits next to the reply box, which stays open.
    expect(page.locator(f"#id_antwoord-{top.pk}-body_error")).to_contain_text("Schrijf uw reactie.")
    if axe:  # axe runs as a script: only where the page allows JavaScript
        assert_accessible(page)
    page.get_by_label("Uw antwoord").fill("En ik neem een kussen mee.")
    page.get_by_role("button", name="Plaats antwoord").click()
    expect(page.locator(".geo-replies .geo-reaction-body")).to_contain_text("En ik neem een kussen mee.")
    assert Reaction.objects.get(body="En ik neem een kussen mee.").parent_id == top.pk


def test_resident_reacts_replies_and_reports_on_a_phone(page, live_server, initiative):
    other = UserFactory(username="buurman")
    reaction_services.reaction_create(initiative=initiative, author=other, body="Te duur, volgens mij.")
    page.goto(initiative.get_absolute_url())
    expect(page.get_by_role("link", name="Inloggen om te reageren")).to_be_visible()
    assert_accessible(page)

    log_in(page, live_server, UserFactory(username="bewoner"))
    page.goto(initiative.get_absolute_url())
    page.get_by_role("button", name="Melden als ongepast").click()
    expect(page.get_by_text("Bedankt voor uw melding.")).to_be_visible()
    expect(page.get_by_text("U heeft deze reactie gemeld.")).to_be_visible()
    assert ReactionReport.objects.count() == 1

    page.get_by_label("Uw reactie").fill("Goed idee, ik zit daar graag.")
    page.get_by_role("button", name="Plaats reactie").click()
    expect(page.get_by_text("Bedankt! Uw reactie staat bij het initiatief.")).to_be_visible()
    expect(page.locator("#reacties")).to_contain_text("(2)")
    assert_accessible(page)

    # The map popup tells how many reactions there are.
    page.goto("/initiatief/kaart/")
    page.locator(".geo-initiative").first.click()
    expect(page.locator(".leaflet-popup-content")).to_contain_text("2 reacties")


def test_reacting_and_replying_without_javascript(browser, live_server, initiative):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844}, base_url=live_server.url, locale="nl-NL")
    context.route(lambda url: not url.startswith(live_server.url), lambda route: route.abort())
    page = context.new_page()
    log_in(page, live_server, UserFactory(username="bewoner"))
    _react_and_reply(page, initiative, axe=False)
    context.close()


def test_reacting_and_replying_with_javascript_on_a_phone_is_accessible(page, live_server, initiative):
    log_in(page, live_server, UserFactory(username="bewoner"))
    _react_and_reply(page, initiative)


def test_moderator_hides_a_reported_reaction(admin_page, live_server, initiative):
    moderator = UserFactory(username="moderator")
    moderator.groups.add(moderators_group())
    reaction = reaction_services.reaction_create(initiative=initiative, author=UserFactory(username="buurman"), body="Bel me op 06-12345678")
    reaction_services.reaction_report(reaction=reaction, reporter=UserFactory(username="bewoner"))
    admin_login(admin_page, moderator)
    admin_page.goto("/admin/initiatieven/")
    admin_page.get_by_role("link", name="Gemelde reacties: 1").click()
    expect(admin_page.get_by_text("Bel me op 06-12345678")).to_be_visible()
    assert_accessible(admin_page)
    admin_page.get_by_label("Reden (iedereen ziet deze bij de reactie)").fill("Er stond een telefoonnummer in.")
    admin_page.get_by_role("button", name="Verbergen").click()
    expect(admin_page.get_by_text("De reactie is verborgen.")).to_be_visible()
    admin_page.goto(initiative.get_absolute_url())
    expect(admin_page.get_by_text("Deze reactie is verborgen door de moderator: Er stond een telefoonnummer in.")).to_be_visible()
    assert "06-12345678" not in admin_page.content()
