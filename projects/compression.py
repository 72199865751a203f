"""Compressing text responses (HTML, JSON, GeoJSON, CSV, SVG) for clients that accept gzip.

Hosts add ``projects.compression.CompressTextMiddleware`` to ``MIDDLEWARE`` directly after
WhiteNoise (which serves static files precompressed) and before anything else that writes the
response. It is Django's ``GZipMiddleware`` restricted to text: photos, PDFs and spreadsheets are
already compressed, and gzipping them again costs CPU for nothing.

Why this does not open BREACH: BREACH recovers a secret from a compressed response by sending
many requests that reflect a guess next to the secret and watching the compressed length.
1. Django masks the CSRF token differently in every response, so the secret on a page is never
   the same twice and cannot be guessed byte by byte.
2. Django's GZipMiddleware (since 4.2) adds a random number of bytes to every gzip header
   ("Heal the Breach"), so lengths no longer tell whether a guess compressed well.
3. Session and login cookies travel in headers, which gzip does not touch, and pages that reflect
   input are rate limited (forms) or carry no secret (the public pages).
"""

from __future__ import annotations

from django.middleware.gzip import GZipMiddleware

COMPRESSIBLE_TYPES = (
    "text/",  # html, csv, plain, css, javascript (text/javascript)
    "application/json",
    "application/geo+json",
    "application/javascript",
    "application/xml",
    "image/svg+xml",
    "application/manifest+json",
)


def is_compressible(content_type: str) -> bool:
    media_type = (content_type or "").split(";", 1)[0].strip().lower()
    return media_type.startswith(COMPRESSIBLE_TYPES)


class CompressTextMiddleware(GZipMiddleware):
    def process_response(self, request, response):
        if not is_compressible(response.get("Content-Type", "")):
            return response
        return super().process_response(request, response)
