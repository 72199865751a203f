"""Server-side grid clustering for the map, done in SQL so it works on SQLite and PostgreSQL.

A grid level ``z`` has square cells of ``90 / 2**z`` degrees, about 64 screen pixels at
zoom ``z``. The public map reads pre-aggregated ``MapCell`` rows (kept up to date by the
services in the same transaction), so its cost does not grow with the number of initiatives.
Cells exist per *dimension*: all public initiatives (``""``), each theme, status, area and
project (``"theme:3"``) and each combination of theme, status and area the map's filter form can
ask (``"status:ingediend|theme:3"``), so a filtered view reads cells as well
(``DIMENSION_SETS``). Any other filter groups the initiatives inside the bounding box on the fly.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

from django.db import connection, models, transaction
from django.db.models import Avg, Count, F, Sum

from .models import Initiative, MapCell, Moderation

MIN_LEVEL = 3
MAX_LEVEL = 18
LEVELS = range(MIN_LEVEL, MAX_LEVEL + 1)
SINGLES_FROM_ZOOM = 16  # from this zoom on, single initiatives (if few enough)
SINGLES_UP_TO = 100  # at any zoom, a view with this few initiatives shows them one by one
MAX_FEATURES = 500
MAX_CELLS = 400  # cells a view may span; a coarser level is chosen above this
MAX_BYTES = 100_000


def cell_size(level: int) -> float:
    return 90.0 / (2**level)


def cell_of(lat: float, lon: float, level: int) -> tuple[int, int]:
    size = cell_size(level)
    return math.floor((lon + 180.0) / size), math.floor((lat + 90.0) / size)


class CellIndex(models.Func):
    """floor(expression / size) as an integer, natively on SQLite and PostgreSQL
    (the expression is never negative: longitudes and latitudes are shifted first)."""

    output_field = models.IntegerField()

    def __init__(self, expression, size: float):
        super().__init__(expression / models.Value(size), output_field=models.IntegerField())

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="CAST(%(expressions)s AS INTEGER)", **extra)

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="FLOOR(%(expressions)s)::integer", **extra)

    def as_sql(self, compiler, connection, template=None, **extra):
        if template is None:
            template = "CAST(FLOOR(%(expressions)s) AS INTEGER)"
        return super().as_sql(compiler, connection, template=template, **extra)


def level_for(zoom: int, bbox: tuple[float, float, float, float]) -> int:
    """The finest level not finer than ``zoom`` whose cells over ``bbox`` stay below MAX_CELLS."""
    min_lon, min_lat, max_lon, max_lat = bbox
    level = max(MIN_LEVEL, min(zoom, MAX_LEVEL))
    while level > MIN_LEVEL:
        x0, y0 = cell_of(min_lat, min_lon, level)
        x1, y1 = cell_of(max_lat, max_lon, level)
        if (x1 - x0 + 1) * (y1 - y0 + 1) <= MAX_CELLS:
            break
        level -= 1
    return level


# --- keeping MapCell up to date -------------------------------------------------------

def is_on_map(initiative: Initiative) -> bool:
    return initiative.moderation == Moderation.PUBLISHED and initiative.lat is not None


# The filters a MapCell dimension stands for: name -> Initiative field.
DIMENSIONS = {"theme": "theme_id", "status": "status", "area": "area_id", "project": "project_id"}
# The filters and combinations of filters that have cells of their own: what the map's filter
# form can ask (theme, status and wijk, in any combination) and a project's own map. Anything
# else is grouped on the fly.
DIMENSION_SETS = (
    ("theme",), ("status",), ("area",), ("project",),
    ("theme", "status"), ("theme", "area"), ("status", "area"), ("theme", "status", "area"),
)
FIELD_DIMENSION = {field: name for name, field in DIMENSIONS.items()}


def dimension_key(values: dict) -> str:
    """``{"theme": 3, "status": "ingediend"}`` -> ``"status:ingediend|theme:3"`` ("" for none)."""
    return "|".join(f"{name}:{values[name]}" for name in sorted(values))


def dimensions_of(values: dict) -> tuple[str, ...]:
    """The cell dimensions an initiative counts in, from its field values: all, and every
    dimension set whose fields it all has (an initiative without a wijk is in no wijk's cells)."""
    named = {FIELD_DIMENSION[field]: value for field, value in values.items() if value not in (None, "")}
    dims = [""]
    for names in DIMENSION_SETS:
        if all(name in named for name in names):
            dims.append(dimension_key({name: named[name] for name in names}))
    return tuple(dims)


def dimension_for(filters: dict) -> str | None:
    """The dimension whose cells answer ``filters`` (Initiative lookups) exactly, or None."""
    try:
        named = {FIELD_DIMENSION[field]: value for field, value in filters.items()}
    except KeyError:
        return None
    if named and tuple(sorted(named)) not in {tuple(sorted(names)) for names in DIMENSION_SETS}:
        return None
    return dimension_key(named)


def cells_apply(*, lat: float, lon: float, sign: int, dims: tuple[str, ...] = ("",)) -> None:
    """Add (sign=1) or remove (sign=-1) one public initiative at (lat, lon) in every level and
    dimension, in one INSERT ... ON CONFLICT DO UPDATE (SQLite and PostgreSQL): the counters
    are incremented in the database, so simultaneous writes never lose an update."""
    rows = []
    for dim in dims:
        for level in LEVELS:
            cx, cy = cell_of(lat, lon, level)
            rows.append((dim, level, cx, cy, sign, sign * lat, sign * lon))
    table = connection.ops.quote_name(MapCell._meta.db_table)
    placeholders = ", ".join(["(%s, %s, %s, %s, %s, %s, %s)"] * len(rows))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (dim, level, cx, cy, count, sum_lat, sum_lon) VALUES {placeholders} "
            f"ON CONFLICT (dim, level, cy, cx) DO UPDATE SET count = {table}.count + excluded.count, "
            f"sum_lat = {table}.sum_lat + excluded.sum_lat, sum_lon = {table}.sum_lon + excluded.sum_lon",
            [value for row in rows for value in row],
        )
    if sign < 0:
        MapCell.objects.filter(dim__in=dims, count__lte=0).delete()


