"""An editor with rights on one project plans a session's venue in the admin: the warning
about emails, the address search (fake Locatieserver) and the map click. Tiles never load."""

import pytest
from playwright.sync_api import expect

from dialogues import services
from dialogues.models import DialogueSession
from tests.browser.conftest import admin_login, assert_accessible
from tests.dialogues.factories import DialogueRoundPageFactory, DialogueSessionFactory, registration_data
from tests.dialogues.test_permissions import editor_for
from tests.geo.conftest import geocoder  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db(transaction=True)




def test_editor_locates_the_venue_by_address_and_by_map(admin_page, geocoder):  # noqa: F811
    page = admin_page
    round_page = DialogueRoundPageFactory(title="Zorg in de buurt")
    session = DialogueSessionFactory(round=round_page, title="Avond in De Linde", address="")
    other = DialogueSessionFactory(title="Avond elders")
    for n in range(2):
        services.registration_create(session_id=session.pk, **registration_data(email=f"p{n}@example.org"))
    editor = editor_for(round_page.get_parent(), "hier")
    admin_login(page, editor)

    # The list: only this project's sessions, and a project filter.
    page.goto("/admin/dialogues/sessions/")
    assert page.get_by_text("Avond in De Linde").first.is_visible()
    assert page.get_by_text(other.title).count() == 0
    assert_accessible(page)

    page.goto(f"/admin/dialogues/sessions/edit/{session.pk}/")
    assert page.get_by_text("Als u de tijd of de plaats verandert, krijgen 2 aangemelde mensen een e-mail.").is_visible()
    lat, lon = page.locator("#id_latitude"), page.locator("#id_longitude")
    page.locator("#venue-map.leaflet-container").wait_for()
    assert lat.get_attribute("readonly") is not None and lon.get_attribute("readonly") is not None
    assert page.get_by_role("button", name="Inzoomen").is_visible()

    search = page.get_by_label("Zoek de plek op adres")
    search.fill("Plein Houten")
    search.press("Enter")  # searches; does not submit the form
    choice = page.get_by_role("button", name="Plein 1, 3991 AA Houten")
    choice.click()
    expect(lat).to_have_value("52.029120")
    expect(lon).to_have_value("5.168320")
    assert page.locator("#id_address").input_value() == "Plein 1, 3991 AA Houten"
    assert page.locator("#venue-map .leaflet-marker-icon").count() == 1
    assert "staat op de kaart" in page.locator("#venue-status").inner_text()
    assert_accessible(page)

    # A click elsewhere on the map moves the point. The map sits low on the form: scroll it into
    # view first (a click outside the viewport reaches nothing).
    page.locator("#venue-map").scroll_into_view_if_needed()
    box = page.locator("#venue-map").bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.2, box["y"] + box["height"] * 0.8)
    expect(lat).not_to_have_value("52.029120")
    clicked = (float(lat.input_value()), float(lon.input_value()))
    assert clicked[0] < 52.02912 and clicked[1] < 5.16832  # lower left of the old point

    page.get_by_role("button", name="Opslaan").first.click()
    page.wait_for_url("**/admin/dialogues/sessions/")
    session.refresh_from_db()
    assert (round(session.latitude, 6), round(session.longitude, 6)) == clicked
    assert session.address == "Plein 1, 3991 AA Houten"
    assert DialogueSession.objects.get(pk=other.pk).latitude is None
