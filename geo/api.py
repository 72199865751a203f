"""JSON endpoints: the clustered map layer, area boundaries, address search and open data."""

from __future__ import annotations

import csv
import json
import math

from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from projects import page_cache
from projects.models import ProjectPage

from . import clustering, geocoding
from .cache_tags import INITIATIVES
from .forms import FilterForm
from .models import Area, Status
from .selectors import area_list, initiative_map_filters, open_data_rows


def _bad_request(reason: str) -> JsonResponse:
    return JsonResponse({"error": reason}, status=400)


def _parse_bbox(raw: str | None):
    if not raw:
        raise ValueError(_("Geef bbox mee als minLon,minLat,maxLon,maxLat."))
    parts = raw.split(",")
    if len(parts) != 4:
        raise ValueError(_("bbox heeft vier getallen nodig: minLon,minLat,maxLon,maxLat."))
    try:
        min_lon, min_lat, max_lon, max_lat = (float(p) for p in parts)
    except ValueError:
        raise ValueError(_("bbox bevat iets dat geen getal is.")) from None
    if not all(math.isfinite(v) for v in (min_lon, min_lat, max_lon, max_lat)):
        raise ValueError(_("bbox bevat iets dat geen getal is."))
    if not (-180 <= min_lon <= 180 and -180 <= max_lon <= 180 and -90 <= min_lat <= 90 and -90 <= max_lat <= 90):
        raise ValueError(_("bbox ligt buiten de wereldkaart (lengte -180 tot 180, breedte -90 tot 90)."))
    if min_lon >= max_lon or min_lat >= max_lat:
        raise ValueError(_("In bbox moet minLon kleiner zijn dan maxLon en minLat kleiner dan maxLat."))
    return min_lon, min_lat, max_lon, max_lat


def _parse_zoom(raw: str | None) -> int:
    try:
        zoom = int(raw or "")
    except ValueError:
        raise ValueError(_("zoom moet een heel getal zijn van 0 tot en met 22.")) from None
    if not 0 <= zoom <= 22:
        raise ValueError(_("zoom moet een heel getal zijn van 0 tot en met 22."))
    return zoom


@require_GET
@cache_control(public=True, max_age=30)
def initiatives_layer(request):
    """GET /api/geo/initiatives/?bbox=minLon,minLat,maxLon,maxLat&zoom=Z[&theme=&status=&area=&project=]"""
    try:
        bbox = _parse_bbox(request.GET.get("bbox"))
        zoom = _parse_zoom(request.GET.get("zoom"))
    except ValueError as exc:
        return _bad_request(str(exc))
    filters = {}
    if any(request.GET.get(k) for k in ("theme", "status", "area")):
        form = FilterForm(request.GET)
        if not form.is_valid():
            return _bad_request(" ".join(f"{name}: {' '.join(errs)}" for name, errs in form.errors.items()))
        filters = initiative_map_filters(**form.filter_kwargs())
    if request.GET.get("project"):
        try:
            project_id = int(request.GET["project"])
        except ValueError:
            return _bad_request(_("project moet een nummer zijn."))
        if not ProjectPage.objects.filter(pk=project_id).exists():
            return _bad_request(_("Dit project bestaat niet."))
        filters["project_id"] = project_id
    page_cache.depends_on(page_cache.SITE, INITIATIVES)
    items = clustering.features(clustering.MapQuery(bbox=bbox, zoom=zoom, filters=filters))
    return HttpResponse(clustering.feature_collection_json(items), content_type="application/geo+json")


@require_GET
@cache_control(public=True, max_age=300)
def areas_layer(request):
    """The wijk boundaries as GeoJSON, for the map's area layer."""
    features = [
        {"type": "Feature", "geometry": a.geometry, "properties": {"id": a.pk, "code": a.code, "name": a.name}}
        for a in area_list(kind=request.GET.get("kind") or Area.Kind.WIJK)
    ]
    return JsonResponse({"type": "FeatureCollection", "features": features})


@require_GET
def address_suggest(request):
    """GET /api/geo/adres/?q=... -> {"results": [{"id", "label"}]} (PDOK suggest)."""
    return geocoding.suggest_response(request.GET.get("q"))


@require_GET
def address_lookup(request):
    """GET /api/geo/adres/punt/?id=... -> {"label", "lat", "lon"} (PDOK lookup)."""
    return geocoding.lookup_response(request.GET.get("id"))


OPEN_DATA_FIELDS = [
    ("id", "pk"), ("titel", "title"), ("beschrijving", "description"), ("status", "status"), ("antwoord", "answer"),
    ("thema", "theme__name"), ("wijkcode", "area__code"), ("wijk", "area__name"), ("breedtegraad", "lat"),
    ("lengtegraad", "lon"), ("adres", "address"), ("steunbetuigingen", "support_count"), ("ingediend_op", "created_at"),
    ("beantwoord_op", "answered_at"), ("project_id", "project_id"),
]


def _open_value(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


@require_GET
def open_data_geojson(request):
    features = []
    for row in open_data_rows().iterator(chunk_size=2000):
        geometry = None if row["lat"] is None else {"type": "Point", "coordinates": [row["lon"], row["lat"]]}
        props = {name: _open_value(row[key]) for name, key in OPEN_DATA_FIELDS if key not in ("lat", "lon")}
        props["status_label"] = str(Status(row["status"]).label)
        features.append({"type": "Feature", "geometry": geometry, "properties": props})
    response = HttpResponse(
        json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False), content_type="application/geo+json"
    )
    response["Content-Disposition"] = 'attachment; filename="initiatieven.geojson"'
    return response


class _Echo:
    def write(self, value):
        return value


def _csv_safe(value):
    """Stop spreadsheet formula injection from user text."""
    value = _open_value(value)
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return "" if value is None else value


@require_GET
def open_data_csv(request):
    writer = csv.writer(_Echo())

    def rows():
        yield "\ufeff" + writer.writerow([name for name, _key in OPEN_DATA_FIELDS])
        for row in open_data_rows().iterator(chunk_size=2000):
            yield writer.writerow([_csv_safe(row[key]) for _name, key in OPEN_DATA_FIELDS])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="initiatieven.csv"'
    return response
