"""The participation report: its figures against seeded data, the PDF, frozen versions, open data."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from projects.models import Decision, ParticipationReport
from projects.reports import report_build, report_figures, report_freeze
from projects.sources import Evaluation, Reach
from tests.projects.factories import ProjectPageFactory, UserFactory, phase
from tests.projects.sources_fake import (  # noqa: F401 (fixtures)
    fake_source, initiative, only_fake_sources, outcome, session,
)

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.fixture
def project(site, fake_source):
    today = timezone.localdate()
    project = ProjectPageFactory(
        title="Herinrichting Marktplein", groups=["Ondernemers", "Jongeren"],
        phases=[phase("dialoog", "Dialoog", today.replace(day=1), today.replace(day=28))],
        influence_can="De inrichting.", influence_cannot="Het budget.",
    )
    fake_source.set(
        project,
        reach=Reach(participants=37, by_group={"Ondernemers": 5, "Bewoner": 30}, invited_by_group={"Ondernemers": 8, "Jongeren": 2},
                    by_area={"Centrum": 25, "Oost": 12}),
        activities=[session("Avond 1", start_days=-20, published_days=-18), session("Avond 2", start_days=-10)],
        inputs=[
            outcome("Avond 1", days=-20, answer="Meer bomen op het plein.", themes=("Groen",),
                    agreements=({"what": "Ontwerp met bomen", "who": "Gemeente", "due": "2027-01-01", "status": "open",
                                 "status_label": "Loopt"},
                                {"what": "Bankjes plaatsen", "who": "Gemeente", "due": "2026-12-01", "status": "done",
                                 "status_label": "Klaar"})),
            initiative("Fietsenstalling", status="overgenomen", status_label="Overgenomen", answer="Komt er in 2027.",
                       area="Centrum", themes=("Verkeer",), supporters=12, answered_days=-3),
            initiative("Speeltuin", status="overgenomen", status_label="Overgenomen", answer="Wordt meegenomen.",
                       area="Oost", themes=("Spelen",), answered_days=-2),
            initiative("Parkeergarage", status="ingediend", status_label="Ingediend", area="Centrum", themes=("Verkeer",)),
        ],
        evaluation=Evaluation(responses=14, averages={"gehoord": 4.2, "nuttig": 3.87}),
    )
    Decision.objects.create(project=project, title="Het plein krijgt bomen", decided_on=today,
                            reasoning="Bewoners vroegen om groen.", published=True)
    Decision.objects.create(project=project, title="Concept", decided_on=today, reasoning="Nog niet klaar.", published=False)
    return project


def test_report_figures_match_the_seeded_data(project):
    report = report_build(project)
    assert report["participants"] == 37
    groups = {g["name"]: g for g in report["groups"]}
    assert groups["Ondernemers"] == {"name": "Ondernemers", "planned": True, "invited": 8, "reached": 5}
    assert groups["Jongeren"] == {"name": "Jongeren", "planned": True, "invited": 2, "reached": 0}
    assert groups["Bewoner"]["planned"] is False and groups["Bewoner"]["reached"] == 30
    assert report["areas"] == [{"name": "Centrum", "count": 25}, {"name": "Oost", "count": 12}]
    assert report["activities"]["total"] == 2 and report["activities"]["held"] == 2
    assert [o["title"] for o in report["outcomes"]] == ["Avond 1"]
    assert report["inputs"]["total"] == 3 and report["inputs"]["answered"] == 2
    assert report["inputs"]["by_status"] == [{"name": "Overgenomen", "count": 2}, {"name": "Ingediend", "count": 1}]
    assert report["inputs"]["by_area"] == [{"name": "Centrum", "count": 2}, {"name": "Oost", "count": 1}]
    assert report["themes"][0] == {"name": "Verkeer", "count": 2}
    assert report["agreements"]["total"] == 2
    assert [d["title"] for d in report["decisions"]] == ["Het plein krijgt bomen"]  # the draft stays out
    assert report["evaluation"]["responses"] == 14
    assert {s["name"]: s["score"] for s in report["evaluation"]["scores"]} == {"gehoord": 4.2, "nuttig": 3.9}
    rules = {r["key"]: r["status"] for r in report["compliance"]}
    assert rules["groups_reached"] == "met" and rules["outcome_published"] == "met"
    assert rules["sessions_announced"] == "not_met"  # "Avond 1" was announced 10 days ahead
    json.dumps(report)  # a snapshot must be storable as JSON


def test_report_never_contains_names_or_emails(project, fake_source):
    from tests.projects.sources_fake import contact

    fake_source.set(project, contacts=[contact("jan@example.org", "Jan Jansen")])
    blob = json.dumps(report_build(project))
    assert "jan@example.org" not in blob and "Jan Jansen" not in blob
    assert project.contact_email not in blob


def test_report_page_renders(client, project):
    response = client.get(f"/projecten/{project.pk}/verslag/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Participatieverslag: Herinrichting Marktplein" in html
    assert "Het plein krijgt bomen" in html and "Concept" not in html
    assert "Fietsenstalling" in html and "Komt er in 2027." in html


def test_empty_project_report_says_so(client, site, fake_source):
    project = ProjectPageFactory()
    response = client.get(f"/projecten/{project.pk}/verslag/")
    assert response.status_code == 200
    assert "Er is nog geen participatie in dit project." in response.content.decode()
    assert client.get(f"/projecten/{project.pk}/verslag.pdf").status_code == 200


def test_unpublished_project_has_no_report(client, site, fake_source):
    project = ProjectPageFactory()
    project.unpublish()
    assert client.get(f"/projecten/{project.pk}/verslag/").status_code == 404
    assert client.get(f"/projecten/{project.pk}/cijfers.json").status_code == 404


def test_pdf_contains_the_key_figures(client, project):
    response = client.get(f"/projecten/{project.pk}/verslag.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Herinrichting Marktplein" in text
    assert "In totaal deden 37 mensen mee." in text
    assert "Het plein krijgt bomen" in text
    assert "Ingediend: 3. Met een antwoord: 2." in text


def test_frozen_report_stays_unchanged_after_later_edits(project, fake_source, django_capture_on_commit_callbacks, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    editor = UserFactory(is_staff=True)
    with django_capture_on_commit_callbacks(execute=True):
        first = report_freeze(project=project, user=editor)
    first.refresh_from_db()
    assert first.version == 1 and first.pdf
    pdf_before = first.pdf.read()
    first.pdf.close()
    assert "In totaal deden 37 mensen mee." in pdf_text(pdf_before)

    # The project goes on: more people, a new decision, a new title.
    fake_source.set(project, reach=Reach(participants=99))
    Decision.objects.create(project=project, title="Nieuw besluit", decided_on=timezone.localdate(), reasoning="x", published=True)
    project.title = "Marktplein (nieuw)"
    project.save_revision().publish()

    with django_capture_on_commit_callbacks(execute=True):
        second = report_freeze(project=project, user=editor)
    assert second.version == 2
    first = ParticipationReport.objects.get(pk=first.pk)
    assert first.data["participants"] == 37 and "Nieuw besluit" not in first.html
    assert first.data["project"]["title"] == "Herinrichting Marktplein"
    with first.pdf.open("rb") as handle:
        assert handle.read() == pdf_before
    assert second.data["participants"] == 99 and "Nieuw besluit" in second.html


def test_frozen_version_pages(client, project, django_capture_on_commit_callbacks, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with django_capture_on_commit_callbacks(execute=True):
        report_freeze(project=project)
    response = client.get(f"/projecten/{project.pk}/verslag/versie-1/")
    assert response.status_code == 200
    assert "Vastgestelde versie 1" in response.content.decode()
    pdf = client.get(f"/projecten/{project.pk}/verslag/versie-1.pdf")
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")
    assert client.get(f"/projecten/{project.pk}/verslag/versie-2/").status_code == 404


def test_pdf_of_a_frozen_version_not_ready_yet(client, project):
    ParticipationReport.objects.create(project=project, version=1, data={"project": {"title": "x"}}, html="<p>x</p>")
    response = client.get(f"/projecten/{project.pk}/verslag/versie-1.pdf")
    assert response.status_code == 202
    assert "De PDF wordt gemaakt" in response.content.decode()


def test_figures_json_and_csv(client, project):
    data = client.get(f"/projecten/{project.pk}/cijfers.json").json()
    assert data["participants"] == 37
    assert data["inputs"]["by_status"] == {"Overgenomen": 2, "Ingediend": 1}
    assert data["areas"] == {"Centrum": 25, "Oost": 12}
    assert data["compliance"]["groups_reached"] == "met"
    response = client.get(f"/projecten/{project.pk}/cijfers.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    lookup = {(r["section"], r["name"]): r["value"] for r in rows}
    assert lookup[("participants", "total")] == "37"
    assert lookup[("group_invited", "Ondernemers")] == "8"
    assert lookup[("inputs_by_area", "Oost")] == "1"
    assert "jan" not in response.content.decode().lower()


def test_figures_equal_the_report(project):
    report = report_build(project)
    assert report_figures(report)["inputs"]["total"] == report["inputs"]["total"]


def _seed(project, fake_source, n):
    fake_source.set(project, inputs=[initiative(f"Idee {i}", answer="Ja.", answered_days=-1) for i in range(n)],
                    activities=[session(f"Avond {i}", start_days=-i - 1) for i in range(n)])
    today = timezone.localdate()
    Decision.objects.bulk_create([
        Decision(project=project, title=f"Besluit {i}", decided_on=today, reasoning="x", published=True) for i in range(n)
    ])
    ParticipationReport.objects.bulk_create([
        ParticipationReport(project=project, version=i + 1, data={}, html="") for i in range(n)
    ])


def test_report_queries_do_not_grow_with_the_data(site, fake_source):
    counts = []
    for n in (2, 20):
        project = ProjectPageFactory(groups=[f"Groep {i}" for i in range(n)],
                                     phases=[phase("dialoog", f"Fase {i}", timezone.localdate(), timezone.localdate()) for i in range(n)])
        _seed(project, fake_source, n)
        project = type(project).objects.get(pk=project.pk)
        with CaptureQueriesContext(connection) as queries:
            report = report_build(project)
        assert len(report["decisions"]) == n and report["inputs"]["total"] == n
        counts.append(len(queries))
    assert counts[0] == counts[1]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_editors_freezing_at_once_get_consecutive_versions(site, fake_source, settings, tmp_path):
    import threading

    from django.db import close_old_connections

    settings.MEDIA_ROOT = tmp_path
    project = ProjectPageFactory()
    barrier = threading.Barrier(2)
    errors = []

    def freeze():
        try:
            barrier.wait()
            report_freeze(project=project)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=freeze) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(ParticipationReport.objects.filter(project=project).values_list("version", flat=True)) == [1, 2]


@pytest.mark.redis
def test_frozen_pdf_is_rendered_by_the_worker(project, rq_async, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    with django_capture_on_commit_callbacks(execute=True):
        report = report_freeze(project=project)
    report.refresh_from_db()
    assert not report.pdf  # queued, not rendered in the request
    rq_async()
    report.refresh_from_db()
    with report.pdf.open("rb") as handle:
        assert "In totaal deden 37 mensen mee." in pdf_text(handle.read())


def test_report_queries_constant_with_the_real_apps(client, site):
    """The same seeding as bench/report.py, at two small sizes, through dialogues and geo."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location("bench_report", Path(__file__).resolve().parents[2] / "bench" / "report.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    small = bench.seed_project(scale=0.002, slug="klein")
    large = bench.seed_project(scale=0.02, slug="groter")
    small_ms, small_queries = bench.measure(small)
    large_ms, large_queries = bench.measure(large)
    assert report_build(large)["inputs"]["total"] == 100 and report_build(small)["inputs"]["total"] == 10
    assert small_queries == large_queries


