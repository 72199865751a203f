"""On a 390 px phone: an initiative page with its map (Dutch controls, no image role holding
controls), placing an idea by wijk without JavaScript, dragging the pin with it, and the
submitter's own page while it waits for moderation; axe on every page."""

import pytest
from playwright.sync_api import expect

from geo import services
from geo.models import Initiative, Moderation
from tests.browser.conftest import assert_accessible
from tests.browser.test_geo import fill_basics, log_in, municipality  # noqa: F401 - fixture
from tests.geo.factories import AreaFactory, InitiativeFactory, ThemeFactory, square
from tests.geo.conftest import moderators_group
from tests.projects.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


def axe_ids(page):
    from axe_playwright_python.sync_playwright import Axe

    return {v["id"] for v in Axe().run(page).response["violations"]}


def test_initiative_page_map_speaks_dutch_and_has_no_nested_controls(page, live_server, municipality):  # noqa: F811
    initiative = InitiativeFactory(title="Bankje bij de speeltuin", theme=ThemeFactory(name="Groen"), lat=52.03, lon=5.17)
    page.goto(initiative.get_absolute_url())
    page.locator("#geo-point-map .leaflet-control-zoom-in").wait_for()
    container = page.locator("#geo-point-map")
    assert container.get_attribute("role") != "img"
    assert container.get_attribute("aria-label") == "Kaart met de plek van het initiatief"
    zoom_in, zoom_out = page.locator(".leaflet-control-zoom-in"), page.locator(".leaflet-control-zoom-out")
    assert zoom_in.get_attribute("title") == "Inzoomen" and zoom_in.get_attribute("aria-label") == "Inzoomen"
    assert zoom_out.get_attribute("title") == "Uitzoomen" and zoom_out.get_attribute("aria-label") == "Uitzoomen"
    attribution = page.locator(".leaflet-control-attribution")
    assert "Kadaster" in attribution.inner_text()
    assert page.locator(".leaflet-control-attribution a[title='Een programma voor kaarten op websites']").count() == 1
    assert "A JavaScript library" not in attribution.inner_html()
    # The zoom buttons work.
    zoom_in.click()
    assert "nested-interactive" not in axe_ids(page)
    assert_accessible(page)
    assert page.viewport_size == PHONE


def test_map_page_controls_are_dutch(page, live_server, municipality):  # noqa: F811
    InitiativeFactory(title="Bankje", theme=ThemeFactory(name="Groen"))
    data_requests = []
    page.on("request", lambda r: data_requests.append(r.url) if "/api/geo/initiatives/" in r.url else None)
    page.goto("/initiatief/kaart/")
    expect(page.locator("#geo-map .geo-initiative")).to_have_count(1)
    page.wait_for_timeout(500)  # a second request would come after the first view's moveend
    assert len(data_requests) == 1, data_requests  # the first view asks for its data once
    expect(page.locator("#geo-map .leaflet-control-zoom-in")).to_have_attribute("title", "Inzoomen")
    expect(page.locator("#geo-map .leaflet-control-zoom-out")).to_have_attribute("aria-label", "Uitzoomen")
    assert_accessible(page)


def accessible_without_scripts(browser, live_server, user, path):
    """axe needs JavaScript to run, so check the page as it is without the site's scripts:
    JavaScript on for axe only, every script file refused."""
    context = browser.new_context(base_url=live_server.url, locale="nl-NL", viewport=PHONE)
    context.route(lambda url: not url.startswith(live_server.url) or url.split("?")[0].endswith(".js"), lambda route: route.abort())
    page = context.new_page()
    page.set_default_timeout(15_000)
    log_in(page, live_server, user)
    page.goto(path)
    assert page.locator(".leaflet-container").count() == 0  # no map was built
    assert_accessible(page)
    context.close()


def test_without_javascript_the_idea_is_placed_by_choosing_a_wijk(browser, live_server, municipality):  # noqa: F811
    zuid = AreaFactory(code="WK999902", name="Houten-Zuid", geometry=square(5.14, 51.99, 5.20, 52.0299))
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url, locale="nl-NL", viewport=PHONE)
    context.route(lambda url: not url.startswith(live_server.url), lambda route: route.abort())
    page = context.new_page()
    page.set_default_timeout(15_000)
    resident = UserFactory()
    log_in(page, live_server, resident)
    page.goto("/initiatief/nieuw/")
    assert page.locator("#geo-picker-map").is_hidden()
    accessible_without_scripts(browser, live_server, resident, "/initiatief/nieuw/")
    fill_basics(page, "Meer bomen in Zuid")
    page.get_by_label("Of kies de wijk of buurt").select_option(label="Houten-Zuid (wijk)")
    page.get_by_role("button", name="Verstuur initiatief").click()
    page.wait_for_url("**/initiatief/kaart/")
    initiative = Initiative.objects.get(title="Meer bomen in Zuid")
    assert initiative.area == zuid and initiative.lat is not None
    assert 51.99 <= initiative.lat <= 52.0299 and 5.14 <= initiative.lon <= 5.20

    # The pending page for its submitter (the link of the receipt email), on the phone.
    page.goto(initiative.get_absolute_url())
    assert page.get_by_text("Wacht op controle").first.is_visible()
    assert page.get_by_role("button", name="Ik steun dit initiatief").count() == 0
    assert page.locator('meta[name="robots"]').get_attribute("content") == "noindex, nofollow"
    context.close()
    accessible_without_scripts(browser, live_server, resident, initiative.get_absolute_url())


