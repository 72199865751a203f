"""One fixed-window rate limit on the shared cache (Redis in production), so it holds across
processes and servers. Apps build their own key (per IP, per user) and pick their limits."""

from __future__ import annotations

import time

from django.core.cache import cache


def rate_limit_hit(key: str, *, limit: int, window: int) -> bool:
    """Count one hit on ``key``; True when it went over ``limit`` hits in the current window
    of ``window`` seconds."""
    bucket = f"rl:{key}:{int(time.time() // window)}"
    cache.add(bucket, 0, window + 5)
    try:
        count = cache.incr(bucket)
    except ValueError:  # expired between add and incr
        cache.set(bucket, 1, window + 5)
        count = 1
    return count > limit


def rate_limit_count(key: str, *, window: int) -> int:
    """Hits on ``key`` in the current window, without counting one."""
    return int(cache.get(f"rl:{key}:{int(time.time() // window)}") or 0)


def client_ip(request) -> str:
    # REMOTE_ADDR only: a forwarded header is trivially forged unless the proxy is configured
    # to set it, which the host does with its own middleware.
    return request.META.get("REMOTE_ADDR", "") or "unknown"
