"""Browser: the council view and the public participation report, on a phone, axe clean."""

from __future__ import annotations

from django.conf import settings as django_settings
from django.contrib.auth.models import Group
from django.test import Client

from projects.models import Decision
from projects.sources import Evaluation, Reach
from tests.browser.conftest import assert_accessible
from tests.projects.factories import ProjectPageFactory, UserFactory
from tests.projects.sources_fake import (  # noqa: F401 (fixtures)
    fake_source, initiative, only_fake_sources, outcome, session,
)


def _project(fake_source):
    project = ProjectPageFactory(title="Park Zuid", groups=["Ouders", "Ondernemers"],
                                 influence_can="De inrichting.", influence_cannot="Het budget.")
    fake_source.set(
        project,
        reach=Reach(participants=42, by_group={"Ouders": 12}, invited_by_group={"Ouders": 15}, by_area={"Zuid": 30}),
        activities=[session("Parkavond", start_days=-12, published_days=-10)],
        inputs=[outcome("Parkavond", days=-12, answer="Meer speelplekken.",
                        agreements=({"what": "Speelplan", "who": "Gemeente", "due": "maart", "status": "open", "status_label": "Loopt"},)),
                initiative("Pannakooi", status="overgenomen", status_label="Overgenomen", answer="Komt er.", answered_days=-2,
                           area="Zuid", themes=("Spelen",))],
        evaluation=Evaluation(responses=9, averages={"gehoord": 4.1}),
    )
    Decision.objects.create(project=project, title="Het park krijgt een speelplek", decided_on="2026-11-01",
                            reasoning="Op verzoek van ouders.", published=True)
    return project


def _login(page, live_server, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def test_council_view(page, live_server, fake_source):
    project = _project(fake_source)
    council = UserFactory(username="raadslid-browser")
    council.groups.add(Group.objects.get_or_create(name="Raadsleden")[0])
    _login(page, live_server, council)
    page.goto("/raad/")
    assert page.locator("h1").inner_text() == "Participatie voor de gemeenteraad"
    row = page.locator("li.council-project", has_text="Park Zuid")
    assert "42" in row.inner_text()
    assert_accessible(page)
    page.get_by_role("link", name="Verslag van Park Zuid").click()
    page.wait_for_url(f"**/projecten/{project.pk}/verslag/")
    assert "Het park krijgt een speelplek" in page.content()


def test_public_report_and_results_pages(page, live_server, fake_source):
    project = _project(fake_source)
    page.goto(f"/projecten/{project.pk}/verslag/")
    assert page.locator("h1").inner_text() == "Participatieverslag: Park Zuid"
    assert page.get_by_text("In totaal deden 42 mensen mee.").is_visible()
    assert_accessible(page)
    page.goto(f"/projecten/{project.pk}/resultaten/")
    assert page.get_by_role("heading", name="Het park krijgt een speelplek").is_visible()
    assert_accessible(page)


def test_resident_is_refused_the_council_view(page, live_server, fake_source):
    _login(page, live_server, UserFactory(username="bewoner-browser"))
    response = page.goto("/raad/")
    assert response.status == 403
