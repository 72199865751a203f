"""Per-user rate limits on resident actions, counted in the shared cache (works across processes)."""

from __future__ import annotations

import time

from django.core.cache import cache

from projects.conf import plugin_setting

DEFAULT_LIMITS = {  # action: (how many, per seconds)
    "submit": (5, 3600),
    "support": (30, 600),
    "report": (10, 3600),
}


def rate_limit_hit(*, user, action: str) -> bool:
    """Count one ``action`` by ``user``; True when the user went over the limit."""
    limits = {**DEFAULT_LIMITS, **(plugin_setting("GEO_RATE_LIMITS") or {})}
    limit, window = limits[action]
    key = f"geo:rl:{action}:{user.pk}:{int(time.time() // window)}"
    cache.add(key, 0, window + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window + 5)
        count = 1
    return count > limit
