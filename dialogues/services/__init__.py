"""Writes for dialogues. Seat allocation has one home: every change of a session's seat
counters happens in this package, inside a transaction that holds the session row's lock.

Emails are stored in the outbox (``projects.mail``) inside the same transaction: they are
stored with the registration and delivered after commit, so a failing mail server never
loses or rolls back a registration. ``registration_create`` renders its mail before it locks
the session row (every registration for a session waits on that row) and only stores it
under the lock. Callers import the package: ``from dialogues import services``.
"""

from .agreements import agreement_update
from .common import STATE_MESSAGES, RegistrationError, hold_duration, waitlist_position
from .outcomes import evaluation_submit, outcome_memory_refresh, outcome_publish, outcome_unpublish
from .registrations import (
    registration_add_walk_in,
    registration_cancel,
    registration_check_in,
    registration_confirm,
    registration_create,
    registration_create_on_behalf,
    registration_release_expired,
    registrations_anonymise,
    promotion_needs_extra_seat,
    waitlist_promote,
    waitlist_promote_by_hand,
)
from .sessions import (
    session_cancel,
    session_create,
    session_delete,
    session_mark_held,
    session_message_send,
    session_update,
    session_update_capacity,
)
from .sweeps import (
    evaluation_invitations_pending,
    evaluation_invitations_send,
    evaluations_request,
    reminders_send,
    retention_cutoff,
    retention_purge,
)

__all__ = [
    "agreement_update",
    "STATE_MESSAGES", "RegistrationError", "hold_duration", "waitlist_position",
    "evaluation_submit", "outcome_publish", "outcome_unpublish",
    "registration_add_walk_in", "registration_cancel", "registration_check_in", "registration_confirm",
    "registration_create", "registration_create_on_behalf", "registration_release_expired", "registrations_anonymise",
    "promotion_needs_extra_seat", "waitlist_promote", "waitlist_promote_by_hand",
    "session_cancel", "session_create", "session_delete", "session_mark_held", "session_message_send",
    "session_update", "session_update_capacity",
    "evaluation_invitations_pending", "evaluation_invitations_send", "evaluations_request", "reminders_send", "retention_cutoff", "retention_purge",
]
