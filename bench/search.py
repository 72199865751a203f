"""Benchmark of the memory's search (/zoeken/) at 50,000 initiatives and 500 session outcomes.

Run as ``DATABASE_URL=postgres://... python bench/search.py`` (PostgreSQL only: the Dutch
full-text search is what counts; the server of DATABASE_URL gets a temporary database of its own).
It bulk-inserts published initiatives with Dutch texts over four wijken and six themes, 500
published outcomes under one round, fills the memory with ``participatie_memory_rebuild``
(timed), then requests ``/zoeken/`` through Django's test client for ten typical Dutch queries,
without filters and with a theme, a wijk, a kind and a period. It ends with one line of
figures; the goal is a p50 under 100 ms per query.
"""

from __future__ import annotations

import datetime
import io
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "participatie.settings.test")

# Smaller volumes for a quick look: BENCH_INITIATIVES=5000 BENCH_OUTCOMES=50 BENCH_REPEAT=3.
N_INITIATIVES = int(os.environ.get("BENCH_INITIATIVES", "50000"))
N_OUTCOMES = int(os.environ.get("BENCH_OUTCOMES", "500"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "9"))
QUERIES = ("bomen", "fietspaden", "speeltuin", "parkeren school", "hondenpoep", "zwerfafval park",
           "verlichting", "bankjes water", "moestuin buurt", "te hard rijden")
SENTENCES = (
    "Meer bomen in de straat geven schaduw.", "Een fietspad langs de dijk is veiliger.",
    "De speeltuin bij de school moet opgeknapt worden.", "Er wordt te hard gereden in onze wijk.",
    "Bankjes bij het water, om even te zitten.", "Veel zwerfafval in het park na het weekend.",
    "Parkeren bij de school is 's ochtends gevaarlijk.", "Betere verlichting op het fietspad in de winter.",
    "Hondenpoep op het grasveld waar kinderen spelen.", "Een moestuin voor de buurt brengt mensen samen.",
    "Geveltuintjes maken de straat groener.", "Een zebrapad bij de supermarkt.",
    "De bushalte heeft geen overkapping.", "Jongeren willen een plek om te sporten.",
)
THEMES = ("Groen", "Verkeer", "Spelen", "Veiligheid", "Samen leven", "Duurzaam")


def _text(rng: random.Random, n: int) -> str:
    return " ".join(rng.sample(SENTENCES, n))


def seed(rng: random.Random) -> None:
    from django.utils import timezone
    from wagtail.models import Site

    from dialogues.models import DialogueRoundPage, DialogueSession, SessionOutcome
    from geo.models import Area, Initiative, Moderation, Status, Theme
    from projects.models import ProjectIndexPage, ProjectPage

    themes = [Theme.objects.get_or_create(name=name, defaults={"sort_order": i})[0] for i, name in enumerate(THEMES)]
    areas = [Area.objects.get_or_create(code=f"WK99{i:02d}", defaults={
        "name": f"Wijk {i + 1}", "kind": Area.Kind.WIJK,
        "geometry": {"type": "Polygon", "coordinates": [[[5.1, 52.0], [5.2, 52.0], [5.2, 52.1], [5.1, 52.0]]]},
    })[0] for i in range(4)]
    home = Site.objects.get(is_default_site=True).root_page
    index = home.add_child(instance=ProjectIndexPage(title="Projecten", slug="projecten"))
    index.save_revision().publish()
    project = index.add_child(instance=ProjectPage(title="Wijkaanpak", slug="wijkaanpak", summary="Samen aan de wijk werken."))
    project.save_revision().publish()
    round_page = project.add_child(instance=DialogueRoundPage(title="Gesprekken in de wijk", slug="gesprekken", theme="Leefbaarheid"))
    round_page.save_revision().publish()

    now = timezone.now()
    statuses = list(Status.values)
    batch = []
    for i in range(N_INITIATIVES):
        created = now - datetime.timedelta(days=rng.randint(0, 5 * 365))
        batch.append(Initiative(
            title=f"Idee {i}: {rng.choice(SENTENCES)[:-1]}", description=_text(rng, 3), theme=rng.choice(themes),
            lat=52.05, lon=5.15, area=rng.choice(areas), project=project if i % 10 == 0 else None,
            status=rng.choice(statuses), answer=_text(rng, 1) if i % 3 == 0 else "",
            moderation=Moderation.PUBLISHED, created_at=created, published_at=created,
        ))
    Initiative.objects.bulk_create(batch, batch_size=2000)
    sessions = DialogueSession.objects.bulk_create([
        DialogueSession(round=round_page, title=f"Avond {i}", starts_at=now - datetime.timedelta(days=i + 1),
                        ends_at=now - datetime.timedelta(days=i + 1) + datetime.timedelta(hours=2), capacity_onsite=20)
        for i in range(N_OUTCOMES)
    ])
    SessionOutcome.objects.bulk_create([
        SessionOutcome(session=s, summary=_text(rng, 2), notes_discover=_text(rng, 2), notes_dream=_text(rng, 2),
                       notes_design=_text(rng, 1), notes_destiny=_text(rng, 1), published_at=s.ends_at)
        for s in sessions
    ])


