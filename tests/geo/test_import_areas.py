import json

import pytest
from django.core.management import CommandError, call_command

from geo.models import Area
from tests.geo.factories import InitiativeFactory, square

pytestmark = pytest.mark.django_db


def write(tmp_path, features, name="wijken.geojson"):
    path = tmp_path / name
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    return str(path)


def feature(code, name, geometry):
    return {"type": "Feature", "properties": {"statcode": code, "statnaam": name}, "geometry": geometry}


def test_import_and_update_by_code(tmp_path, capsys):
    initiative = InitiativeFactory(lat=52.03, lon=5.17)
    path = write(tmp_path, [feature("WK032101", "Houten-Noord", square(5.14, 52.02, 5.20, 52.06)),
                            feature("BU03210101", "Centrum", square(5.16, 52.02, 5.18, 52.04))])
    call_command("import_areas", path)
    assert "2 nieuw" in capsys.readouterr().out
    noord = Area.objects.get(code="WK032101")
    assert noord.kind == "wijk" and Area.objects.get(code="BU03210101").kind == "buurt"
    assert (noord.min_lon, noord.max_lat) == (5.14, 52.06)
    initiative.refresh_from_db()
    assert initiative.area == noord
    path = write(tmp_path, [feature("WK032101", "Houten Noord", square(5.10, 52.02, 5.20, 52.06))])
    call_command("import_areas", path)
    assert "0 nieuw, 1 bijgewerkt" in capsys.readouterr().out
    noord.refresh_from_db()
    assert noord.name == "Houten Noord" and noord.min_lon == 5.10 and Area.objects.count() == 2


def test_invalid_geometry_imports_nothing(tmp_path):
    bowtie = {"type": "Polygon", "coordinates": [[[5.1, 52.0], [5.2, 52.1], [5.2, 52.0], [5.1, 52.1], [5.1, 52.0]]]}
    path = write(tmp_path, [feature("WK1", "Goed", square(5.1, 52.0, 5.2, 52.1)), feature("WK2", "Fout", bowtie)])
    with pytest.raises(CommandError) as exc:
        call_command("import_areas", path)
    assert "Gebied 2 (WK2)" in str(exc.value) and "niet geldig" in str(exc.value)
    assert not Area.objects.exists()


def test_missing_code_and_bad_files(tmp_path):
    path = write(tmp_path, [{"type": "Feature", "properties": {}, "geometry": square(5.1, 52.0, 5.2, 52.1)}])
    with pytest.raises(CommandError, match="geen code of naam"):
        call_command("import_areas", path)
    bad = tmp_path / "kapot.geojson"
    bad.write_text("{niet json", encoding="utf-8")
    with pytest.raises(CommandError, match="geen geldige GeoJSON"):
        call_command("import_areas", str(bad))
    with pytest.raises(CommandError, match="bestaat niet"):
        call_command("import_areas", str(tmp_path / "weg.geojson"))
    point = write(tmp_path, [feature("WK1", "Punt", {"type": "Point", "coordinates": [5.1, 52.0]})], name="punt.geojson")
    with pytest.raises(CommandError, match="polygoon"):
        call_command("import_areas", point)