def test_pin_can_be_dragged_and_a_wijk_replaces_it(page, live_server, municipality):  # noqa: F811
    log_in(page, live_server, UserFactory())
    page.goto("/initiatief/nieuw/")
    assert "U kunt de speld verslepen" not in page.content()
    assert "Daarna kunt u de speld verslepen" in page.locator("#picker-help").inner_text()
    fill_basics(page, "Bankje")
    page.locator("#geo-picker-map").click()  # scrolls it into view, then clicks its centre
    first = (page.locator("#id_lat").input_value(), page.locator("#id_lon").input_value())
    assert first[0]
    pin = page.locator(".geo-picked")
    pin.scroll_into_view_if_needed()
    pin_box = pin.bounding_box()
    x, y = pin_box["x"] + pin_box["width"] / 2, pin_box["y"] + pin_box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 30, y + 20, steps=8)
    page.mouse.up()
    expect(page.locator("#picker-status")).to_have_text("De speld is verplaatst. Deze plek sturen wij mee.")
    moved = (page.locator("#id_lat").input_value(), page.locator("#id_lon").input_value())
    assert moved != first and float(moved[0]) < float(first[0]) and float(moved[1]) > float(first[1])  # down and right
    assert_accessible(page)
    # A keyboard user's way, with JavaScript too: choosing a wijk replaces the clicked point.
    page.get_by_label("Of kies de wijk of buurt").select_option(label="Houten-Noord (wijk)")
    expect(page.locator("#id_lat")).to_have_value("")
    assert page.locator(".geo-picked").count() == 0
    page.get_by_role("button", name="Verstuur initiatief").click()
    page.wait_for_url("**/initiatief/kaart/")
    assert Initiative.objects.get(title="Bankje").area.name == "Houten-Noord"


def test_rejected_page_for_its_submitter_is_accessible(page, live_server, municipality):  # noqa: F811
    resident = UserFactory()
    moderator = UserFactory(username="moderator")
    moderator.groups.add(moderators_group())
    initiative = InitiativeFactory(title="Schuur in de tuin", moderation=Moderation.PENDING, submitter=resident)
    services.initiative_reject(initiative=initiative, moderator=moderator, reason="Dit gaat over een privétuin.")
    page.goto(initiative.get_absolute_url())
    assert "Schuur in de tuin" not in page.content()  # 404 for anyone else
    log_in(page, live_server, resident)
    page.goto(initiative.get_absolute_url())
    assert page.get_by_text("Dit gaat over een privétuin.").is_visible()
    assert_accessible(page)


def test_project_editor_moderates_own_project_from_the_filtered_queue(browser, live_server, municipality):  # noqa: F811
    from tests.geo.test_moderation import editor_for
    from tests.projects.factories import ProjectPageFactory

    school, park = ProjectPageFactory(title="Nieuwe school"), ProjectPageFactory(title="Stadspark")
    editor = editor_for(school, "school")
    submitter = UserFactory(username="indiener", email="indiener@example.org")
    mine = InitiativeFactory(title="Zebrapad bij de school", project=school, moderation=Moderation.PENDING, submitter=submitter)
    InitiativeFactory(title="Bankjes in het park", project=park, moderation=Moderation.PENDING, submitter=submitter)
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="nl-NL", base_url=live_server.url)
    context.route(lambda url: not url.startswith(live_server.url) and not url.startswith("data:"), lambda r: r.abort())
    page = context.new_page()
    page.set_default_timeout(20_000)
    log_in(page, live_server, editor)
    page.goto("/admin/initiatieven/")
    assert page.get_by_role("link", name="Zebrapad bij de school").is_visible()
    assert page.get_by_role("link", name="Bankjes in het park").count() == 0
    assert_accessible(page)
    page.get_by_label("Project").select_option(label="Nieuwe school")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url(f"**/admin/initiatieven/?*project={school.pk}*")
    page.get_by_role("link", name="Zebrapad bij de school").click()
    page.get_by_role("button", name="Publiceren").click()
    page.wait_for_url(f"**/admin/initiatieven/{mine.pk}/")
    # axe on the page itself, without Wagtail's fading-in "gepubliceerd" message.
    page.goto(f"/admin/initiatieven/{mine.pk}/")
    assert_accessible(page)
    assert page.locator("table.listing").filter(has_text="Gepubliceerd").count() == 1  # the log
    mine.refresh_from_db()
    assert mine.moderation == Moderation.PUBLISHED
    context.close()
