"""Periodic sweeps for dialogues, registered in DialoguesConfig.ready() (see projects/schedule.py).

Timed work reads the database instead of holding one scheduled job per registration: a
moved session moves its reminder, and a Redis flush loses nothing.
"""

from __future__ import annotations

import logging

from . import services

logger = logging.getLogger(__name__)


def release_unconfirmed() -> int:
    """Every few minutes: give seats held by unconfirmed registrations to the next person."""
    count = services.registration_release_expired()
    if count:
        logger.info("Released %s unconfirmed registrations", count)
    return count


def send_reminders() -> int:
    """Every 15 minutes: remind people of a session starting within 24 hours."""
    return services.reminders_send()


def request_evaluations() -> int:
    """Hourly: invite attendees of sessions that ended to evaluate them."""
    return services.evaluations_request()


def purge_registrations() -> int:
    """Daily: anonymise registrations of rounds that ended longer ago than the retention period."""
    return services.retention_purge()
