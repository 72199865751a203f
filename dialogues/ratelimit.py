"""Limits on the public registration form, counted only for valid submissions.

- per email address per session: ``PARTICIPATIE["REGISTRATION_EMAIL_RATE_LIMIT"]``, default 3 per hour;
- per IP address, a generous ceiling so a group registering from one address (library Wi-Fi,
  a community centre) is not blocked: ``PARTICIPATIE["REGISTRATION_RATE_LIMIT"]``, default 60
  per 10 minutes. Either set to ``None`` switches that limit off.
"""

from __future__ import annotations

from projects.conf import plugin_setting
from projects.ratelimit import client_ip, rate_limit_hit


def rate_limited(request, scope: str, *, email: str = "", session_id: int | None = None) -> bool:
    """Count this valid submission; True when the email (for this session) or the IP went over."""
    over = False
    email_setting = plugin_setting("REGISTRATION_EMAIL_RATE_LIMIT")
    if email_setting and email:
        limit, window = email_setting
        over |= rate_limit_hit(f"dialogues:{scope}:email:{session_id}:{email.strip().lower()}", limit=limit, window=window)
    ip_setting = plugin_setting("REGISTRATION_RATE_LIMIT")
    if ip_setting:
        limit, window = ip_setting
        over |= rate_limit_hit(f"dialogues:{scope}:{client_ip(request)}", limit=limit, window=window)
    return over
