"""The degrading cache backend against a Redis port nobody listens on (Redis down)."""

import logging
import socket
import time

import pytest

from projects import cache as cache_module
from projects.cache import ResilientRedisCache
from projects.ratelimit import rate_limit_hit


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def dead_cache():
    return ResilientRedisCache(f"redis://127.0.0.1:{_closed_port()}/0", {})


def test_redis_down_is_a_miss_and_logged_once(dead_cache, caplog):
    caplog.set_level(logging.WARNING, logger="projects.cache")
    assert dead_cache.get("k", "default") == "default"
    assert dead_cache.get_many(["a", "b"]) == {}
    assert dead_cache.add("k", 1) is False
    assert dead_cache.set("k", 1) is None
    assert dead_cache.delete("k") is False
    assert dead_cache.has_key("k") is False
    with pytest.raises(ValueError):
        dead_cache.incr("k")
    warnings = [r for r in caplog.records if r.name == "projects.cache"]
    assert len(warnings) == 1
    assert "Cache unavailable" in warnings[0].getMessage()


def test_breaker_skips_redis_after_a_failure(dead_cache, monkeypatch):
    dead_cache.get("k")
    calls = []
    monkeypatch.setattr(
        "django.core.cache.backends.redis.RedisCache.get", lambda *a, **k: calls.append(a) or "from redis"
    )
    assert dead_cache.get("k", "miss") == "miss"  # breaker open: Redis not asked
    assert calls == []
    dead_cache._down_until = time.monotonic() - 1  # breaker interval over
    assert dead_cache.get("k", "miss") == "from redis"
    assert len(calls) == 1


def test_short_socket_timeouts_by_default(dead_cache):
    assert dead_cache._options["socket_connect_timeout"] == 0.5
    assert cache_module.BREAKER_SECONDS <= 10


def test_programming_errors_still_raise(dead_cache, monkeypatch):
    def broken(*args, **kwargs):
        raise TypeError("bug")

    monkeypatch.setattr("django.core.cache.backends.redis.RedisCache.get", broken)
    with pytest.raises(TypeError):
        dead_cache.get("k")


def test_rate_limit_fails_open_with_a_log_line(monkeypatch, caplog):
    class Broken:
        def add(self, *args, **kwargs):
            raise RuntimeError("cache down")

    monkeypatch.setattr("projects.ratelimit.cache", Broken())
    caplog.set_level(logging.WARNING, logger="projects.ratelimit")
    assert rate_limit_hit("ip:1", limit=0, window=60) is False
    assert "not counted" in caplog.text


def test_rate_limit_on_a_dead_redis_allows(dead_cache, monkeypatch):
    monkeypatch.setattr("projects.ratelimit.cache", dead_cache)
    assert all(rate_limit_hit("ip:2", limit=1, window=60) is False for _ in range(5))