def cells_track(before: tuple | None, after: tuple | None) -> None:
    """Move an initiative's map presence from ``before`` to ``after`` (``map_position``)."""
    if before == after:
        return
    if before is not None:
        cells_apply(lat=before[0], lon=before[1], sign=-1, dims=before[2])
    if after is not None:
        cells_apply(lat=after[0], lon=after[1], sign=1, dims=after[2])


def map_position(initiative: Initiative) -> tuple[float, float, tuple[str, ...]] | None:
    """Where and in which dimensions the initiative counts on the map; None when it is not on it.
    Take it before and after a change and hand both to ``cells_track``."""
    if not is_on_map(initiative):
        return None
    values = {field: getattr(initiative, field) for field in DIMENSIONS.values()}
    return (initiative.lat, initiative.lon, dimensions_of(values))


@transaction.atomic
def cells_rebuild(*, initiative_model=Initiative, cell_model=MapCell) -> int:
    """Recompute every MapCell from the initiatives (after bulk loads, area imports, repairs).
    The models can be given, so a data migration can run it with its historical models."""
    if connection.vendor == "postgresql":
        # Writers wait until the rebuild commits and then apply their change to the new
        # rows; a writer already under way finishes first and is seen by the rebuild.
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {cell_model._meta.db_table} IN EXCLUSIVE MODE")
    cell_model.objects.all().delete()
    public = initiative_model.objects.filter(moderation=Moderation.PUBLISHED, lat__isnull=False)
    created = 0
    for names in [(), *DIMENSION_SETS]:
        fields = [DIMENSIONS[name] for name in names]
        for level in LEVELS:
            size = cell_size(level)
            rows = (
                public.annotate(cx=CellIndex(F("lon") + 180.0, size), cy=CellIndex(F("lat") + 90.0, size))
                .values("cx", "cy", *fields)
                .annotate(n=Count("id"), slat=Sum("lat"), slon=Sum("lon"))
                .order_by()
            )
            for field in fields:
                rows = rows.filter(**{f"{field}__isnull": False})
            batch = [
                cell_model(dim=dimension_key({name: r[DIMENSIONS[name]] for name in names}), level=level, cx=r["cx"],
                           cy=r["cy"], count=r["n"], sum_lat=r["slat"], sum_lon=r["slon"])
                for r in rows
            ]
            cell_model.objects.bulk_create(batch, batch_size=1000)
            created += len(batch)
    return created


# --- reading ----------------------------------------------------------------------------

@dataclass(frozen=True)
class MapQuery:
    bbox: tuple[float, float, float, float]
    zoom: int
    filters: dict  # lookups on Initiative, e.g. {"theme_id": 3}


def _cluster(lon: float, lat: float, count: int) -> dict:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]},
        "properties": {"cluster": True, "count": count},
    }


