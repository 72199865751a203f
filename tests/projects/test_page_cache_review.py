"""Holes a review of the page cache (projects/page_cache.py) found and that are now closed: writes
that changed a cached anonymous page without raising a tag the page declares (moving a session
to another round, the report's PDF stored by a job, a resident's reactions erased). Each test
failed before its fix."""

from __future__ import annotations

import re

import pytest

from dialogues.models import DialogueRoundPage, DialogueSession
from dialogues.services import session_update
from geo.models import Initiative, Moderation
from geo.reaction_services import reaction_create, reactions_personal_data_erase
from projects import reports
from projects.models import ParticipationReport
from django.core.cache import caches

from tests.projects.factories import UserFactory
from tests.projects.test_page_cache import cached, demo, page, page_cache_on, project, write  # noqa: F401


def test_moving_a_session_to_another_round_changes_the_old_round_page(demo, client, write):
    """The admin's session form has a "ronde" field; session_tags() only names the new round."""
    rounds = list(DialogueRoundPage.objects.live().public().order_by("pk"))
    assert len(rounds) >= 2
    old, new = rounds[0], rounds[1]
    session = DialogueSession.objects.filter(round=old).order_by("pk").first()
    assert session is not None
    cached(client, old.url)
    assert session.title in page(client, old.url)[1]
    with write():
        session_update(session_id=session.pk, data={"round": new})
    state, body = page(client, old.url)
    caches["default"].clear()
    assert session.title not in page(client, old.url)[1]  # what the page shows when rendered
    assert state != "hit" and session.title not in body


def test_the_pdf_of_an_adopted_report_shows_on_the_report_page(demo, client, write, monkeypatch):
    """report_pdf_render (a job, after the adoption's commit) stores the PDF with QuerySet.update:
    no tag is raised, so the cached report page keeps its version without the PDF link."""
    p = project()
    url = f"/projecten/{p.pk}/verslag/"
    jobs = []
    monkeypatch.setattr(reports, "enqueue", lambda func, *args, **kwargs: jobs.append((func, args)))
    monkeypatch.setattr(reports, "report_render_pdf", lambda html, title="": b"%PDF-1.4 test")
    with write():
        report = reports.report_freeze(project=p)
    pdf_link = f"/projecten/{p.pk}/verslag/versie-{report.version}.pdf"
    cached(client, url)
    assert pdf_link not in page(client, url)[1]
    with write():
        reports.report_pdf_render(report.pk)  # what the worker does a few seconds later
    assert ParticipationReport.objects.get(pk=report.pk).pdf
    state, body = page(client, url)
    caches["default"].clear()
    assert pdf_link in page(client, url)[1]  # what the page shows when rendered
    assert state != "hit" and pdf_link in body


def shown_reactions(body: str, pk: int) -> int:
    found = re.search(rf'href="/initiatief/{pk}/".*?(\d+) reactie', body, re.S)
    assert found, "initiative not listed"
    return int(found.group(1))


def test_erasing_a_residents_reactions_changes_the_reaction_counts_on_the_project_map(demo, client, write):
    """reactions_personal_data_erase lowers reaction_count with QuerySet.update and raises only
    ``initiatives`` and ``initiative:<pk>``; the project's map and page declare ``project:<pk>``."""
    initiative = Initiative.objects.filter(moderation=Moderation.PUBLISHED, project__isnull=False).order_by("pk").first()
    assert initiative is not None
    author = UserFactory(username="reageerder-avg")
    with write():
        reaction_create(initiative=initiative, author=author, body="Ik doe mee met het schoonmaken.")
    count = Initiative.objects.get(pk=initiative.pk).reaction_count
    url = f"/initiatief/project/{initiative.project_id}/"
    cached(client, url)
    with write():
        reactions_personal_data_erase(user=author)
    assert Initiative.objects.get(pk=initiative.pk).reaction_count == count - 1
    state, body = page(client, url)
    caches["default"].clear()
    assert shown_reactions(page(client, url)[1], initiative.pk) == count - 1  # what the page shows when rendered
    assert state != "hit" and shown_reactions(body, initiative.pk) == count - 1
