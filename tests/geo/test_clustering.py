import json
import math
import random

import pytest

from geo import clustering
from geo.models import Initiative, MapCell, Moderation
from tests.geo.factories import AreaFactory, InitiativeFactory, ThemeFactory, square

pytestmark = pytest.mark.django_db
BOX = (5.10, 51.99, 5.24, 52.06)


@pytest.fixture
def spread(monkeypatch):
    monkeypatch.setattr(clustering, "SINGLES_UP_TO", 0)  # these tests look at the clusters themselves
    rng = random.Random(4)
    green, traffic = ThemeFactory(name="Groen"), ThemeFactory(name="Verkeer")
    items = Initiative.objects.bulk_create([
        InitiativeFactory.build(lat=rng.uniform(51.995, 52.055), lon=rng.uniform(5.105, 5.235), theme=green if i % 3 else traffic)
        for i in range(120)
    ])
    InitiativeFactory(lat=52.03, lon=5.17, moderation=Moderation.PENDING)  # never on the map
    far = InitiativeFactory(lat=52.50, lon=5.50)  # outside the box
    clustering.cells_rebuild()
    return items, green, traffic, far


def in_cells(initiatives, zoom, box):
    """The published initiatives inside the grid cells the box touches (computed here, independently)."""
    size = 90.0 / 2 ** clustering.level_for(zoom, box)
    x0, x1 = math.floor((box[0] + 180) / size), math.floor((box[2] + 180) / size)
    y0, y1 = math.floor((box[1] + 90) / size), math.floor((box[3] + 90) / size)
    return sum(
        1 for i in initiatives
        if x0 <= math.floor((i.lon + 180) / size) <= x1 and y0 <= math.floor((i.lat + 90) / size) <= y1
    )


def total(features):
    return sum(f["properties"]["count"] if f["properties"].get("cluster") else 1 for f in features)


@pytest.mark.parametrize("zoom", [6, 10, 12, 13, 14, 15])
@pytest.mark.parametrize("box", [BOX, (5.15, 52.01, 5.19, 52.04), (5.0, 51.9, 5.6, 52.6)])
def test_cluster_counts_add_up(spread, zoom, box):
    items, _green, _traffic, far = spread
    features = clustering.features(clustering.MapQuery(bbox=box, zoom=zoom, filters={}))
    assert total(features) == in_cells(items + [far], zoom, box)
    assert all(f["properties"]["cluster"] for f in features)


def test_counts_at_municipality_zoom_equal_initiatives_in_box(spread):
    features = clustering.features(clustering.MapQuery(bbox=BOX, zoom=12, filters={}))
    assert total(features) == 120  # the far one is in no cell of this view


def test_filtered_counts_add_up(spread):
    items, green, _traffic, _far = spread
    greens = [i for i in items if i.theme_id == green.pk]
    for zoom in (6, 11, 14):
        features = clustering.features(clustering.MapQuery(bbox=BOX, zoom=zoom, filters={"theme_id": green.pk}))
        assert total(features) == in_cells(greens, zoom, BOX)
    features = clustering.features(clustering.MapQuery(bbox=BOX, zoom=17, filters={"theme_id": green.pk}))
    assert total(features) == len(greens)  # singles: exactly the box


def _cells():
    return set(MapCell.objects.values_list("dim", "level", "cx", "cy", "count"))


def test_cells_kept_by_writes_match_a_rebuild(db, moderator):
    from geo import services

    rng = random.Random(7)
    themes = [ThemeFactory(name="Groen"), ThemeFactory(name="Verkeer")]
    area = AreaFactory(geometry=square(5.10, 51.99, 5.17, 52.06))
    items = [
        InitiativeFactory(lat=rng.uniform(51.995, 52.055), lon=rng.uniform(5.105, 5.235), theme=rng.choice(themes),
                          area=area if i % 2 else None)
        for i in range(25)
    ]
    # Every write that moves an initiative between filters: status, theme and place, hiding.
    services.initiative_set_status(initiative=items[0], to_status="in_behandeling", answer="We kijken ernaar.", by=moderator)
    services.initiative_edit_by_moderator(initiative=items[1], moderator=moderator, note="Thema verbeterd", title=items[1].title,
                                          description=items[1].description, theme=themes[1], lat=52.02, lon=5.20, no_location=False)
    services.initiative_reject(initiative=items[2], moderator=moderator, reason="Dubbel ingediend.")
    before = _cells()
    assert {dim for dim, *_rest in before if "|" not in dim and dim.startswith("area:")} == {f"area:{area.pk}"}
    assert {dim.split(":")[0] for dim, *_rest in before if "|" not in dim} == {"", "theme", "status", "area"}
    assert any(dim.count("|") == 2 for dim, *_rest in before)  # theme, status and wijk together
    clustering.cells_rebuild()
    assert _cells() == before


