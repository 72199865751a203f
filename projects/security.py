"""Request hygiene shared by the plugin's views.

``RejectMalformedInputMiddleware`` is the one place that turns malformed input into a 400 with
a reason before any view runs: a NUL byte anywhere in the query string or form body (PostgreSQL
refuses NUL in text, so it would surface as a 500), and query strings or bodies that are not
valid UTF-8 (Django would otherwise replace the bytes silently or fail deep inside a view).
Add it to ``MIDDLEWARE`` after ``CommonMiddleware``. JSON endpoints (paths under ``/api/`` or
ending in ``.json``/``.geojson``) get a JSON body, everything else plain text.
"""

from __future__ import annotations

from urllib.parse import unquote_to_bytes

from django.http import HttpResponseBadRequest, JsonResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _


def safe_next_url(request, value: str | None) -> str | None:
    """``value`` when it is a local path on this site, else None (never reversed as a URL name)."""
    if not value or not value.startswith("/") or value.startswith("//"):
        return None
    if not url_has_allowed_host_and_scheme(value, {request.get_host()}, request.is_secure()):
        return None
    return value


def _wants_json(path: str) -> bool:
    return "/api/" in path or path.endswith((".json", ".geojson"))


def _problem(raw: bytes) -> str | None:
    try:
        decoded = unquote_to_bytes(raw.replace(b"+", b" "))
    except Exception:  # pragma: no cover - unquote_to_bytes accepts any bytes
        return _("De aanvraag kon niet worden gelezen.")
    if b"\x00" in decoded:
        return _("De aanvraag bevat een ongeldig teken (NUL).")
    try:
        decoded.decode("utf-8")
    except UnicodeDecodeError:
        return _("De aanvraag bevat tekens die geen geldige UTF-8 zijn.")
    return None


class RejectMalformedInputMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        reason = _problem(request.META.get("QUERY_STRING", "").encode("latin-1", "replace"))
        if reason is None and request.method in ("POST", "PUT", "PATCH", "DELETE"):
            content_type = request.META.get("CONTENT_TYPE", "")
            if content_type.startswith("application/x-www-form-urlencoded"):
                try:
                    body = request.body
                except Exception:  # too large: Django raises RequestDataTooBig (a 400 itself)
                    body = b""
                reason = _problem(body)
            elif content_type.startswith("multipart/form-data"):
                reason = self._multipart_problem(request)
        if reason is not None:
            if _wants_json(request.path):
                return JsonResponse({"error": reason}, status=400)
            return HttpResponseBadRequest(reason, content_type="text/plain; charset=utf-8")
        return self.get_response(request)

    @staticmethod
    def _multipart_problem(request):
        try:
            values = [v for _k, vs in request.POST.lists() for v in vs]
        except Exception:
            return _("De aanvraag kon niet worden gelezen.")
        if any("\x00" in v for v in values):
            return _("De aanvraag bevat een ongeldig teken (NUL).")
        return None
