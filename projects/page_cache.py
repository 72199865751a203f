"""Anonymous pages from a cache that is never stale.

**What is cached.** A GET from a visitor without a session or messages cookie, answered with a
200 HTML or JSON response by a view that said what it shows with ``depends_on(*tags)``. Every
Wagtail page does that through the ``before_serve_page`` hook (tag ``site``), unless its class
sets ``page_cache_exempt = True`` or it has view restrictions; the apps' own views and selectors
add the tags of what they read (``initiative:12``, ``round:7``, ``sessions``...). A response that
reads or writes the session, sets a cookie other than the CSRF cookie, or says ``private`` /
``no-store`` / ``no-cache`` is not stored. Logged-in visitors and anyone with a session
never get a cached page.

**Why it is never stale.** Each tag has a version number in the database (``PageCacheTag``).
A write calls ``changed(*tags)``, which raises those versions right after the write's
transaction commits (nothing happens if it rolls back). A cached entry keeps the versions of its
tags as they were read *before* the page was rendered; a hit reads the current versions (one
query) and serves the entry only when they are all equal. A write that commits while a page is
being rendered therefore always makes that rendering's entry unusable. To read versions before
rendering, the tags must be known: the first rendering of an address only learns them, the next
one stores the page. Time does the rest through ``valid_until(moment)`` (a registration that
closes at 17:00 ends the entry at 17:00). ``PAGE_CACHE_TIMEOUT`` is a backstop only.

A Redis outage is a miss (``projects.cache.ResilientRedisCache``); the versions live in the
database, so no outage can bring back an old page.

**Secrets in cached pages.** The CSRF token and the CSP nonce of the rendering are replaced by
placeholders when stored, and each hit gets its own (a fresh masked token for the visitor's
cookie, a fresh nonce in the header), so compression stays as safe as on uncached pages
(``projects.compression``).
"""

from __future__ import annotations

import contextvars
import datetime
import hashlib
import logging
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import caches
from django.db import connection, transaction
from django.http import HttpResponse
from django.middleware.csrf import _unmask_cipher_token, get_token
from django.utils import timezone
from django.utils.cache import patch_vary_headers

from .conf import plugin_setting

logger = logging.getLogger(__name__)

SITE = "site"  # every CMS page, setting, theme, area, image: what the base template and menus show
COMMITMENTS = "commitments"  # the public accountability overview: agreements, decisions, follow-up
FIGURES = "figures"  # anything counted across apps: reach, "Wat leeft er", results; every resident write


def project_tag(project_id) -> str:
    return f"project:{project_id}"


@dataclass
class _Rendering:
    tags: set[str] = field(default_factory=set)
    until: list = field(default_factory=list)  # moments or callables giving one (or None)
    refused: bool = False


_rendering: contextvars.ContextVar[_Rendering | None] = contextvars.ContextVar("page_cache_rendering", default=None)


# --- what a page shows ------------------------------------------------------------------------------


def depends_on(*tags: str) -> None:
    """Say that the response being rendered shows what ``tags`` stand for (no-op outside a
    cacheable request). A response is only cached when something declared a tag."""
    rendering = _rendering.get()
    if rendering is not None:
        rendering.tags.update(tags)


def recording() -> bool:
    """Whether the response being rendered may be cached (an anonymous GET with the cache on)."""
    return _rendering.get() is not None


def valid_until(moment) -> None:
    """The response being rendered changes by itself at ``moment`` (a datetime, or a callable
    returning one or None, called only when the page is stored)."""
    rendering = _rendering.get()
    if rendering is not None and moment is not None:
        rendering.until.append(moment)


def valid_until_tomorrow() -> None:
    """For pages that compare dates with today (running phases, open results)."""
    valid_until(_next_local_midnight)


def never_cache_this() -> None:
    """The response being rendered is for this visitor only (e.g. a form with their errors)."""
    rendering = _rendering.get()
    if rendering is not None:
        rendering.refused = True