@pytest.mark.parametrize("field", ["theme_id", "status", "area_id", "project_id"])
def test_a_single_filter_reads_its_cells_and_counts_right(db, field, monkeypatch, django_assert_num_queries):
    from tests.projects.factories import ProjectPageFactory

    monkeypatch.setattr(clustering, "SINGLES_UP_TO", 0)
    rng = random.Random(11)
    green, traffic = ThemeFactory(name="Groen"), ThemeFactory(name="Verkeer")
    west = AreaFactory(geometry=square(5.10, 51.99, 5.17, 52.06))
    project = ProjectPageFactory() if field == "project_id" else None
    items = [
        InitiativeFactory(
            lat=rng.uniform(51.995, 52.055), lon=rng.uniform(5.105, 5.235), theme=green if i % 3 else traffic,
            status="overgenomen" if i % 4 == 0 else "ingediend", area=west if i % 2 else None,
            project=project if i % 5 == 0 else None,
        )
        for i in range(80)
    ]
    value = {"theme_id": green.pk, "status": "overgenomen", "area_id": west.pk, "project_id": getattr(project, "pk", None)}[field]
    matching = [i for i in items if getattr(i, field) == value]
    assert 0 < len(matching) < len(items)
    with django_assert_num_queries(1):  # one range scan over the filter's cells, no GROUP BY
        features = clustering.features(clustering.MapQuery(bbox=BOX, zoom=11, filters={field: value}))
    assert total(features) == in_cells(matching, 11, BOX)
    assert all(f["properties"]["cluster"] for f in features)


@pytest.mark.parametrize("fields", [("theme_id", "status"), ("theme_id", "area_id"), ("status", "area_id"),
                                    ("theme_id", "status", "area_id"), ("project_id", "theme_id")])
def test_combined_filters_count_right(db, fields, monkeypatch, django_assert_num_queries):
    from tests.projects.factories import ProjectPageFactory

    monkeypatch.setattr(clustering, "SINGLES_UP_TO", 0)
    rng = random.Random(5)
    green, traffic = ThemeFactory(name="Groen"), ThemeFactory(name="Verkeer")
    west = AreaFactory(geometry=square(5.10, 51.99, 5.17, 52.06))
    project = ProjectPageFactory()
    items = [
        InitiativeFactory(
            lat=rng.uniform(51.995, 52.055), lon=rng.uniform(5.105, 5.235), theme=rng.choice([green, traffic]),
            status=rng.choice(["overgenomen", "ingediend"]), area=rng.choice([west, None]), project=rng.choice([project, None]),
        )
        for _ in range(120)
    ]
    values = {"theme_id": green.pk, "status": "overgenomen", "area_id": west.pk, "project_id": project.pk}
    filters = {field: values[field] for field in fields}
    matching = [i for i in items if all(getattr(i, f) == v for f, v in filters.items())]
    assert matching
    pre_aggregated = clustering.dimension_for(filters) is not None
    assert pre_aggregated == ("project_id" not in fields)  # a project's map has no further filters
    with django_assert_num_queries(1):  # cells, or one GROUP BY for the project map with a filter
        features = clustering.features(clustering.MapQuery(bbox=BOX, zoom=11, filters=filters))
    assert total(features) == in_cells(matching, 11, BOX)


def test_high_zoom_gives_single_initiatives(spread):
    items, _g, _t, _far = spread
    target = items[0]
    box = (target.lon - 0.002, target.lat - 0.001, target.lon + 0.002, target.lat + 0.001)
    features = clustering.features(clustering.MapQuery(bbox=box, zoom=17, filters={}))
    ids = {f["properties"]["id"] for f in features}
    assert target.pk in ids
    assert all(not f["properties"].get("cluster") for f in features)


def test_few_initiatives_are_shown_one_by_one_at_any_zoom(db):
    theme = ThemeFactory(name="Groen")
    items = [InitiativeFactory(lat=52.0 + i * 0.005, lon=5.12 + i * 0.01, theme=theme) for i in range(5)]
    for filters in ({}, {"theme_id": items[0].theme_id}):
        features = clustering.features(clustering.MapQuery(bbox=BOX, zoom=10, filters=filters))
        assert {f["properties"]["id"] for f in features} == {i.pk for i in items}


def test_many_points_at_high_zoom_are_clustered_and_capped(db):
    for i in range(clustering.MAX_FEATURES + 5):
        InitiativeFactory(lat=52.03 + (i % 30) * 1e-5, lon=5.17 + (i // 30) * 1e-5)
    box = (5.169, 52.029, 5.171, 52.031)
    features = clustering.features(clustering.MapQuery(bbox=box, zoom=17, filters={}))
    assert len(features) <= clustering.MAX_FEATURES
    assert total(features) == clustering.MAX_FEATURES + 5


def test_level_for_huge_box_stays_below_cell_cap():
    level = clustering.level_for(18, (-180, -90, 180, 90))
    assert level == clustering.MIN_LEVEL
    assert clustering.level_for(12, BOX) == 12


def test_payload_is_trimmed_to_max_bytes():
    items = [{"type": "Feature", "properties": {"title": "x" * 500}} for _ in range(400)]
    text = clustering.feature_collection_json(items)
    assert len(text.encode()) <= clustering.MAX_BYTES
    assert json.loads(text)["truncated"] is True
