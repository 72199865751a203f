"""What dialogues' writes change on cached pages (projects/page_cache.py).

``sessions``: every list of sessions with free seats (the home page) and the figures that count
registrations; ``round:<pk>``: the round's page and the project page that shows its sessions and
outcomes. A registration changes free seats, so it changes both.
"""

from __future__ import annotations

import datetime

from projects import page_cache

SESSIONS = "sessions"


def round_tag(round_id) -> str:
    return f"round:{round_id}"


def session_tags(session) -> list[str]:
    return [SESSIONS, round_tag(session.round_id), page_cache.FIGURES]


def _of_session(instance) -> list[str]:
    return session_tags(instance.session)


def outcome_tags(outcome) -> list[str]:
    """Outcomes and their agreements are on the round page and in the accountability overview."""
    return [*session_tags(outcome.session), page_cache.COMMITMENTS]


def _of_outcome(instance) -> list[str]:
    return outcome_tags(instance.outcome)


def next_change(sessions, now) -> datetime.datetime | None:
    """The first moment after ``now`` at which a list of ``sessions`` changes by itself:
    a registration opens or closes, or a session starts (and leaves the upcoming list)."""
    moments = [
        moment for session in sessions
        for moment in (session.registration_opens_at, session.registration_closes_at, session.starts_at, session.ends_at)
        if moment is not None and moment > now
    ]
    return min(moments, default=None)


def track_writes() -> None:
    from .models import Agreement, DialogueSession, Evaluation, Quote, Registration, SessionOutcome

    page_cache.track(DialogueSession, session_tags)
    for model in (Registration, Evaluation):
        page_cache.track(model, _of_session)
    page_cache.track(SessionOutcome, outcome_tags)
    for model in (Quote, Agreement):
        page_cache.track(model, _of_outcome)
