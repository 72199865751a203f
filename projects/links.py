"""Page URLs for mail and jobs that cannot fail when the cache is down.

Wagtail's ``page.url`` reads the site root paths from Django's default cache. On a host whose
cache is a plain ``RedisCache`` that read raises while Redis is away, and inside a service's
transaction it would roll back the resident's registration or initiative. ``page_path``
falls back to reading the same root paths from the database; the result is identical.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import DatabaseError

logger = logging.getLogger(__name__)


def _site_root_paths_from_db() -> list:
    # Mirrors wagtail.models.Site.get_site_root_paths() without its cache.get/cache.set.
    from wagtail.models import Site, SiteRootPath

    result = []
    sites = Site.objects.select_related("root_page", "root_page__locale").order_by(
        "-root_page__url_path", "-is_default_site", "hostname"
    )
    for site in sites:
        if getattr(settings, "WAGTAIL_I18N_ENABLED", False):
            roots = site.root_page.get_translations(inclusive=True).select_related("locale")
        else:
            roots = [site.root_page]
        result.extend(SiteRootPath(site.id, root.url_path, site.root_url, root.locale.language_code) for root in roots)
    return result


def site_root_paths() -> list:
    """Wagtail's site root paths, from the cache when it answers, else from the database."""
    from wagtail.models import Site

    try:
        return Site.get_site_root_paths()
    except DatabaseError:
        raise
    except Exception as exc:  # noqa: BLE001 - each cache backend raises its own error types
        logger.warning("Cache unavailable for site root paths, read from the database: %s", exc)
        return _site_root_paths_from_db()


def page_path(page, default: str = "/") -> str:
    """``page.url`` (relative where possible), never failing on a cache outage. Safe to call
    inside a transaction that must commit whatever the cache does."""
    if not hasattr(page, "_wagtail_cached_site_root_paths"):
        # Wagtail's own per-instance memo: page.url then does not ask the cache.
        page._wagtail_cached_site_root_paths = site_root_paths()
    return page.url or default
