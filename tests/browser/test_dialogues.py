import re

import pytest
from django.core import mail

from dialogues import services
from dialogues.models import Registration
from tests.browser.conftest import assert_accessible
from tests.dialogues.factories import DialogueRoundPageFactory, DialogueSessionFactory, registration_data

pytestmark = pytest.mark.django_db(transaction=True)


def link_in(message, kind):
    return re.search(rf"http://[^/\s]+(/dialoog/{kind}/[^/\s]+/)", message.body).group(1)


def test_register_confirm_cancel_and_the_next_person_is_promoted(page, live_server):
    round_page = DialogueRoundPageFactory(title="Zorg in de buurt")
    session = DialogueSessionFactory(round=round_page, title="Avond in De Linde", capacity_onsite=1, latitude=52.0365, longitude=5.1522)

    page.goto(round_page.url)
    assert page.get_by_role("heading", level=1).inner_text() == "Zorg in de buurt"
    assert_accessible(page)
    page.get_by_role("link", name="Aanmelden voor Avond in De Linde").click()
    assert_accessible(page)

    # A mistake first: the form keeps what was typed and says what is wrong.
    page.get_by_label("Uw naam").fill("Mila Visser")
    page.get_by_label("Uw e-mailadres").fill("mila@")
    page.get_by_role("button", name="Aanmelden").click()
    assert page.get_by_label("Uw naam").input_value() == "Mila Visser"
    assert page.get_by_text("Vul een geldig e-mailadres in").first.is_visible()
    assert_accessible(page)

    page.get_by_label("Uw e-mailadres").fill("mila@example.org")
    page.get_by_label("Bewoner").check()
    page.get_by_label("Ik geef toestemming").check()
    page.get_by_role("button", name="Aanmelden").click()
    assert page.get_by_text("We houden een plaats voor u vrij").is_visible()

    # Someone else joins the waiting list.
    services.registration_create(session_id=session.pk, **registration_data(email="wachtend@example.org"))

    confirm = next(m for m in mail.outbox if m.to == ["mila@example.org"])
    page.goto(link_in(confirm, "bevestigen"))
    page.get_by_role("button", name="Ja, ik kom").click()
    assert page.get_by_text("Er is een plaats voor u").is_visible()

    confirmation = [m for m in mail.outbox if m.to == ["mila@example.org"]][-1]
    page.goto(link_in(confirmation, "afmelden"))
    page.get_by_role("button", name="Afmelden").click()
    assert page.get_by_text("U bent afgemeld").first.is_visible()

    assert Registration.objects.get(email="wachtend@example.org").status == "confirmed"
    promoted = [m for m in mail.outbox if m.to == ["wachtend@example.org"]]
    assert any("plaats vrij" in m.subject for m in promoted)
