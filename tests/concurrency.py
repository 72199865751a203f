"""Run callables at the same moment in threads, as simultaneous requests would (PostgreSQL tests)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable

from django.db import connection


def run_concurrently(targets: Iterable[Callable[[], object]]) -> list[Exception]:
    """Start every target in its own thread behind one barrier; return the exceptions raised.
    Each thread closes its own database connection, as a request would."""
    targets = list(targets)
    barrier = threading.Barrier(len(targets))
    errors: list[Exception] = []

    def run(target):
        try:
            barrier.wait()
            target()
        except Exception as exc:  # noqa: BLE001 - collected for the test to assert on
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(target,)) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors
