"""Residents sign up, verify their address by the emailed link, and log in by an emailed code,
on a phone-sized screen; every page they meet is checked with axe."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from tests.browser.conftest import assert_accessible
from tests.projects.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


WRONG_LOGIN_CODE = "ABCD-EFGH"  # well-formed, but never the emailed code


def last_mail_to(address: str):
    messages = [m for m in mail.outbox if address in m.to]
    assert messages, f"no mail to {address}"
    return messages[-1]


def test_sign_up_and_verify_by_emailed_link(page, live_server, site):
    page.goto("/account/login/")
    assert_accessible(page)
    page.get_by_role("link", name="Maak een account aan").click()
    page.wait_for_url("**/account/signup/")
    assert_accessible(page)

    # Bad input first: errors beside the fields, what was typed is kept.
    page.get_by_label("E-mail").fill("nieuw@example.org")
    page.get_by_label("Wachtwoord", exact=True).fill("een-goed-wachtwoord-1")
    page.get_by_label("Wachtwoord (bevestigen)").fill("iets-anders-2")
    page.get_by_role("button", name="Account maken").click()
    assert page.locator("#id_password2_error").is_visible()
    assert page.get_by_label("E-mail").input_value() == "nieuw@example.org"
    assert_accessible(page)

    page.get_by_label("Wachtwoord", exact=True).fill("een-goed-wachtwoord-1")
    page.get_by_label("Wachtwoord (bevestigen)").fill("een-goed-wachtwoord-1")
    page.get_by_role("button", name="Account maken").click()
    page.wait_for_url("**/account/confirm-email/")
    assert page.get_by_role("heading", level=1).inner_text() == "Bevestig uw e-mailadres"
    assert_accessible(page)

    message = last_mail_to("nieuw@example.org")
    assert message.subject == "Bevestig uw e-mailadres"
    link = re.search(r"https?://\S+/account/confirm-email/\S+", message.body).group(0)
    path = re.sub(r"^https?://[^/]+", "", link)
    page.goto(path)
    assert_accessible(page)
    page.get_by_role("button", name="Ja, dit is mijn e-mailadres").click()
    page.wait_for_url("**/mijn/")
    assert page.get_by_role("heading", level=1).inner_text() == "Mijn gegevens"
    assert page.get_by_text("nieuw@example.org").first.is_visible()
    assert_accessible(page)


def test_login_by_emailed_code(page, live_server, site):
    UserFactory(email="code@example.org")
    page.goto("/account/login/")
    page.get_by_role("link", name="Log in met een code per e-mail").click()
    page.wait_for_url("**/account/login/code/")
    assert_accessible(page)
    page.get_by_label("E-mail").fill("code@example.org")
    page.get_by_role("button", name="Stuur mij een code").click()
    page.wait_for_url("**/account/login/code/confirm/")
    assert_accessible(page)

    # A wrong code first (not the one we were sent): a Dutch error beside the field.
    page.get_by_label("Code").fill(WRONG_LOGIN_CODE)
    page.get_by_role("button", name="Inloggen").click()
    assert page.locator("#id_code_error").is_visible()
    assert_accessible(page)

    message = last_mail_to("code@example.org")
    assert message.subject == "Uw code om in te loggen"
    code = re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", message.body, re.MULTILINE).group(1)
    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/mijn/")
    assert page.get_by_role("heading", level=1).inner_text() == "Mijn gegevens"
    assert_accessible(page)


def test_my_data_delete_flow(page, live_server, site):
    UserFactory(email="weg@example.org")
    page.goto("/account/login/")
    page.get_by_label("E-mail").fill("weg@example.org")
    page.get_by_label("Wachtwoord", exact=True).fill("geheim-wachtwoord-123")
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/mijn/")
    page.get_by_role("link", name="Account verwijderen").click()
    page.wait_for_url("**/mijn/account-verwijderen/")
    assert_accessible(page)
    page.get_by_label(re.compile("Typ het woord")).fill("verwijderen")
    page.get_by_role("button", name="Ja, verwijder mijn account").click()
    page.wait_for_url(live_server.url + "/")
    assert page.get_by_text("Uw account en uw gegevens zijn verwijderd.").is_visible()
    assert page.get_by_role("link", name="Inloggen").is_visible()


def test_account_management_pages_are_accessible(page, live_server, site):
    UserFactory(email="beheer@example.org")
    page.goto("/account/login/")
    page.get_by_label("E-mail").fill("beheer@example.org")
    page.get_by_label("Wachtwoord", exact=True).fill("geheim-wachtwoord-123")
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/mijn/")
    assert_accessible(page)
    for link in ("E-mailadres wijzigen", "Wachtwoord wijzigen"):
        page.goto("/mijn/")
        page.get_by_role("link", name=link).click()
        page.wait_for_load_state()
        assert page.locator("link[href$='home/css/site.css']").count() == 1  # the site's layout
        assert_accessible(page)
