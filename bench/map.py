"""Benchmark of the map's GeoJSON endpoint at 500 and 50,000 published initiatives.

Run as ``python bench/map.py``. It builds its own temporary database (a SQLite file in a
temporary directory, or a fresh test database on the PostgreSQL server of DATABASE_URL),
seeds initiatives spread over the demo municipality (four wijken, six themes, every status)
with bulk_create, and requests ``/api/geo/initiatives/`` through Django's test client for the
whole-municipality view and a street-level view, unfiltered and filtered on a theme, a status,
a wijk and a theme and status together. It ends with one line of figures; the goal for every
single-filter view is a p50 under 10 ms at 50,000 initiatives.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "participatie.settings.test")

BOUNDS = (5.10, 51.99, 5.24, 52.06)  # the demo municipality (Houten area)
VIEWS = {
    "municipality": {"bbox": "5.100000,51.990000,5.240000,52.060000", "zoom": 12},
    "street": {"bbox": "5.165000,52.024000,5.171000,52.027000", "zoom": 17},
}
FILTERED = ("theme", "status", "area", "theme+status")  # applied to the municipality view
REPEAT = 100
N_SMALL, N_LARGE = 500, 50_000


def seed(n_total: int, rng: random.Random) -> None:
    from geo import clustering
    from geo.models import Initiative, Moderation, Status, Theme

    themes = list(Theme.objects.all()) or [Theme.objects.create(name=name, sort_order=i) for i, name in enumerate(
        ["Groen", "Verkeer", "Spelen", "Veiligheid", "Samen leven", "Duurzaam"])]
    areas = areas_seed()
    statuses = list(Status.values)
    have = Initiative.objects.count()
    batch = []
    for i in range(have, n_total):
        lat, lon = rng.uniform(BOUNDS[1], BOUNDS[3]), rng.uniform(BOUNDS[0], BOUNDS[2])
        batch.append(Initiative(
            title=f"Initiatief {i}", description="Een idee voor de buurt.", theme=rng.choice(themes),
            lat=lat, lon=lon, area=areas[(lon >= MID_LON) + 2 * (lat >= MID_LAT)],
            status=rng.choice(statuses), moderation=Moderation.PUBLISHED, support_count=rng.randint(0, 40),
        ))
    Initiative.objects.bulk_create(batch, batch_size=2000)
    clustering.cells_rebuild()


MID_LON, MID_LAT = (BOUNDS[0] + BOUNDS[2]) / 2, (BOUNDS[1] + BOUNDS[3]) / 2


def areas_seed() -> list:
    """Four wijken, the quadrants of the municipality (as geo's area import stores them)."""
    from geo.models import Area

    def square(x0, y0, x1, y1):
        return {"type": "Polygon", "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]}

    quadrants = [(BOUNDS[0], BOUNDS[1], MID_LON, MID_LAT), (MID_LON, BOUNDS[1], BOUNDS[2], MID_LAT),
                 (BOUNDS[0], MID_LAT, MID_LON, BOUNDS[3]), (MID_LON, MID_LAT, BOUNDS[2], BOUNDS[3])]
    areas = []
    for i, (x0, y0, x1, y1) in enumerate(quadrants):
        area, _created = Area.objects.get_or_create(code=f"WK99{i:02d}", defaults={
            "name": f"Wijk {i + 1}", "kind": Area.Kind.WIJK, "geometry": square(x0, y0, x1, y1),
            "min_lon": x0, "min_lat": y0, "max_lon": x1, "max_lat": y1,
        })
        areas.append(area)
    return areas


def views() -> dict:
    from geo.models import Area, Status, Theme

    base = VIEWS["municipality"]
    theme, area = Theme.objects.order_by("pk").first().pk, Area.objects.order_by("pk").first().pk
    filters = {"theme": {"theme": theme}, "status": {"status": Status.OVERGENOMEN}, "area": {"area": area},
               "theme+status": {"theme": theme, "status": Status.OVERGENOMEN}}
    return {**VIEWS, **{f"filter {name}": {**base, **filters[name]} for name in FILTERED}}


def measure(client) -> dict:
    result = {}
    for name, params in views().items():
        timings, size, count = [], 0, 0
        for _ in range(REPEAT):
            start = time.perf_counter()
            response = client.get("/api/geo/initiatives/", params)
            timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, response.content[:200]
            size = len(response.content)
            count = response.content.count(b'"type":"Feature"')
        result[name] = {"p50": statistics.median(timings), "bytes": size, "features": count}
    return result


def main() -> None:
    import django

    tmp = tempfile.TemporaryDirectory(prefix="bench-map-")
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp.name}/bench.sqlite3"
    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    connection.settings_dict.setdefault("TEST", {})
    if connection.vendor == "sqlite":
        connection.settings_dict["TEST"]["NAME"] = f"{tmp.name}/bench-test.sqlite3"
    else:
        connection.settings_dict["TEST"]["NAME"] = "bench_map_" + str(os.getpid())
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        rng = random.Random(2026)
        client = Client()
        seed(N_SMALL, rng)
        client.get("/api/geo/initiatives/", VIEWS["municipality"])  # warm up
        small = measure(client)
        seed(N_LARGE, rng)
        client.get("/api/geo/initiatives/", VIEWS["municipality"])
        large = measure(client)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        tmp.cleanup()
    for label, res in (("small", small), ("large", large)):
        for name, r in res.items():
            print(f"  {label:5} {name:20} p50={r['p50']:.2f} ms features={r['features']} bytes={r['bytes']}")
    p50_small = max(r["p50"] for r in small.values())
    p50_large = max(r["p50"] for r in large.values())
    single = [large[f"filter {name}"]["p50"] for name in FILTERED if "+" not in name]
    features_large = max(r["features"] for r in large.values())
    bytes_large = max(r["bytes"] for r in large.values())
    print(
        f"map: n_small={N_SMALL} n_large={N_LARGE} p50_ms_small={p50_small:.2f} p50_ms_large={p50_large:.2f} "
        f"features_large={features_large} bytes_large={bytes_large} p50_ms_large_one_filter_max={max(single):.2f} "
        f"p50_ms_large_two_filters={large['filter theme+status']['p50']:.2f}"
    )


if __name__ == "__main__":
    main()