def cases() -> dict[str, dict]:
    today = datetime.date.today()
    filters = {
        "": {}, "thema": {"thema": "Groen"}, "wijk": {"wijk": "WK9901"},
        "periode": {"van": (today - datetime.timedelta(days=365)).isoformat(), "tot": today.isoformat()},
    }
    result = {f"{q} [{name or 'geen filter'}]": {"q": q, **params} for q in QUERIES for name, params in filters.items()}
    result["zonder woorden [thema]"] = {"thema": "Groen"}
    return result


def measure(client) -> dict[str, dict]:
    result = {}
    for name, params in cases().items():
        client.get("/zoeken/", params)  # warm up
        timings = []
        for _ in range(REPEAT):
            start = time.perf_counter()
            response = client.get("/zoeken/", params)
            timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, response.content[:300]
        timings.sort()
        result[name] = {"p50": statistics.median(timings), "p95": timings[int(len(timings) * 0.95) - 1],
                        "count": f"{paginator.count}+" if (paginator := response.context["page_obj"].paginator).capped
                        else paginator.count}
    return result


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def main() -> None:
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("bench/search.py needs PostgreSQL: set DATABASE_URL=postgres://user:password@host:5432/name")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from projects.models import MemoryEntry

    setup_test_environment()
    connection.settings_dict.setdefault("TEST", {})["NAME"] = "bench_search_" + str(os.getpid())
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        start = time.perf_counter()
        seed(random.Random(2026))
        _progress(f"seeded in {time.perf_counter() - start:.0f} s")
        start = time.perf_counter()
        call_command("participatie_memory_rebuild", stdout=io.StringIO())
        rebuild_s = time.perf_counter() - start
        _progress(f"rebuilt in {rebuild_s:.0f} s")
        start = time.perf_counter()
        out = io.StringIO()
        call_command("participatie_memory_rebuild", stdout=out)  # idempotent: nothing to write
        again_s = time.perf_counter() - start
        documents = MemoryEntry.objects.count()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        results = measure(Client())
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    for name, r in results.items():
        print(f"  {name:40} p50={r['p50']:7.1f} ms p95={r['p95']:7.1f} ms results={r['count']}")
    p50s = [r["p50"] for r in results.values()]
    p95s = [r["p95"] for r in results.values()]
    print(
        f"search: documents={documents} rebuild_s={rebuild_s:.1f} rebuild_again_s={again_s:.1f} "
        f"queries={len(results)} p50_ms_median={statistics.median(p50s):.1f} p50_ms_max={max(p50s):.1f} "
        f"p95_ms_max={max(p95s):.1f} ({out.getvalue().strip()})"
    )


if __name__ == "__main__":
    main()