def _next_local_midnight() -> datetime.datetime:
    today = timezone.localdate()
    return timezone.make_aware(datetime.datetime.combine(today + datetime.timedelta(days=1), datetime.time.min))


# --- what a write changed ---------------------------------------------------------------------------


def changed(*tags: str) -> None:
    """Raise the versions of ``tags`` once the current transaction commits (at once outside one).
    A failure is logged and does not touch the write, which is already committed."""
    names = sorted({t for t in tags if t})
    if names and enabled():
        transaction.on_commit(lambda: _bump(names), robust=True)


def _table() -> str:
    from .models import PageCacheTag

    return connection.ops.quote_name(PageCacheTag._meta.db_table)


def _bump(names: list[str]) -> None:
    table = _table()
    values = ", ".join(["(%s, 1)"] * len(names))
    # One statement on PostgreSQL and SQLite; rows are taken in sorted order, so two writes
    # that raise the same tags cannot deadlock.
    sql = (f"INSERT INTO {table} (name, version) VALUES {values} "
           f"ON CONFLICT (name) DO UPDATE SET version = {table}.version + 1")
    with connection.cursor() as cursor:
        cursor.execute(sql, names)


def versions(tags) -> dict[str, int]:
    from .models import PageCacheTag

    names = sorted(tags)
    found = dict(PageCacheTag.objects.filter(name__in=names).values_list("name", "version"))
    return {name: found.get(name, 0) for name in names}


def track(model, tags_of) -> None:
    """Call ``changed(*tags_of(instance))`` after every save and delete of ``model``."""
    from django.db.models.signals import post_delete, post_save

    def on_write(sender, instance, **kwargs):
        if kwargs.get("raw") or not enabled():
            return
        changed(*tags_of(instance))

    post_save.connect(on_write, sender=model, weak=False, dispatch_uid=f"page_cache:{model._meta.label}:save")
    post_delete.connect(on_write, sender=model, weak=False, dispatch_uid=f"page_cache:{model._meta.label}:delete")


# --- the middleware ---------------------------------------------------------------------------------

CSRF_PLACEHOLDER = b"__participatie_page_cache_csrf__"
NONCE_PLACEHOLDER = b"__participatie_page_cache_nonce__"
_MASKED_TOKEN = re.compile(rb"(?<![A-Za-z0-9])[A-Za-z0-9]{64}(?![A-Za-z0-9])")
_CACHEABLE_TYPES = ("text/html", "application/json", "application/geo+json")
_KEPT_HEADERS = {"content-type", "content-language", "x-robots-tag", "link", "x-frame-options", "referrer-policy",
                 "x-content-type-options", "cross-origin-opener-policy"}
_REFUSED_CACHE_CONTROL = ("private", "no-store", "no-cache")


def enabled() -> bool:
    return bool(plugin_setting("PAGE_CACHE_ALIAS"))


def _cache():
    return caches[plugin_setting("PAGE_CACHE_ALIAS")]


def _safe(call, *args, default=None):
    """A cache failure is a miss, logged; it never answers a page with a 500."""
    try:
        return call(*args)
    except Exception:  # noqa: BLE001  (any backend: Redis, database, memcached)
        logger.warning("Page cache unavailable", exc_info=True)
        return default


