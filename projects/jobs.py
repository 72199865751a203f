"""One way to run background work: after the transaction commits, on an RQ queue.

``enqueue`` is the only place that knows whether Redis is configured. With a queue
marked ``ASYNC: False`` (no ``REDIS_URL``, and in tests) the job runs in-process right
after commit, and a failure is logged, never raised into the request: the record that
caused the job is already committed, and the periodic sweeps pick up what was missed.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any, Callable

from django.conf import settings
from django.db import transaction

logger = logging.getLogger(__name__)


def queue_is_async(queue: str) -> bool:
    """Whether ``queue`` goes through Redis. A queue the host did not configure in
    ``RQ_QUEUES`` (or no ``RQ_QUEUES`` at all) runs in-process, like an ``ASYNC: False`` one:
    a host without Redis still gets its jobs done."""
    config = (getattr(settings, "RQ_QUEUES", None) or {}).get(queue)
    if config is None:
        return False
    return bool(config.get("ASYNC", True))


def _run_now(func: Callable, args: tuple, kwargs: dict) -> None:
    try:
        func(*args, **kwargs)
    except Exception:  # noqa: BLE001 - a job must never break the request that queued it
        logger.exception("Job %s failed (ran in-process)", getattr(func, "__name__", func))


# One Redis client (and so one connection pool) per connection config and process. django-rq
# builds a new client, a new TCP connection and its handshake for every get_queue(); on a
# registration that was a fifth of the request's CPU. Keyed by the config, not the queue's
# name, so a changed RQ_QUEUES (tests, a reload) gets its own client; redis-py pools are
# thread-safe and reset themselves in a forked child.
_redis_clients: dict[str, Any] = {}


def _redis_client(queue: str):
    from django_rq.connection_utils import filter_connection_params, get_redis_connection

    config = settings.RQ_QUEUES[queue]
    key = repr(sorted(filter_connection_params(config).items()))
    client = _redis_clients.get(key)
    if client is None:
        client = _redis_clients[key] = get_redis_connection(config)
    return client


def _enqueue_now(func: Callable, args: tuple, kwargs: dict, queue: str, at: datetime | None, retry) -> None:
    if not queue_is_async(queue):
        if at is None:
            _run_now(func, args, kwargs)
        # Without a scheduler there is nothing to hold a timed job; the periodic sweeps
        # (see projects/schedule.py) do that work from the database instead.
        return
    import django_rq

    try:
        q = django_rq.get_queue(queue, connection=_redis_client(queue))
        options = {"retry": retry} if retry is not None else {}
        if at is None:
            q.enqueue(func, *args, **kwargs, **options)
        else:
            q.enqueue_at(at, func, *args, **kwargs, **options)
    except Exception:  # noqa: BLE001 - Redis down: the sweeps will retry from the database
        logger.exception("Could not enqueue %s on %s", getattr(func, "__name__", func), queue)


def enqueue(
    func: Callable,
    *args: Any,
    queue: str = "default",
    at: datetime | None = None,
    retry=None,
    **kwargs: Any,
) -> None:
    """Run ``func(*args, **kwargs)`` in the background once the current transaction commits.

    Pass ids, not model instances: the job fetches fresh rows. ``at`` schedules it for later
    (needs the worker's scheduler); ``retry`` is an ``rq.Retry``.
    """
    transaction.on_commit(lambda: _enqueue_now(func, args, kwargs, queue, at, retry))
