"""The signed link that confirms a Top-3 of someone not logged in: no token table."""

from __future__ import annotations

from django.core import signing
from django.urls import reverse

from projects.conf import absolute_url

CONFIRM_MAX_AGE = 14 * 24 * 3600
SALT = "concerns.submission.confirm"


def make_token(submission_id: int) -> str:
    return signing.dumps({"s": submission_id}, salt=SALT, compress=True)


def read_token(token: str, *, max_age: int | None = CONFIRM_MAX_AGE) -> int | None:
    """The submission id in ``token``, or None if it is tampered or expired."""
    try:
        data = signing.loads(token, salt=SALT, max_age=max_age)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    value = data.get("s") if isinstance(data, dict) else None
    return value if isinstance(value, int) else None


def confirm_link(submission_id: int) -> str:
    return absolute_url(reverse("concerns:confirm", args=[make_token(submission_id)]))