class PageCacheMiddleware:
    """Serves and stores anonymous pages (see the module docstring). Put it after
    ``CsrfViewMiddleware``, ``AuthenticationMiddleware`` and ``MessageMiddleware`` (checked: W007)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not (enabled() and self._request_cacheable(request)):
            return self.get_response(request)
        key = self._key(request)
        entry = _safe(_cache().get, key)
        before = None
        if entry:
            before = versions(entry["tags"])
            if entry.get("versions") == before and entry.get("body") is not None:
                return self._hit(request, entry)
        rendering = _Rendering()
        token = _rendering.set(rendering)
        try:
            response = self.get_response(request)
        finally:
            _rendering.reset(token)
        if request.method == "GET" and rendering.tags and not rendering.refused and self._response_cacheable(request, response):
            self._store(request, response, key, rendering, entry, before)
        else:
            response["X-Page-Cache"] = "bypass"
        return response

    # -- which requests and responses

    @staticmethod
    def _request_cacheable(request) -> bool:
        if request.method not in ("GET", "HEAD"):
            return False
        cookies = request.COOKIES
        if settings.SESSION_COOKIE_NAME in cookies or getattr(settings, "MESSAGE_COOKIE_NAME", "messages") in cookies:
            return False
        return "HTTP_AUTHORIZATION" not in request.META

    @staticmethod
    def _response_cacheable(request, response) -> bool:
        if response.status_code != 200 or response.streaming:
            return False
        if not response.get("Content-Type", "").split(";")[0].strip() in _CACHEABLE_TYPES:
            return False
        if any(name != settings.CSRF_COOKIE_NAME for name in response.cookies):
            return False
        if any(word in response.get("Cache-Control", "") for word in _REFUSED_CACHE_CONTROL):
            return False
        session = getattr(request, "session", None)  # read (to ask for the user) but empty is fine
        if session is not None and (session.modified or not session.is_empty()):
            return False
        user = getattr(request, "user", None)
        return not (user is not None and getattr(user, "is_authenticated", False))

    @staticmethod
    def _key(request) -> str:
        raw = "\n".join([request.get_host(), request.get_full_path(), getattr(request, "LANGUAGE_CODE", "")])
        return "participatie:page:" + hashlib.sha256(raw.encode()).hexdigest()

    # -- storing and serving

    def _store(self, request, response, key, rendering: _Rendering, entry, before) -> None:
        tags = sorted(rendering.tags)
        timeout = plugin_setting("PAGE_CACHE_TIMEOUT")
        if before is None or not rendering.tags <= set(entry["tags"]):
            # The tags were not known before this rendering, so their versions could not be read
            # in time: remember the tags; the next rendering stores the page.
            _safe(_cache().set, key, {"tags": tags, "versions": None}, timeout)
            response["X-Page-Cache"] = "learn"
            return
        now = timezone.now()
        for moment in rendering.until:
            moment = moment() if callable(moment) else moment
            if moment is not None:
                timeout = min(timeout, int((moment - now).total_seconds()))
        if timeout <= 0:
            response["X-Page-Cache"] = "bypass"
            return
        body = self._placeholders(request, response.content)
        if body is None:
            response["X-Page-Cache"] = "bypass"
            return
        stored = {
            "tags": tags, "versions": {t: before[t] for t in tags}, "body": body,
            "headers": [(k, v) for k, v in response.items() if k.lower() in _KEPT_HEADERS],
        }
        _safe(_cache().set, key, stored, timeout)
        response["X-Page-Cache"] = "miss"

    @staticmethod
    def _placeholders(request, body: bytes) -> bytes | None:
        nonce = getattr(request, "_csp_nonce", None)
        if isinstance(nonce, str) and nonce:
            body = body.replace(nonce.encode(), NONCE_PLACEHOLDER)
        secret = request.META.get("CSRF_COOKIE")
        if secret:
            def swap(match):
                token = match.group(0).decode()
                return CSRF_PLACEHOLDER if _unmask_cipher_token(token) == secret else match.group(0)

            body = _MASKED_TOKEN.sub(swap, body)
            if secret.encode() in body:  # the unmasked secret itself: never share it
                return None
        return body

    @staticmethod
    def _hit(request, entry) -> HttpResponse:
        body = entry["body"]
        if CSRF_PLACEHOLDER in body:
            body = body.replace(CSRF_PLACEHOLDER, get_token(request).encode())
        if NONCE_PLACEHOLDER in body:
            body = body.replace(NONCE_PLACEHOLDER, str(request.csp_nonce).encode())
        response = HttpResponse(body if request.method == "GET" else b"")
        for name, value in entry["headers"]:
            response[name] = value
        if request.method == "HEAD":
            response["Content-Length"] = str(len(body))
        patch_vary_headers(response, ("Cookie",))  # as the rendered page would say: never shared across visitors
        response["X-Page-Cache"] = "hit"
        return response
