"""An editor with rights on one project handles registrations in the admin, in a real browser:
register someone on their behalf, move a waiting person up by hand, cancel a registration."""

import pytest
from playwright.sync_api import expect

from dialogues import services
from dialogues.models import DialogueSession, Registration, RegistrationStatus as S
from projects.models import OutgoingMail
from tests.browser.conftest import assert_accessible
from tests.dialogues.factories import DialogueSessionFactory, registration_data
from tests.dialogues.test_permissions import editor_for

pytestmark = pytest.mark.django_db(transaction=True)



def test_editor_registers_on_behalf_promotes_by_hand_and_cancels(admin_page):
    page = admin_page
    session = DialogueSessionFactory(title="Avond in De Linde", capacity_onsite=1)
    services.registration_create(session_id=session.pk, **registration_data(name="Zit Persoon", email="zit@example.org"))
    services.registration_create(session_id=session.pk, **registration_data(name="Wacht Persoon", email="wacht@example.org"))
    editor = editor_for(session.round.get_parent(), "browser")

    page.goto("/admin/login/")
    page.fill("input[name=username]", editor.username)
    page.fill("input[name=password]", "geheim-wachtwoord-123")
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/")
    page.goto(f"/admin/dialogen/sessie/{session.pk}/")
    expect(page.get_by_text("kan vanaf").first).to_be_visible()  # no check-in buttons a week ahead
    assert_accessible(page)

    # A phone call: no email address, so no mail; the pool is full, so the waiting list.
    page.get_by_role("link", name="Iemand aanmelden").click()
    expect(page.get_by_text("Zonder e-mailadres krijgt de persoon geen bevestiging")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Naam", exact=True).fill("Henk Telefoon")
    page.get_by_label("Telefoonnummer").fill("030 123 45 67")
    page.get_by_role("button", name="Aanmelden").click()
    expect(page.get_by_text("Vraag de persoon om toestemming").first).to_be_visible()  # required, beside the field
    page.get_by_label("Toestemming gegeven aan medewerker").check()
    page.get_by_role("button", name="Aanmelden").click()
    expect(page.get_by_text("Henk Telefoon staat op de wachtlijst. De persoon krijgt geen e-mail.")).to_be_visible()

    # Staff choose who moves up; the pool is full, and the page says a seat is added.
    page.get_by_role("link", name="Wacht Persoon naar een plaats").click()
    expect(page.get_by_text("Er komt een extra plaats bij: op locatie 2 in plaats van 1.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Plaats erbij en aanmelden").click()
    expect(page.get_by_text("Wacht Persoon heeft nu een plaats.")).to_be_visible()

    # Cancel with the mail (checked by default); the freed seat goes to the first waiting: Henk.
    page.get_by_role("link", name="Aanmelding van Zit Persoon afzeggen").click()
    expect(page.get_by_label("Stuur de persoon een e-mail")).to_be_checked()
    assert_accessible(page)
    page.get_by_role("button", name="Afzeggen").click()
    expect(page.get_by_text("De aanmelding is afgezegd. De persoon krijgt een e-mail.")).to_be_visible()
    assert_accessible(page)

    session = DialogueSession.objects.get(pk=session.pk)
    statuses = dict(Registration.objects.values_list("name", "status"))
    assert statuses == {"Zit Persoon": S.CANCELLED, "Wacht Persoon": S.CONFIRMED, "Henk Telefoon": S.CONFIRMED}
    assert (session.capacity_onsite, session.seats_taken_onsite) == (2, 2)
    assert OutgoingMail.objects.filter(to="zit@example.org", subject__startswith="Uw aanmelding is afgezegd").exists()
    assert OutgoingMail.objects.filter(to="wacht@example.org", subject__startswith="Er is een plaats vrij").exists()
