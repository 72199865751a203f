"""Dutch by default, English available: the interface follows the chosen language."""

import pytest

pytestmark = pytest.mark.django_db


def test_dutch_is_the_default(client, home_page):
    html = client.get("/").content.decode()
    assert '<html lang="nl">' in html
    assert "Direct naar de inhoud" in html
    assert "Lopende projecten" in html


def test_choosing_english_translates_the_interface(client, home_page):
    response = client.post("/taal/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert "Skip to content" in html
    assert "Current projects" in html
    assert "Lopende projecten" not in html


CATALOGUES = ["locale", "projects/locale", "dialogues/locale", "geo/locale", "concerns/locale"]


@pytest.mark.parametrize("catalogue", CATALOGUES)
def test_every_interface_string_has_an_english_translation(catalogue):
    """Each catalogue (the host's and one per plugin app) is complete: English readers meet no stray Dutch."""
    from pathlib import Path

    from babel.messages.pofile import read_po

    path = Path(__file__).resolve().parents[2] / catalogue / "en" / "LC_MESSAGES" / "django.po"
    with path.open("rb") as po:
        catalog = read_po(po)
    assert len([m for m in catalog if m.id]) > 10
    untranslated = [m.id for m in catalog if m.id and not (all(m.string) if isinstance(m.string, tuple) else m.string)]
    assert untranslated == []


def test_plugin_strings_come_from_the_plugin_catalogues():
    """A string only the apps use is translated although the host's catalogue no longer holds it."""
    from pathlib import Path

    from babel.messages.pofile import read_po
    from django.utils import translation

    with (Path(__file__).resolve().parents[2] / "locale" / "en" / "LC_MESSAGES" / "django.po").open("rb") as po:
        host = read_po(po)
    assert host.get("Binnenloper toegevoegd.") is None
    with translation.override("en"):
        assert translation.gettext("Binnenloper toegevoegd.") == "Walk-in added."
    with translation.override("nl"):
        assert translation.gettext("Binnenloper toegevoegd.") == "Binnenloper toegevoegd."


def test_an_english_browser_still_gets_dutch_until_english_is_chosen(client, home_page):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="nl">' in html
