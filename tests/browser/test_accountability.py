"""Browser: "Wat is er afgesproken en wat is ervan gekomen" on a phone, and an editor updating
an agreement from the admin list; axe clean on every page visited."""

from __future__ import annotations

import datetime

from django.conf import settings as django_settings
from django.test import Client

from dialogues.models import Agreement
from projects.sources import CommitmentStatus
from tests.browser.conftest import assert_accessible
from tests.projects.commitment_data import adopted_initiative, days, editor_for, outcome_with_agreements
from tests.projects.factories import ProjectPageFactory


def _world():
    project = ProjectPageFactory(title="Groen Lindewaard")
    outcome_with_agreements(project, [
        {"what": "Bankjes plaatsen in het park", "who": "Gemeente, team Buitenruimte", "due_date": datetime.date(2026, 12, 21),
         "status": CommitmentStatus.IN_PROGRESS, "progress_note": "Offerte aangevraagd"},
        {"what": "Speeltuin opknappen met nieuwe toestellen voor jonge kinderen", "who": "Woningcorporatie Lindewaard Wonen",
         "due_date": days(-5)},
    ])
    adopted_initiative(project, title="Boom bij de bushalte", responsible="Gemeente, team Groen", due_date=days(40))
    return project


def _login(context, live_server, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def test_public_accountability_on_a_phone(page, live_server):
    project = _world()
    page.goto(f"/projecten/{project.pk}/resultaten/")
    page.get_by_role("link", name="Wat is er afgesproken en wat is ervan gekomen").click()
    page.wait_for_url(f"**/projecten/{project.pk}/verantwoording/")
    assert page.locator("h1").inner_text() == "Wat is er afgesproken en wat is ervan gekomen?"
    late = page.locator("li.commitment", has_text="Speeltuin opknappen")
    assert "Te laat" in late.inner_text()
    assert "21 december 2026" in page.locator("li.commitment", has_text="Bankjes plaatsen").inner_text()
    # Nothing cut off or scrolling sideways on a 390 px phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(page)

    page.get_by_label("Alleen wat te laat is").check()
    page.get_by_role("button", name="Toon").click()
    page.wait_for_url("**te_laat=1**")
    assert page.locator("li.commitment").count() == 1
    assert_accessible(page)

    page.goto("/verantwoording/")
    page.get_by_label("Soort").select_option(label="Overgenomen initiatief")
    page.get_by_role("button", name="Toon").click()
    page.wait_for_url("**soort=initiative**")
    assert page.locator("li.commitment").all_inner_texts()[0].startswith("Boom bij de bushalte")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(page)


def test_editor_updates_an_agreement_from_the_admin_list(browser, live_server):
    project = _world()
    editor = editor_for(project, "browser")
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL", base_url=live_server.url)
    context.route(lambda url: not url.startswith(live_server.url) and not url.startswith("data:"), lambda route: route.abort())
    try:
        _login(context, live_server, editor)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto("/admin/")
        page.get_by_role("link", name="Afspraken en uitvoering").click()
        page.wait_for_url("**/admin/participatie/afspraken/")
        assert_accessible(page)
        row = page.locator("tr.commitment", has_text="Speeltuin opknappen")
        assert "Te laat" in row.inner_text()
        row.get_by_label("Status van Speeltuin opknappen", exact=False).select_option("gedaan")
        row.get_by_label("Voortgang van Speeltuin opknappen", exact=False).fill("Nieuwe toestellen staan er")
        row.get_by_role("button", name="Opslaan").click()
        page.wait_for_load_state()
        assert "is bijgewerkt: Gedaan" in page.content()
        row = page.locator("tr.commitment", has_text="Speeltuin opknappen")
        assert "Te laat" not in row.inner_text()
        assert_accessible(page)
        agreement = Agreement.objects.get(what__startswith="Speeltuin")
        assert (agreement.status, agreement.progress_note) == ("gedaan", "Nieuwe toestellen staan er")
    finally:
        context.close()
