"""Periodic jobs of the Top-3 (registered in ``apps.ConcernsConfig.ready``)."""

from .services import unconfirmed_purge


def unconfirmed_purge_job() -> int:
    return unconfirmed_purge()
