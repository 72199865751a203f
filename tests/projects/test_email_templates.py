"""Every email the plugin can send, rendered: one form of address ("u", never "je"), one signature
with the municipality's name from the site settings, dates in words, plain text without HTML
escapes. Found by walking the plugin's templates, so a new email is checked without being listed
here (it must extend projects/email/_base.* or account/email/base_message.txt to pass)."""

from __future__ import annotations

import datetime
import re
import zoneinfo
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.template.loader import get_template, render_to_string

import dialogues
import geo
import projects
from tests.projects.test_dates import MACHINE_DATE, visible_text

pytestmark = pytest.mark.django_db

MUNICIPALITY = "Gemeente Lindewaard"
SIGNATURE = re.compile(r"Met vriendelijke groet,\s*(<br>)?\s*" + re.escape(MUNICIPALITY))
INFORMAL = re.compile(r"\b(je|jij|jou|jouw|jullie|hebt)\b", re.IGNORECASE)
START = datetime.datetime(2026, 12, 21, 19, 30, tzinfo=zoneinfo.ZoneInfo("Europe/Amsterdam"))


def plugin_email_templates() -> list[str]:
    """Template names of every email (body and subject) in the plugin's apps; partials ("_*") are
    checked through the emails that use them."""
    names = []
    for app in (projects, dialogues, geo):
        root = Path(app.__file__).parent / "templates"
        for path in sorted(root.rglob("*")):
            if path.is_file() and path.parent.name == "email" and not path.name.startswith("_"):
                names.append(path.relative_to(root).as_posix())
    return names


def allauth_email_templates() -> list[str]:
    """Every account email allauth can send (its own template names), resolved through the
    template loaders, so an allauth mail we did not translate shows up here."""
    import allauth

    root = Path(allauth.__file__).parent / "templates"
    return sorted(p.relative_to(root).as_posix() for p in (root / "account" / "email").glob("*.txt")
                  if not p.name.startswith("base_"))


ALL_TEMPLATES = plugin_email_templates() + allauth_email_templates()


@pytest.fixture
def municipality(site):
    from home.models import SiteSettings

    settings_obj = SiteSettings.for_site(site)
    settings_obj.municipality_name = MUNICIPALITY
    settings_obj.save()


def context() -> dict:
    """One context that fills every email: plain objects with the attributes the templates read."""
    session = SimpleNamespace(title="Avond over het park", starts_at=START, ends_at=START + datetime.timedelta(hours=2),
                              venue="Buurthuis De Linde", address="Lindelaan 1", online_url="https://meet.example.org/park")
    registration = SimpleNamespace(name="Fatima el Amrani", is_active=True, holds_seat=True, attendance_mode="onsite",
                                   status="confirmed")
    initiative = SimpleNamespace(title='Bankje "bij" de school & speeltuin')
    change = SimpleNamespace(get_to_status_display="In behandeling", answer="Wij kijken ernaar & komen erop terug.")
    project = SimpleNamespace(title="Park & plein")
    update = SimpleNamespace(title="Nieuws over het park", intro="De bomen komen.")
    return {
        "session": session, "round": SimpleNamespace(title="Gesprekken over het park"), "registration": registration,
        "round_url": "https://example.org/ronde/", "cancel_url": "https://example.org/afmelden/x/",
        "confirm_url": "https://example.org/bevestigen/x/", "evaluate_url": "https://example.org/evaluatie/x/",
        "hold_expires_at": START - datetime.timedelta(days=2), "position": 3, "message": "Neem een jas mee.",
        "body": "Wij beginnen een kwartier later.", "subject": "Later beginnen",
        "initiative": initiative, "change": change, "url": "https://example.org/initiatief/1/", "published": True,
        "reason": "Het gaat over één persoon.", "project": project, "update": update,
        "update_url": "https://example.org/nieuws/", "unsubscribe_url": "https://example.org/stoppen/x/",
        "results_url": "https://example.org/resultaten/", "warnings": ["De uitkomst moet vóór 1 januari 2027 online."],
        "admin_url": "https://example.org/admin/", "email": "onbekend@example.org", "code": "ABCD-EFGH",
        "signup_url": "https://example.org/account/signup/", "password_reset_url": "https://example.org/reset/x/",
        "activate_url": "https://example.org/bevestig/x/", "from_email": "oud@example.org", "to_email": "nieuw@example.org",
        "deleted_email": "weg@example.org",
    }


def test_the_walk_finds_the_emails():
    assert "dialogues/email/registration_confirmed.txt" in ALL_TEMPLATES
    assert "geo/email/status_changed.txt" in ALL_TEMPLATES
    assert "projects/email/update.html" in ALL_TEMPLATES
    assert "account/email/unknown_account_message.txt" in ALL_TEMPLATES
    assert len(ALL_TEMPLATES) > 50


@pytest.mark.parametrize("name", ALL_TEMPLATES)
def test_email_template_speaks_u_and_writes_dates_in_words(name, municipality):
    rendered = render_to_string(name, context())
    text = visible_text(rendered) if name.endswith(".html") else rendered
    assert not INFORMAL.findall(text), (name, INFORMAL.findall(text))
    assert not MACHINE_DATE.findall(text), name
    assert "Fatima" in text or "Beste" in text or name.endswith("_subject.txt"), name


@pytest.mark.parametrize("name", [n for n in ALL_TEMPLATES if not n.endswith("_subject.txt")])
def test_email_body_is_signed_once_by_the_municipality(name, municipality):
    rendered = render_to_string(name, context())
    assert len(SIGNATURE.findall(rendered)) == 1, (name, rendered)
    assert rendered.count("Met vriendelijke groet") == 1, name
    assert "De gemeente\n" not in rendered, name  # the old anonymous signature


@pytest.mark.parametrize("name", [n for n in ALL_TEMPLATES if n.endswith(".txt")])
def test_plain_text_email_is_not_html_escaped(name, municipality):
    rendered = render_to_string(name, context())
    assert not re.search(r"&(quot|amp|lt|gt|#x?[0-9a-f]+);", rendered, re.IGNORECASE), (name, rendered)


def test_account_emails_come_from_the_plugin_not_from_allauth():
    import allauth

    allauth_root = str(Path(allauth.__file__).parent)
    for name in allauth_email_templates():
        origin = get_template(name).origin.name
        assert not origin.startswith(allauth_root), f"{name} is allauth's own (English/informal Dutch): add it to projects/templates/account/email/"


def test_signature_without_a_name_in_the_settings_still_signs(site):
    from home.models import SiteSettings

    settings_obj = SiteSettings.for_site(site)
    settings_obj.municipality_name = ""
    settings_obj.save()
    rendered = render_to_string("geo/email/initiative_received.txt", context())
    assert "Met vriendelijke groet," in rendered and rendered.count("Met vriendelijke groet") == 1
