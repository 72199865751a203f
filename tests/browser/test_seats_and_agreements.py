"""On a 390 px phone: seats per way of taking part, the waiting-list notice before submitting,
and the agreements table on a round page (nothing cut off, reachable by keyboard)."""

import datetime

import pytest
from django.utils import timezone

from dialogues import services
from dialogues.models import Agreement, Registration, SessionOutcome
from tests.browser.conftest import assert_accessible
from tests.dialogues.factories import DialogueRoundPageFactory, DialogueSessionFactory, registration_data

pytestmark = pytest.mark.django_db(transaction=True)


def test_full_pool_is_announced_before_submitting(page):
    round_page = DialogueRoundPageFactory(title="Zorg in de buurt")
    session = DialogueSessionFactory(round=round_page, title="Hybride avond", capacity_onsite=1, capacity_online=7,
                                     online_url="https://meet.example.org/linde")
    services.registration_create(session_id=session.pk, **registration_data(email="a@example.org", attendance_mode="onsite"))

    page.goto("/")
    assert page.get_by_text("Op locatie: vol, wachtlijst").is_visible()
    assert page.get_by_text("Online: nog 7 plaatsen").is_visible()
    assert_accessible(page)

    page.goto(round_page.url)
    assert page.get_by_text("Op locatie: vol, wachtlijst").is_visible()
    page.get_by_role("link", name="Aanmelden voor Hybride avond").click()
    notice = page.locator("#attendance-mode-notice")
    assert notice.get_attribute("aria-live") == "polite"
    assert not notice.is_visible()  # empty until a full pool is chosen

    page.get_by_label("Uw naam").fill("Mila Visser")
    page.get_by_label("Uw e-mailadres").fill("mila@example.org")
    page.get_by_label("Bewoner").check()
    page.get_by_label("Op locatie (vol: u komt op de wachtlijst)").check()
    assert notice.is_visible()
    assert "Op locatie is vol. Kiest u dit, dan komt u op de wachtlijst." in notice.inner_text()
    assert_accessible(page)
    page.get_by_label("Online (nog 7 plaatsen)").check()
    assert notice.inner_text() == ""
    page.get_by_label("Op locatie (vol: u komt op de wachtlijst)").check()

    page.get_by_label("Ik geef toestemming").check()
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_load_state()
    assert Registration.objects.get(email="mila@example.org").status == "waitlisted"


def test_agreements_table_fits_a_phone_and_is_reachable_by_keyboard(page):
    round_page = DialogueRoundPageFactory(title="Groen in de wijk")
    start = timezone.now() - datetime.timedelta(days=3)
    session = DialogueSessionFactory(round=round_page, title="Avond in De Linde", starts_at=start,
                                     ends_at=start + datetime.timedelta(hours=2))
    outcome = SessionOutcome.objects.create(session=session, summary="Samen een buurttuin.", published_at=timezone.now())
    Agreement.objects.create(outcome=outcome, what="Een tuinplan maken met de bewoners van de Lindelaan en de school",
                             who="Gemeente, afdeling openbare ruimte", due_date=datetime.date(2026, 12, 21),
                             status="bezig", progress_note="Eerste schets besproken met de bewonerscommissie")
    Agreement.objects.create(outcome=outcome, what="Bankjes plaatsen", who="Woningcorporatie Lindewaard")

    page.goto(round_page.url)
    region = page.get_by_role("region", name="Afspraken van Avond in De Linde")
    region.scroll_into_view_if_needed()
    assert region.is_visible()
    viewport = page.viewport_size["width"]
    assert viewport == 390
    # Every cell, and the longest words in it, lies inside the phone's width: nothing cut off.
    for cell in region.locator("td").all():
        box = cell.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= viewport + 0.5, (cell.inner_text(), box)
    scroll = region.evaluate("el => [el.scrollWidth, el.clientWidth]")
    assert scroll[0] <= scroll[1]
    # The labels of the columns stay with each value on a phone.
    first_cell = region.locator("td").first
    assert page.evaluate("el => getComputedStyle(el, '::before').content", first_cell.element_handle()) == '"Wat: "'
    assert region.get_by_text("Gemeente, afdeling openbare ruimte").is_visible()
    assert region.get_by_text("Bezig").is_visible()

    # Keyboard: Tab reaches the region (it can be scrolled on wider screens) and it shows focus.
    page.locator("body").focus()
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('role')") == "region":
            break
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "Afspraken van Avond in De Linde"
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    assert_accessible(page)

    # On a wide screen the table is a table again, inside the same labelled region.
    page.set_viewport_size({"width": 1280, "height": 900})
    assert region.locator("thead").is_visible()
    assert_accessible(page)
