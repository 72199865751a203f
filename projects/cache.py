"""A Redis cache that degrades to a miss when Redis is unreachable.

The cache only makes pages faster; Wagtail's site root paths, page URLs, allauth and the
rate limiter all read it. With Django's plain ``RedisCache`` a stopped Redis turns every
page into a 500, so hosts should use this backend instead::

    CACHES = {"default": {
        "BACKEND": "projects.cache.ResilientRedisCache",
        "LOCATION": "redis://127.0.0.1:6379/0",
    }}

Only connection and timeout errors are caught (programming errors still raise). After a
failure the backend skips Redis for ``BREAKER_SECONDS`` in this process, so a dead Redis
costs at most one short connect timeout per interval, and it logs once per interval.
"""

from __future__ import annotations

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

try:  # redis-py is only needed when this backend is used
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError

    OUTAGE_ERRORS: tuple[type[BaseException], ...] = (RedisConnectionError, RedisTimeoutError, OSError)
except ImportError:  # pragma: no cover
    OUTAGE_ERRORS = (OSError,)

BREAKER_SECONDS = 5.0
LOG_INTERVAL_SECONDS = 60.0


class _Outage(Exception):
    """Raised inside the backend while the breaker is open; never leaves it."""


class ResilientRedisCache(RedisCache):
    """``RedisCache`` that acts as a miss / no-op while Redis is down (see module docstring)."""

    def __init__(self, server, params):
        options = params.setdefault("OPTIONS", {})
        options.setdefault("socket_connect_timeout", 0.5)
        options.setdefault("socket_timeout", 0.5)
        super().__init__(server, params)
        self._down_until = 0.0
        self._last_log = 0.0

    def _call(self, name, fallback, *args, **kwargs):
        now = time.monotonic()
        if now < self._down_until:
            return fallback()
        try:
            return getattr(super(), name)(*args, **kwargs)
        except OUTAGE_ERRORS as exc:
            self._down_until = now + BREAKER_SECONDS
            if now - self._last_log >= LOG_INTERVAL_SECONDS or not self._last_log:
                self._last_log = now
                logger.warning("Cache unavailable (Redis: %s); treating as a miss for %ss", exc, BREAKER_SECONDS)
            return fallback()

    def get(self, key, default=None, version=None):
        return self._call("get", lambda: default, key, default, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", dict, keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", lambda: False, key, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", lambda: False, key, value, timeout=timeout, version=version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", lambda: None, key, value, timeout=timeout, version=version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", list, data, timeout=timeout, version=version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", lambda: False, key, timeout=timeout, version=version)

    def delete(self, key, version=None):
        return self._call("delete", lambda: False, key, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", lambda: None, keys, version)

    def incr(self, key, delta=1, version=None):
        def miss():
            raise ValueError(f"Key '{key}' not found (cache unavailable)")

        return self._call("incr", miss, key, delta, version)

    def clear(self):
        return self._call("clear", lambda: False)