def _single(row: dict) -> dict:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [round(row["lon"], 6), round(row["lat"], 6)]},
        "properties": {
            "id": row["pk"],
            "title": row["title"][:80],
            "status": row["status"],
            "theme": row["theme__name"],
            "supporters": row["support_count"],
            "reactions": row["reaction_count"],
        },
    }


def _in_bbox(qs, bbox):
    min_lon, min_lat, max_lon, max_lat = bbox
    return qs.filter(lat__gte=min_lat, lat__lte=max_lat, lon__gte=min_lon, lon__lte=max_lon)


def cell_range(level: int, bbox) -> tuple[int, int, int, int]:
    """(x0, y0, x1, y1): the grid cells at ``level`` that the bounding box touches."""
    min_lon, min_lat, max_lon, max_lat = bbox
    x0, y0 = cell_of(min_lat, min_lon, level)
    x1, y1 = cell_of(max_lat, max_lon, level)
    return x0, y0, x1, y1


def features(query: MapQuery) -> list[dict]:
    """GeoJSON features for the map view: clusters with counts, or single initiatives.

    Clusters are whole grid cells: a view shows every cell it touches, with all the
    initiatives in that cell (also those just past the edge of the view, as a map that
    pans expects). So cluster counts add up to the initiatives in the view's cells.
    """
    public = Initiative.objects.filter(moderation=Moderation.PUBLISHED, lat__isnull=False, **query.filters)
    if query.zoom >= SINGLES_FROM_ZOOM:
        rows = list(
            _in_bbox(public, query.bbox)
            .order_by("-support_count", "pk")
            .values("pk", "lat", "lon", "title", "status", "theme__name", "support_count", "reaction_count")[: MAX_FEATURES + 1]
        )
        if len(rows) <= MAX_FEATURES:
            return [_single(r) for r in rows]
    level = level_for(query.zoom, query.bbox)
    x0, y0, x1, y1 = cell_range(level, query.bbox)
    dim = dimension_for(query.filters)
    if dim is not None:
        rows = MapCell.objects.filter(
            dim=dim, level=level, cy__gte=y0, cy__lte=y1, cx__gte=x0, cx__lte=x1, count__gt=0,
        ).values_list("count", "sum_lat", "sum_lon")[:MAX_FEATURES]
        clusters = [_cluster(sum_lon / count, sum_lat / count, count) for count, sum_lat, sum_lon in rows]
        return _singles_if_few(public, query.bbox, clusters)
    size = cell_size(level)
    margin = size * 1e-6  # the index narrows by degrees, the cell numbers decide exactly
    cells_box = (x0 * size - 180.0 - margin, y0 * size - 90.0 - margin, (x1 + 1) * size - 180.0 + margin, (y1 + 1) * size - 90.0 + margin)
    rows = (
        _in_bbox(public, cells_box)
        .annotate(cx=CellIndex(F("lon") + 180.0, size), cy=CellIndex(F("lat") + 90.0, size))
        .filter(cx__gte=x0, cx__lte=x1, cy__gte=y0, cy__lte=y1)
        .values("cx", "cy")
        .annotate(n=Count("id"), alat=Avg("lat"), alon=Avg("lon"))
        .order_by()[:MAX_FEATURES]
    )
    return _singles_if_few(public, query.bbox, [_cluster(r["alon"], r["alat"], r["n"]) for r in rows])


def _singles_if_few(public, bbox, clusters: list[dict]) -> list[dict]:
    """Few initiatives in view (a small municipality, a narrow filter): show each one."""
    if sum(c["properties"]["count"] for c in clusters) > SINGLES_UP_TO:
        return clusters
    rows = _in_bbox(public, bbox).order_by("-support_count", "pk").values(
        "pk", "lat", "lon", "title", "status", "theme__name", "support_count", "reaction_count"
    )[:SINGLES_UP_TO]
    return [_single(r) for r in rows]


def feature_collection_json(items: list[dict]) -> str:
    """Compact GeoJSON text, trimmed to MAX_BYTES (a safety net; views stay far below)."""
    text = json.dumps({"type": "FeatureCollection", "features": items}, separators=(",", ":"), ensure_ascii=False)
    while len(text.encode()) > MAX_BYTES and items:
        items = items[: len(items) * 3 // 4]
        text = json.dumps({"type": "FeatureCollection", "features": items, "truncated": True}, separators=(",", ":"), ensure_ascii=False)
    return text
