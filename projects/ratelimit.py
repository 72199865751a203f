"""One fixed-window rate limit on the shared cache (Redis in production), so it holds across
processes and servers. Apps build their own key (per IP, per user) and pick their limits."""

from __future__ import annotations

import logging
import time

from django.core.cache import cache

logger = logging.getLogger(__name__)


def rate_limit_hit(key: str, *, limit: int, window: int) -> bool:
    """Count one hit on ``key``; True when it went over ``limit`` hits in the current window
    of ``window`` seconds.

    Fails open: when the cache cannot count (Redis down), the hit is allowed and logged. A
    limit that is briefly not enforced costs less than turning residents away in an outage.
    """
    bucket = f"rl:{key}:{int(time.time() // window)}"
    try:
        cache.add(bucket, 0, window + 5)
        try:
            count = cache.incr(bucket)
        except ValueError:  # expired between add and incr, or the cache degraded to a miss
            cache.set(bucket, 1, window + 5)
            count = 1
    except Exception as exc:  # noqa: BLE001 - any cache backend failure: fail open
        logger.warning("Rate limit %s not counted (cache unavailable: %s)", key, exc)
        return False
    return count > limit


def rate_limit_count(key: str, *, window: int) -> int:
    """Hits on ``key`` in the current window, without counting one (0 when the cache fails: open)."""
    try:
        return int(cache.get(f"rl:{key}:{int(time.time() // window)}") or 0)
    except Exception as exc:  # noqa: BLE001 - fail open, like rate_limit_hit
        logger.warning("Rate limit %s not read (cache unavailable: %s)", key, exc)
        return 0


def client_ip(request) -> str:
    # REMOTE_ADDR only: a forwarded header is trivially forged unless the proxy is configured
    # to set it, which the host does with its own middleware.
    return request.META.get("REMOTE_ADDR", "") or "unknown"