def test_report_names_the_forms_of_participation(project):
    report = report_build(project)
    assert report["methods"] == [{"name": "Proefbron", "activities": 2, "inputs": 3, "parts": [
        {"label": "Bijeenkomst", "count": 2}, {"label": "Uitkomst van een bijeenkomst", "count": 1},
        {"label": "Initiatief", "count": 3}]}]


@pytest.fixture
def fresh_storage(settings):
    """A new, empty in-memory storage (Django resets default_storage when STORAGES changes)."""
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}


def test_live_pdf_is_reused_until_the_report_changes(client, project, fake_source, monkeypatch, fresh_storage):
    from projects import reports

    calls = []
    render = reports.report_render_pdf
    monkeypatch.setattr(reports, "report_render_pdf", lambda body, title: calls.append(title) or render(body, title=title))
    first = client.get(f"/projecten/{project.pk}/verslag.pdf")
    second = client.get(f"/projecten/{project.pk}/verslag.pdf")
    assert first.content == second.content and len(calls) == 1
    fake_source.set(project, reach=Reach(participants=50))
    third = client.get(f"/projecten/{project.pk}/verslag.pdf")
    assert len(calls) == 2 and "In totaal deden 50 mensen mee." in pdf_text(third.content)


def test_live_pdf_half_written_by_another_server_is_not_served(client, project, fresh_storage):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    complete = client.get(f"/projecten/{project.pk}/verslag.pdf").content
    _dirs, files = default_storage.listdir(f"participatieverslagen/{project.pk}")
    name = f"participatieverslagen/{project.pk}/{files[0]}"
    default_storage.delete(name)
    default_storage.save(name, ContentFile(complete[: len(complete) // 2]))  # as if still being written
    response = client.get(f"/projecten/{project.pk}/verslag.pdf")
    assert response.status_code == 200 and response.content.rstrip().endswith(b"%%EOF")
    assert "In totaal deden 37 mensen mee." in pdf_text(response.content)


def test_large_project_pdf_is_made_by_a_job_without_redis(client, project, monkeypatch, fresh_storage,
                                                         django_capture_on_commit_callbacks):
    from projects import reports

    monkeypatch.setattr(reports, "LIVE_PDF_INLINE_MAX", 1)
    with django_capture_on_commit_callbacks(execute=True):
        first = client.get(f"/projecten/{project.pk}/verslag.pdf")
    assert first.status_code == 202  # the job runs after the request's transaction
    response = client.get(f"/projecten/{project.pk}/verslag.pdf")
    assert response.status_code == 200  # made in-process: without Redis the queue runs at once
    assert "Herinrichting Marktplein" in pdf_text(response.content)


@pytest.mark.redis
def test_large_project_pdf_waits_for_the_worker(client, project, monkeypatch, rq_async, fresh_storage,
                                                django_capture_on_commit_callbacks):
    from projects import reports

    monkeypatch.setattr(reports, "LIVE_PDF_INLINE_MAX", 1)
    with django_capture_on_commit_callbacks(execute=True):
        pending = client.get(f"/projecten/{project.pk}/verslag.pdf")
    assert pending.status_code == 202 and "De PDF wordt gemaakt" in pending.content.decode()
    rq_async()
    ready = client.get(f"/projecten/{project.pk}/verslag.pdf")
    assert ready.status_code == 200 and "In totaal deden 37 mensen mee." in pdf_text(ready.content)
