"""Signed personal links (confirm, cancel, evaluate): no login, no token table.

Each purpose has its own salt, so a cancel link can never confirm and vice versa.
Whether a link was already used follows from the registration's status.
"""

from __future__ import annotations

from django.core import signing
from django.urls import reverse

from projects.conf import absolute_url

CONFIRM_MAX_AGE = 7 * 24 * 3600
SALTS = {"confirm": "dialogues.registration.confirm", "cancel": "dialogues.registration.cancel", "evaluate": "dialogues.registration.evaluate"}


def make_token(registration_id: int, purpose: str) -> str:
    return signing.dumps({"r": registration_id}, salt=SALTS[purpose], compress=True)


def read_token(token: str, purpose: str, *, max_age: int | None = None) -> int | None:
    """The registration id in ``token``, or None if it is tampered or expired."""
    try:
        data = signing.loads(token, salt=SALTS[purpose], max_age=max_age)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    value = data.get("r") if isinstance(data, dict) else None
    return value if isinstance(value, int) else None


def link(registration_id: int, purpose: str) -> str:
    names = {"confirm": "dialogues:confirm", "cancel": "dialogues:cancel", "evaluate": "dialogues:evaluate"}
    return absolute_url(reverse(names[purpose], args=[make_token(registration_id, purpose)]))
