"""Limits on the public Top-3 form, counted on valid submissions only.

Per IP address a generous ceiling (a community centre's Wi-Fi), per email address a small one
(someone not logged in cannot flood a stranger's inbox with confirmation links), per account
one in between. Fixed here: the plugin's settings live in ``projects.conf``, which this app
does not extend.
"""

from __future__ import annotations

from projects.ratelimit import client_ip, rate_limit_hit

LIMITS = {  # what: (how many, per seconds)
    "ip": (30, 3600),
    "email": (3, 3600),
    "user": (5, 3600),
}


def rate_limited(request, *, email: str = "") -> bool:
    """Count one valid submission; True when the IP, the email or the account went over."""
    over = rate_limit_hit(f"concerns:ip:{client_ip(request)}", limit=LIMITS["ip"][0], window=LIMITS["ip"][1])
    if email:
        limit, window = LIMITS["email"]
        over |= rate_limit_hit(f"concerns:email:{email.strip().lower()}", limit=limit, window=window)
    if request.user.is_authenticated:
        limit, window = LIMITS["user"]
        over |= rate_limit_hit(f"concerns:user:{request.user.pk}", limit=limit, window=window)
    return over
