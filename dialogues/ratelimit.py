"""The public registration form's limit per IP address (setting REGISTRATION_RATE_LIMIT)."""

from __future__ import annotations

from projects.conf import plugin_setting
from projects.ratelimit import client_ip, rate_limit_hit


def rate_limited(request, scope: str) -> bool:
    """Count this request; True when the client went over the limit for ``scope``."""
    setting = plugin_setting("REGISTRATION_RATE_LIMIT")
    if not setting:
        return False
    limit, window = setting
    return rate_limit_hit(f"dialogues:{scope}:{client_ip(request)}", limit=limit, window=window)
