"""Query counts of the public pages (issue 12 item 2): a page asks the database the same number
of times with one phase, session, news item or initiative as with many, and stays under a
ceiling, so a section that starts querying per row (or a repeated lookup) fails here."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from geo import services as geo_services
from projects.models import ProjectPhase
from tests.dialogues.factories import DialogueRoundPageFactory, DialogueSessionFactory
from tests.geo.factories import InitiativeFactory, ThemeFactory
from tests.projects.factories import ProjectPageFactory, ProjectUpdatePageFactory, UserFactory, phase

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


def queries_for(client, url: str) -> tuple[int, str, list[str]]:
    client.get(url)  # warm what is cached across requests (content types, site root paths)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode(), [q["sql"] for q in ctx.captured_queries]


def add_phases(project, count: int) -> None:
    start = ProjectPhase.objects.filter(project=project).count()
    for i in range(start, start + count):
        ProjectPhase.objects.create(project=project, sort_order=i, kind="dialoog", title=f"Fase {i}",
                                    start_date=TODAY + datetime.timedelta(days=30 * i), end_date=TODAY + datetime.timedelta(days=30 * i + 20))


def a_project(title: str = "Nieuwbouw Molenzoom", **kwargs):
    return ProjectPageFactory(title=title, groups=["Bewoner"], phases=[
        phase("informeren", "Kennismaken", TODAY - datetime.timedelta(days=10), TODAY + datetime.timedelta(days=10)),
    ], **kwargs)


def test_project_page_asks_the_same_with_one_or_many_phases_sessions_news_and_initiatives(client, site):
    project = a_project()
    round_page = DialogueRoundPageFactory(parent=project, title="Ronde 1", slug="ronde-1")
    DialogueSessionFactory(round=round_page, title="Bijeenkomst A")
    ProjectUpdatePageFactory(parent=project, title="Nieuws A", slug="nieuws-a")
    theme = ThemeFactory(name="Groen")
    InitiativeFactory(project=project, theme=theme, title="Idee A")
    few, html, _ = queries_for(client, project.url)
    assert "Bijeenkomst A" in html and "Nieuws A" in html

    add_phases(project, 5)
    for i in range(6):
        other_round = DialogueRoundPageFactory(parent=project, title=f"Ronde extra {i}", slug=f"ronde-extra-{i}")
        DialogueSessionFactory(round=other_round, title=f"Extra sessie {i}")
        DialogueSessionFactory(round=round_page, title=f"Nog een sessie {i}")
        ProjectUpdatePageFactory(parent=project, title=f"Extra nieuws {i}", slug=f"extra-nieuws-{i}")
        InitiativeFactory(project=project, theme=ThemeFactory(name=f"Thema {i}"), title=f"Extra idee {i}")
    many, html, sql = queries_for(client, project.url)
    assert "Fase 5" in html and "Extra sessie 5" in html and "Ronde extra 5" in html and "Extra nieuws 4" in html
    assert many == few, "\n".join(sql)
    assert many <= 21, "\n".join(sql)  # was 27 (issue 12); +3 for the Top-3 section in "Doe mee"


def test_project_page_checks_view_restrictions_in_its_queries_not_once_per_section(client, site):
    """Wagtail's public() costs a query per call; the sections use one subquery instead."""
    project = a_project()
    round_page = DialogueRoundPageFactory(parent=project)
    DialogueSessionFactory(round=round_page)
    ProjectUpdatePageFactory(parent=project)
    _, _, sql = queries_for(client, project.url)
    standalone = [q for q in sql if q.lstrip().startswith('SELECT "wagtailcore_pageviewrestriction"')]
    assert len(standalone) == 1, standalone  # Wagtail's own check before serving the page


def test_home_page_asks_the_same_with_one_or_many_projects_sessions_and_initiatives(client, site):
    project = a_project("Project Een", slug="project-een")
    DialogueSessionFactory(round=DialogueRoundPageFactory(parent=project), title="Bijeenkomst A")
    InitiativeFactory(theme=ThemeFactory(name="Groen"))
    few, html, _ = queries_for(client, "/")
    assert "Project Een" in html and "Bijeenkomst A" in html

    add_phases(project, 4)
    for i in range(5):
        other = a_project(f"Project extra {i}", slug=f"project-extra-{i}")
        add_phases(other, 3)
        DialogueSessionFactory(round=DialogueRoundPageFactory(parent=other), title=f"Extra sessie {i}")
        ProjectUpdatePageFactory(parent=other, title=f"Extra nieuws {i}", slug=f"extra-nieuws-{i}")
        InitiativeFactory(theme=ThemeFactory(name=f"Thema {i}"))
    many, html, sql = queries_for(client, "/")
    assert "Project extra 4" in html and "Extra sessie 4" in html
    assert many == few, "\n".join(sql)
    assert many <= 16, "\n".join(sql)  # 11 before the "Wat leeft er" teaser, 22 with it; its two periods now come in one query per kind (signal_counts_periods): +5


def test_round_page_asks_the_same_with_one_or_many_sessions(client, site):
    round_page = DialogueRoundPageFactory(parent=a_project(), title="Ronde", slug="ronde")
    DialogueSessionFactory(round=round_page, title="Bijeenkomst A")
    few, html, _ = queries_for(client, round_page.url)
    assert "Bijeenkomst A" in html
    for i in range(8):
        DialogueSessionFactory(round=round_page, title=f"Extra sessie {i}",
                               starts_at=(timezone.now() + datetime.timedelta(days=8 + i)).replace(second=0, microsecond=0))
    many, html, sql = queries_for(client, round_page.url)
    assert "Extra sessie 7" in html
    assert many == few, "\n".join(sql)
    assert many <= 22, "\n".join(sql)


def test_initiative_page_asks_the_same_with_one_or_many_supports_and_neighbours(client, site):
    project = a_project()
    initiative = InitiativeFactory(project=project, title="Meer bomen")
    geo_services.support_add(initiative=initiative, user=UserFactory(username="steun0"))
    few, html, _ = queries_for(client, initiative.get_absolute_url())
    assert "Meer bomen" in html
    for i in range(1, 8):
        geo_services.support_add(initiative=initiative, user=UserFactory(username=f"steun{i}"))
        InitiativeFactory(project=project, title=f"Buur {i}")
    many, html, sql = queries_for(client, initiative.get_absolute_url())
    assert many == few, "\n".join(sql)
    assert many <= 7, "\n".join(sql)  # was 12 (issue 12)


def test_plain_content_page_needs_few_queries(client, site):
    """The ceiling the other pages are measured against (bench/pages.py): the header and footer
    take the site settings with their linked pages in one query."""
    from home.models import ContentPage, SiteSettings

    home = site.root_page
    privacy = home.add_child(instance=ContentPage(title="Privacyverklaring", slug="privacy", body="<p>Wij gaan zorgvuldig met uw gegevens om.</p>"))
    privacy.save_revision().publish()
    settings_ = SiteSettings.for_site(site)
    settings_.privacy_page = settings_.accessibility_page = settings_.policy_page = privacy
    settings_.save()
    count, html, sql = queries_for(client, privacy.url)
    assert 'href="/privacy/"' in html
    assert count <= 7, "\n".join(sql)  # was 11 (issue 12)
