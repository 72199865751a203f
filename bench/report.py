"""Benchmark: the participation report of one large project.

    python bench/report.py            # temporary SQLite database (in memory)
    DATABASE_URL=postgres://... python bench/report.py   # a temporary PostgreSQL test database

Builds its own temporary database (Django's test database machinery, destroyed at the end),
seeds one project through the real apps' models with bulk_create (5,000 initiatives,
50 sessions, 2,000 registrations, 500 evaluations), then times the HTML report page and the
PDF. Goal: HTML under 1,000 ms, PDF under 10 s, and a query count that does not grow with the
data (it is measured at a tenth of the data too, on stderr). Ends with one line:

    report: html_ms=… pdf_ms=… queries=…
"""

from __future__ import annotations

import datetime
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "participatie.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

INITIATIVES = 5000
SESSIONS = 50
REGISTRATIONS = 2000
EVALUATIONS = 500
GROUPS = ["Bewoners", "Ondernemers", "Zorgaanbieders", "Jongeren"]
THEMES = ["Groen", "Verkeer", "Spelen", "Veiligheid", "Wonen", "Zorg"]
AREAS = ["Centrum", "Noord", "Oost", "Zuid", "West"]


def square(lon: float, lat: float, size: float = 0.01) -> dict:
    return {"type": "Polygon", "coordinates": [[[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]]}


def seed_project(*, scale: float = 1.0, slug: str = "groot-project"):
    from django.contrib.auth import get_user_model
    from django.utils import timezone
    from wagtail.models import Site

    from dialogues.models import (
        Agreement, DialogueRoundPage, DialogueSession, Evaluation, Registration, SessionOutcome,
    )
    from geo.models import Area, Initiative, Theme
    from projects.models import ProjectIndexPage, ProjectPage, ProjectPhase, StakeholderGroup

    rng = random.Random(42)
    now = timezone.now()
    site = Site.objects.get(is_default_site=True)
    index = ProjectIndexPage.objects.first()
    if index is None:
        index = site.root_page.add_child(instance=ProjectIndexPage(title="Projecten", slug="projecten"))
        index.save_revision().publish()
    project = ProjectPage(
        title=f"Benchmark {slug}", slug=slug, summary="Een groot project voor de benchmark.", ladder_level="adviseren",
        influence_can="De inrichting.", influence_cannot="Het budget.",
        **{name: "Beantwoord." for name in ("plan_goals", "plan_open_topics", "plan_intention", "plan_decisions",
                                           "plan_process", "plan_roles", "plan_expertise", "plan_attitude")},
    )
    today = timezone.localdate()
    project.phases.add(ProjectPhase(kind="dialoog", title="Dialoog", start_date=today - datetime.timedelta(days=150),
                                    end_date=today + datetime.timedelta(days=30), sort_order=0))
    project.phases.add(ProjectPhase(kind="besluitvorming", title="Besluit", start_date=today + datetime.timedelta(days=31),
                                    end_date=today + datetime.timedelta(days=60), sort_order=1))
    for i, name in enumerate(GROUPS):
        project.stakeholder_groups.add(StakeholderGroup(name=name, sort_order=i))
    index.add_child(instance=project)
    project.save_revision().publish()

    round_page = project.add_child(instance=DialogueRoundPage(title="Ronde 1", slug="ronde-1", theme="Het plein"))
    round_page.save_revision().publish()

    themes = [Theme.objects.get_or_create(name=name)[0] for name in THEMES]
    areas = []
    for i, name in enumerate(AREAS):
        area = Area.objects.filter(code=f"WK99{i:04d}").first()
        if area is None:
            area = Area(code=f"WK99{i:04d}", name=name, geometry=square(5.1 + i * 0.01, 52.09))
            area.save()
        areas.append(area)

    n_sessions = max(2, int(SESSIONS * scale))
    sessions = []
    for i in range(n_sessions):
        starts = now - datetime.timedelta(days=120) + datetime.timedelta(days=i * 2, hours=19 - (now.hour % 1))
        held = starts < now
        sessions.append(DialogueSession(
            round=round_page, title=f"Avond {i + 1}", starts_at=starts, ends_at=starts + datetime.timedelta(hours=2),
            venue="Wijkcentrum", capacity_onsite=60, seats_taken_onsite=40, status="gehouden" if held else "gepland",
            announced_at=starts - datetime.timedelta(days=21),
            evaluation_requested_at=starts + datetime.timedelta(days=1) if held else None,
        ))
    sessions = DialogueSession.objects.bulk_create(sessions)

    User = get_user_model()
    n_regs = max(4, int(REGISTRATIONS * scale))
    registrations = []
    for i in range(n_regs):
        session = sessions[i % len(sessions)]
        held = session.status == "gehouden"
        registrations.append(Registration(
            session=session, name=f"Deelnemer {i}", email=f"deelnemer{i}@example.org", stakeholder_group=GROUPS[i % len(GROUPS)],
            consent=True, contact_consent=i % 3 == 0, status="attended" if held else "confirmed",
            created_at=session.starts_at - datetime.timedelta(days=10),
        ))
    registrations = Registration.objects.bulk_create(registrations)

    n_evals = max(2, int(EVALUATIONS * scale))
    attended = [r for r in registrations if r.status == "attended"]
    Evaluation.objects.bulk_create([
        Evaluation(session_id=r.session_id, registration=r, heard=rng.randint(2, 5), useful=rng.randint(1, 5))
        for r in attended[:n_evals]
    ])

    outcomes = SessionOutcome.objects.bulk_create([
        SessionOutcome(session=s, summary=f"Uitkomst van {s.title}: meer groen en veilige routes.",
                       published_at=s.ends_at + datetime.timedelta(days=3))
        for s in sessions if s.status == "gehouden"
    ])
    Agreement.objects.bulk_create([
        Agreement(outcome=o, what=f"Afspraak {j + 1}", who="Gemeente", status=("open", "bezig", "gedaan")[j % 3], sort_order=j)
        for o in outcomes for j in range(3)
    ])

    n_init = max(4, int(INITIATIVES * scale))
    users = User.objects.bulk_create([
        User(username=f"{slug}-indiener{i}", email=f"{slug}-indiener{i}@example.org", password="!") for i in range(n_init // 5)
    ])
    statuses = ["ingediend", "in_behandeling", "overgenomen", "deels_overgenomen", "niet_overgenomen", "uitgevoerd"]
    initiatives = []
    for i in range(n_init):
        status = statuses[i % len(statuses)]
        created = now - datetime.timedelta(days=rng.randint(1, 120))
        answered = status != "ingediend"
        area = areas[i % len(areas)]
        initiatives.append(Initiative(
            title=f"Initiatief {i + 1}", description="Een idee voor de buurt.", theme=themes[i % len(themes)],
            lat=52.09 + 0.005, lon=5.1 + 0.005, area=area, project=project, submitter=users[i % len(users)],
            status=status, answer="Dank u wel. Wij nemen dit mee." if answered else "", moderation="published",
            support_count=rng.randint(0, 30), created_at=created, published_at=created,
            answered_at=created + datetime.timedelta(days=rng.randint(1, 50)) if answered else None,
        ))
    Initiative.objects.bulk_create(initiatives, batch_size=1000)
    return ProjectPage.objects.get(pk=project.pk)


def measure(project) -> tuple[float, int]:
    client = Client()
    url = f"/projecten/{project.pk}/verslag/"
    assert client.get(url).status_code == 200  # warm caches (content types, templates, site)
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        response = client.get(url)
        html_ms = (time.perf_counter() - start) * 1000
    assert response.status_code == 200, response.status_code
    return html_ms, len(queries)


def main() -> None:
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        small = seed_project(scale=0.1, slug="klein-project")
        _small_ms, small_queries = measure(small)
        project = seed_project(scale=1.0)
        html_ms, queries = measure(project)

        from projects import reports

        report = reports.report_build(project)
        body = reports.report_render_html(report)
        start = time.perf_counter()
        pdf = reports.report_render_pdf(body, title=project.title)
        pdf_ms = (time.perf_counter() - start) * 1000
        assert pdf.startswith(b"%PDF")
        print(
            f"seeded: initiatives={report['inputs']['total']} sessions={report['activities']['total']} "
            f"participants={report['participants']} evaluations={report['evaluation']['responses']}; "
            f"queries at 10% of the data: {small_queries}",
            file=sys.stderr,
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    print(f"report: html_ms={html_ms:.0f} pdf_ms={pdf_ms:.0f} queries={queries}")


if __name__ == "__main__":
    main()
