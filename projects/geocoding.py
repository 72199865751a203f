"""PDOK Locatieserver client: suggest addresses, then look one up for its coordinates.

Shared by geo (initiatives) and dialogues (session venues), which do not import each other,
so it lives in ``projects``. The URL comes from ``PARTICIPATIE["GEOCODER_URL"]`` (the
``.../search/v3_1`` base), so a municipality can point elsewhere and the tests at a local
fake. Results are cached.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import socket
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from django.core.cache import cache
from django.utils.translation import gettext as _

from projects.conf import plugin_setting

logger = logging.getLogger(__name__)

CACHE_SECONDS = 24 * 3600
POINT_RE = re.compile(r"^\s*POINT\s*\(\s*(-?\d+(?:\.\d+)?)\s+(-?\d+(?:\.\d+)?)\s*\)\s*$", re.IGNORECASE)


class GeocoderError(Exception):
    """Base class; ``str(exc)`` is a Dutch message fit for the resident."""


class GeocoderUnavailable(GeocoderError):
    pass


class AddressNotFound(GeocoderError):
    pass


@dataclass(frozen=True)
class Suggestion:
    id: str
    label: str


@dataclass(frozen=True)
class Location:
    label: str
    lat: float
    lon: float


def _base_url() -> str:
    return plugin_setting("GEOCODER_URL").rstrip("/")


def _get_json(endpoint: str, params: dict) -> dict:
    url = f"{_base_url()}/{endpoint}?{urllib.parse.urlencode(params)}"
    timeout = float(plugin_setting("GEOCODER_TIMEOUT"))
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - configured https/http URL
            body = response.read(1_000_000)
    except (urllib.error.URLError, socket.timeout, TimeoutError, ConnectionError, OSError) as exc:
        logger.warning("Geocoder unavailable: %s", exc)
        raise GeocoderUnavailable(_("Het zoeken op adres werkt nu niet. Probeer het later opnieuw of klik op de kaart.")) from exc
    try:
        data = json.loads(body)
        if not isinstance(data, dict):
            raise ValueError("not an object")
        return data
    except ValueError as exc:
        logger.warning("Geocoder answered garbage: %r", body[:200])
        raise GeocoderUnavailable(_("Het zoeken op adres gaf een onbruikbaar antwoord. Probeer het later opnieuw of klik op de kaart.")) from exc


def _key(kind: str, text: str) -> str:
    return "geo:geocode:" + kind + ":" + hashlib.sha256(text.encode()).hexdigest()


def suggest(q: str, *, rows: int = 7) -> list[Suggestion]:
    """Address suggestions for what the resident typed (may be empty)."""
    q = " ".join(q.split())[:200]
    if len(q) < 3:
        return []
    key = _key("suggest", q)
    cached = cache.get(key)
    if cached is not None:
        return [Suggestion(**s) for s in cached]
    data = _get_json("suggest", {"q": q, "rows": rows, "fq": "type:(adres OR weg OR postcode)"})
    docs = (data.get("response") or {}).get("docs")
    if not isinstance(docs, list):
        raise GeocoderUnavailable(_("Het zoeken op adres gaf een onbruikbaar antwoord. Probeer het later opnieuw of klik op de kaart."))
    result = [Suggestion(id=str(d["id"]), label=str(d.get("weergavenaam", ""))) for d in docs if isinstance(d, dict) and d.get("id")]
    cache.set(key, [s.__dict__ for s in result], CACHE_SECONDS)
    return result


def lookup(suggestion_id: str) -> Location:
    """Coordinates of one suggestion. ``centroide_ll`` is WKT with longitude first."""
    key = _key("lookup", suggestion_id)
    cached = cache.get(key)
    if cached is not None:
        return Location(**cached)
    data = _get_json("lookup", {"id": suggestion_id, "fl": "id,weergavenaam,centroide_ll"})
    docs = (data.get("response") or {}).get("docs")
    if not isinstance(docs, list):
        raise GeocoderUnavailable(_("Het zoeken op adres gaf een onbruikbaar antwoord. Probeer het later opnieuw of klik op de kaart."))
    if not docs:
        raise AddressNotFound(_("Wij vinden dit adres niet. Controleer het adres of klik op de kaart."))
    doc = docs[0]
    match = POINT_RE.match(str(doc.get("centroide_ll", ""))) if isinstance(doc, dict) else None
    if not match:
        raise GeocoderUnavailable(_("Het zoeken op adres gaf een onbruikbaar antwoord. Probeer het later opnieuw of klik op de kaart."))
    lon, lat = float(match.group(1)), float(match.group(2))
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise GeocoderUnavailable(_("Het zoeken op adres gaf een onbruikbaar antwoord. Probeer het later opnieuw of klik op de kaart."))
    location = Location(label=str(doc.get("weergavenaam", "")), lat=lat, lon=lon)
    cache.set(key, location.__dict__, CACHE_SECONDS)
    return location


def geocode(address: str) -> Location:
    """The best match for a typed address (suggest, then lookup of the first suggestion)."""
    suggestions = suggest(address, rows=1)
    if not suggestions:
        raise AddressNotFound(_("Wij vinden dit adres niet. Controleer het adres of klik op de kaart."))
    return lookup(suggestions[0].id)


# --- the JSON answers of the address search endpoints (geo's public, dialogues' admin) -------

def suggest_response(q: str):
    """``{"results": [{"id", "label"}]}`` for ``q``; 400 when it is too short or too long, 503
    with a Dutch message when the service is down."""
    from django.http import JsonResponse

    q = (q or "").strip()
    if len(q) < 3:
        return JsonResponse({"error": _("Typ minstens 3 tekens.")}, status=400)
    if len(q) > 200:
        return JsonResponse({"error": _("Dit adres is te lang.")}, status=400)
    try:
        results = suggest(q)
    except GeocoderError as exc:
        return JsonResponse({"error": str(exc)}, status=503)
    return JsonResponse({"results": [{"id": s.id, "label": s.label} for s in results]})


def lookup_response(suggestion_id: str):
    """``{"label", "lat", "lon"}`` for a suggestion's id; 400 without one, 404 when it is not
    found, 503 when the service is down."""
    from django.http import JsonResponse

    suggestion_id = (suggestion_id or "").strip()
    if not suggestion_id or len(suggestion_id) > 200:
        return JsonResponse({"error": _("Kies eerst een adres uit de lijst.")}, status=400)
    try:
        location = lookup(suggestion_id)
    except AddressNotFound as exc:
        return JsonResponse({"error": str(exc)}, status=404)
    except GeocoderError as exc:
        return JsonResponse({"error": str(exc)}, status=503)
    return JsonResponse({"label": location.label, "lat": location.lat, "lon": location.lon})
