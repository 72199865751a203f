"""Accounts (django-allauth): sign-up with verification, login by password or emailed code,
password reset, Dutch pages and mails, rate limits, and staff reaching the Wagtail admin."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from projects.models import OutgoingMail
from tests.projects.factories import UserFactory

# Real commits: account mails are delivered by a job that runs after the transaction commits.
pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "geheim-wachtwoord-123"


def link_in(body: str) -> str:
    match = re.search(r"https?://testserver(/\S+)", body)
    assert match, body
    return match.group(1)


def code_in(body: str) -> str:
    # allauth's login codes look like "MJWM-DZLG", on a line of their own.
    match = re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", body, re.MULTILINE)
    assert match, body
    return match.group(1)


def is_logged_in(client) -> bool:
    return "_auth_user_id" in client.session


# --- pages --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url_name, heading",
    [
        ("account_login", "Inloggen"),
        ("account_signup", "Account maken"),
        ("account_request_login_code", "Inloggen met een code per e-mail"),
        ("account_reset_password", "Wachtwoord vergeten"),
        ("account_reset_password_done", "Kijk in uw e-mail"),
        ("account_email_verification_sent", "Bevestig uw e-mailadres"),
    ],
)
def test_account_pages_are_dutch_and_use_the_site_layout(client, site, url_name, heading):
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    html = response.content.decode()
    assert f"<h1>{heading}</h1>" in html
    assert 'class="skip-link"' in html  # our base.html, not allauth's bare layout
    assert "Sign In" not in html and "Sign Up" not in html


def test_login_page_offers_login_by_code(client, site):
    html = client.get(reverse("account_login")).content.decode()
    assert "Log in met een code per e-mail" in html
    assert f'href="{reverse("account_request_login_code")}"' in html
    assert f'href="{reverse("account_signup")}"' in html


def test_allauth_pages_we_did_not_rewrite_use_site_layout_and_elements(client, site):
    # Pages we leave to allauth (here: setting a password for an account without one) use
    # our layout and form elements through templates/allauth/.
    user = UserFactory()
    user.set_unusable_password()
    user.save()
    client.force_login(user)
    response = client.get(reverse("account_set_password"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="skip-link"' in html
    assert 'class="field field-required"' in html  # includes/form_field.html
    assert '<button class="button" name="action" type="submit">' in html  # elements/button.html


def test_change_password_keeps_dutch_errors_beside_fields(client, site):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("account_change_password"), {"oldpassword": "fout", "password1": "kort", "password2": "kort"}
    )
    html = response.content.decode()
    assert 'id="id_oldpassword_error"' in html and "Vul uw huidige wachtwoord in." in html
    assert 'id="id_password1_error"' in html
    assert "Dit wachtwoord is te kort. Gebruik minstens 10 tekens." in html  # Dutch, not Django's English
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": "een-nieuw-wachtwoord-9", "password2": "een-nieuw-wachtwoord-9"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("een-nieuw-wachtwoord-9")


def test_email_management_adds_an_address_with_verification(client, site):
    user = UserFactory(email="eerste@example.org")
    client.force_login(user)
    html = client.get(reverse("account_email")).content.decode()
    assert "Deze e-mailadressen horen bij uw account" in html
    assert "eerste@example.org" in html

    response = client.post(reverse("account_email"), {"action_add": "", "email": "geen-adres"})
    assert 'id="id_email_error"' in response.content.decode()
    assert 'value="geen-adres"' in response.content.decode()

    client.post(reverse("account_email"), {"action_add": "", "email": "tweede@example.org"})
    assert EmailAddress.objects.filter(user=user, email="tweede@example.org", verified=False).exists()
    assert [m.subject for m in mail.outbox] == ["Bevestig uw e-mailadres"]


# --- sign up ------------------------------------------------------------------------------


def test_signup_creates_unverified_address_and_sends_dutch_verification_mail(client, site):
    response = client.post(
        reverse("account_signup"), {"email": "nieuw@example.org", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    user = get_user_model().objects.get(email="nieuw@example.org")
    address = EmailAddress.objects.get(user=user)
    assert not address.verified
    assert not is_logged_in(client)

    # The mail went through the outbox (stored) and was delivered by the in-process job.
    stored = OutgoingMail.objects.get(to="nieuw@example.org")
    assert stored.status == OutgoingMail.Status.SENT
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["nieuw@example.org"]
    assert message.subject == "Bevestig uw e-mailadres"  # no "[site]" prefix
    assert "Klik op de link hieronder" in message.body

    # GET shows a confirm button (mail scanners follow links); POST confirms and logs in.
    confirm_url = link_in(message.body)
    page = client.get(confirm_url)
    assert page.status_code == 200
    assert "Ja, dit is mijn e-mailadres" in page.content.decode()
    address.refresh_from_db()
    assert not address.verified
    response = client.post(confirm_url)
    assert response.status_code == 302
    address.refresh_from_db()
    assert address.verified
    assert is_logged_in(client)


def test_unverified_account_cannot_log_in_by_password(client, site):
    UserFactory(email="halverwege@example.org", verified=False)
    response = client.post(reverse("account_login"), {"login": "halverwege@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert not is_logged_in(client)


def test_signup_bad_input_keeps_values_and_shows_dutch_errors_beside_fields(client, site):
    response = client.post(
        reverse("account_signup"), {"email": "geen-adres", "password1": PASSWORD, "password2": "iets-anders-123"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Niet alles is goed ingevuld" in html
    assert 'id="id_email_error"' in html
    assert 'id="id_password2_error"' in html
    assert "Voer een geldig e-mailadres in." in html
    assert 'value="geen-adres"' in html  # what was typed is kept
    assert not get_user_model().objects.filter(email="geen-adres").exists()


def test_signup_with_existing_address_creates_no_second_account(client, site):
    UserFactory(email="bekend@example.org")
    client.post(reverse("account_signup"), {"email": "bekend@example.org", "password1": PASSWORD, "password2": PASSWORD})
    assert get_user_model().objects.filter(email__iexact="bekend@example.org").count() == 1
    # Without telling the visitor (no account enumeration), the owner gets a Dutch mail.
    assert [m.subject for m in mail.outbox] == ["U heeft al een account"]


# --- log in -------------------------------------------------------------------------------


def test_login_by_password(client, site):
    UserFactory(email="bewoner@example.org")
    response = client.post(reverse("account_login"), {"login": "bewoner@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("projects:my_data")
    assert is_logged_in(client)


def test_wrong_password_keeps_email_and_shows_dutch_error(client, site):
    UserFactory(email="bewoner@example.org")
    response = client.post(reverse("account_login"), {"login": "bewoner@example.org", "password": "fout-wachtwoord"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Het e-mailadres of het wachtwoord klopt niet" in html
    assert 'value="bewoner@example.org"' in html
    assert not is_logged_in(client)


def test_login_form_missing_values_shows_errors_beside_fields(client, site):
    response = client.post(reverse("account_login"), {"login": "", "password": ""})
    html = response.content.decode()
    assert 'id="id_login_error"' in html and 'id="id_password_error"' in html
    assert "Dit is een verplicht veld." in html


def test_login_by_code_end_to_end(client, site):
    UserFactory(email="code@example.org")
    response = client.post(reverse("account_request_login_code"), {"email": "code@example.org"})
    assert response.status_code == 302
    assert response.url == reverse("account_confirm_login_code")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Uw code om in te loggen"
    assert "Dit is uw code" in message.body
    code = code_in(message.body)

    page = client.get(reverse("account_confirm_login_code"))
    assert "Vul de code in" in page.content.decode()
    assert "code@example.org" in page.content.decode()

    response = client.post(reverse("account_confirm_login_code"), {"code": code})
    assert response.status_code == 302
    assert response.url == reverse("projects:my_data")
    assert is_logged_in(client)


def test_wrong_login_code_shows_dutch_error(client, site):
    UserFactory(email="code@example.org")
    client.post(reverse("account_request_login_code"), {"email": "code@example.org"})
    response = client.post(reverse("account_confirm_login_code"), {"code": "AAAAAA"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_code_error"' in html
    assert "Deze code klopt niet" in html
    assert not is_logged_in(client)


def test_three_wrong_codes_end_the_attempt(client, site):
    UserFactory(email="code@example.org")
    client.post(reverse("account_request_login_code"), {"email": "code@example.org"})
    for _ in range(2):
        assert client.post(reverse("account_confirm_login_code"), {"code": "AAAA-AAAA"}).status_code == 200
    response = client.post(reverse("account_confirm_login_code"), {"code": "AAAA-AAAA"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("account_request_login_code")
    assert "U heeft het te vaak geprobeerd" in response.content.decode()
    # The code from the mail no longer works either.
    client.post(reverse("account_confirm_login_code"), {"code": code_in(mail.outbox[0].body)})
    assert not is_logged_in(client)


def test_new_login_code_on_request(client, site):
    UserFactory(email="code@example.org")
    client.post(reverse("account_request_login_code"), {"email": "code@example.org"})
    page = client.get(reverse("account_confirm_login_code")).content.decode()
    assert "Stuur mij een nieuwe code" in page
    client.post(reverse("account_confirm_login_code"), {"action": "resend"})
    assert len(mail.outbox) == 2
    response = client.post(reverse("account_confirm_login_code"), {"code": code_in(mail.outbox[-1].body)})
    assert response.status_code == 302
    assert is_logged_in(client)


def test_login_code_for_unknown_address_sends_unknown_account_mail(client, site):
    response = client.post(reverse("account_request_login_code"), {"email": "onbekend@example.org"})
    # Same answer as for a known address: nobody can find out who has an account.
    assert response.status_code == 302
    assert [m.subject for m in mail.outbox] == ["Wij kennen dit e-mailadres niet"]
    assert "/account/signup/" in mail.outbox[0].body
    # It says which address was tried (someone with two addresses knows which one to use), in
    # the plugin's frame: greeting, one signature, and an HTML part like the other emails.
    body = mail.outbox[0].body
    assert "met dit e-mailadres:\n\nonbekend@example.org\n" in body
    assert body.startswith("Beste bewoner,") and body.count("Met vriendelijke groet,") == 1
    html = dict((mimetype, content) for content, mimetype in mail.outbox[0].alternatives)["text/html"]
    assert "<strong>onbekend@example.org</strong>" in html and 'lang="nl"' in html


# --- password reset -------------------------------------------------------------------------


def test_password_reset_by_mail(client, site):
    user = UserFactory(email="vergeten@example.org")
    response = client.post(reverse("account_reset_password"), {"email": "vergeten@example.org"})
    assert response.status_code == 302
    assert response.url == reverse("account_reset_password_done")
    message = mail.outbox[0]
    assert message.subject == "Kies een nieuw wachtwoord"
    reset_url = link_in(message.body)

    response = client.get(reset_url, follow=True)  # allauth moves the key into the session
    assert "Nieuw wachtwoord kiezen" in response.content.decode()
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else reset_url
    new = "nieuw-wachtwoord-456"
    response = client.post(form_url, {"password1": new, "password2": new})
    assert response.status_code == 302
    assert response.url == reverse("account_reset_password_from_key_done")
    user.refresh_from_db()
    assert user.check_password(new)


def test_password_reset_with_bad_link_is_friendly(client, site):
    response = client.get(reverse("account_reset_password_from_key", args=["x", "nonsense"]))
    assert response.status_code == 200
    assert "Deze link werkt niet meer" in response.content.decode()


def test_logout_by_post(client, site):
    client.force_login(UserFactory())
    assert "Wilt u uitloggen?" in client.get(reverse("account_logout")).content.decode()
    client.post(reverse("account_logout"))
    assert not is_logged_in(client)


# --- rate limits --------------------------------------------------------------------------


@pytest.fixture
def rate_limits(settings):
    settings.ACCOUNT_RATE_LIMITS = {"login": "6/m/ip", "login_failed": "3/5m/key"}
    cache.clear()
    yield
    cache.clear()


def test_repeated_failed_logins_are_blocked_with_friendly_dutch_pages(client, site, rate_limits):
    UserFactory(email="doelwit@example.org")
    wrong = {"login": "doelwit@example.org", "password": "raden-raden"}
    for _ in range(3):
        response = client.post(reverse("account_login"), wrong)
        assert "Het e-mailadres of het wachtwoord klopt niet" in response.content.decode()

    # The address is now locked, even with the right password: a Dutch error beside the form.
    response = client.post(reverse("account_login"), {"login": "doelwit@example.org", "password": PASSWORD})
    assert response.status_code == 200
    assert "U heeft het te vaak geprobeerd" in response.content.decode()
    assert not is_logged_in(client)

    # More attempts from the same address hit the per-IP limit: a styled 429 page, not a 500.
    statuses = [client.post(reverse("account_login"), wrong).status_code for _ in range(3)]
    assert statuses[-1] == 429
    response = client.post(reverse("account_login"), wrong)
    assert response.status_code == 429
    html = response.content.decode()
    assert "Even wachten" in html
    assert 'class="skip-link"' in html


def test_rate_limit_on_login_codes_per_address(site, settings):
    settings.ACCOUNT_RATE_LIMITS = {"request_login_code": "2/m/key"}
    cache.clear()
    UserFactory(email="code@example.org")
    # Each request from a fresh session: someone flooding one resident's inbox.
    for _ in range(2):
        assert Client().post(reverse("account_request_login_code"), {"email": "code@example.org"}).status_code == 302
    response = Client().post(reverse("account_request_login_code"), {"email": "Code@Example.org"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "U heeft het te vaak geprobeerd" in html
    assert 'value="Code@Example.org"' in html
    assert len(mail.outbox) == 2
    cache.clear()


def test_rate_limit_on_signup_gives_friendly_429(client, site, settings):
    settings.ACCOUNT_RATE_LIMITS = {"signup": "2/h/ip"}
    cache.clear()
    for i in range(2):
        data = {"email": f"spam{i}@example.org", "password1": PASSWORD, "password2": PASSWORD}
        assert client.post(reverse("account_signup"), data).status_code == 302
    data = {"email": "spam9@example.org", "password1": PASSWORD, "password2": PASSWORD}
    response = client.post(reverse("account_signup"), data)
    assert response.status_code == 429
    assert "Even wachten" in response.content.decode()
    assert not get_user_model().objects.filter(email="spam9@example.org").exists()
    cache.clear()


# --- staff reach the Wagtail admin with the same account --------------------------------------


def test_staff_logs_in_to_wagtail_admin_with_same_account(client, site):
    editor = UserFactory(email="redacteur@example.org", is_staff=False)
    editor.user_permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    response = client.post(reverse("wagtailadmin_login"), {"username": editor.username, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("wagtailadmin_home")).status_code == 200


def test_staff_can_use_email_on_wagtail_login(client, site):
    editor = UserFactory(email="redacteur@example.org")
    editor.user_permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    client.post(reverse("wagtailadmin_login"), {"username": "redacteur@example.org", "password": PASSWORD})
    assert client.get(reverse("wagtailadmin_home")).status_code == 200


def test_resident_without_admin_access_is_kept_out_of_admin(client, site):
    client.force_login(UserFactory())
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 302
    assert reverse("wagtailadmin_login") in response.url


def test_staff_reset_password_through_allauth_not_wagtail(client, site):
    # Wagtail's own reset would send mail around the outbox; the allauth one goes through it.
    assert client.get("/admin/password_reset/").status_code == 404
    editor = UserFactory(email="redacteur@example.org", is_staff=True)
    client.post(reverse("account_reset_password"), {"email": "redacteur@example.org"})
    assert OutgoingMail.objects.filter(to=editor.email, subject="Kies een nieuw wachtwoord").exists()
