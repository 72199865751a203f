"""A small fixed-window rate limit on the shared cache (Redis in production), so it holds
across processes and servers. Used on the public registration form."""

from __future__ import annotations

from django.core.cache import cache

from projects.conf import plugin_setting

DEFAULT_LIMIT = (10, 600)  # 10 registrations per IP address per 10 minutes


def client_ip(request) -> str:
    # REMOTE_ADDR only: a forwarded header is trivially forged unless the proxy is configured
    # to set it, which the host does with its own middleware.
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def rate_limited(request, scope: str) -> bool:
    """Count this request; True when the client went over the limit for ``scope``."""
    setting = plugin_setting("REGISTRATION_RATE_LIMIT", DEFAULT_LIMIT)
    if not setting:
        return False
    limit, window = setting
    key = f"dialogues:rl:{scope}:{client_ip(request)}"
    if cache.add(key, 1, timeout=window):
        return False
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window)
        return False
    return count > limit
