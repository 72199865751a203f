"""Per-user limits on resident actions on initiatives (setting GEO_RATE_LIMITS)."""

from __future__ import annotations

from projects.conf import plugin_setting
from projects.ratelimit import rate_limit_hit as _hit

DEFAULT_LIMITS = {  # action: (how many, per seconds)
    "submit": (5, 3600),
    "support": (30, 600),
    "report": (10, 3600),
    "react": (10, 600),
}


def rate_limit_hit(*, user, action: str) -> bool:
    """Count one ``action`` by ``user``; True when the user went over the limit."""
    limits = {**DEFAULT_LIMITS, **(plugin_setting("GEO_RATE_LIMITS") or {})}
    limit, window = limits[action]
    return _hit(f"geo:{action}:{user.pk}", limit=limit, window=window)
