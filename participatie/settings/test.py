"""Fast, isolated settings for the test suite (imports base, never dev)."""

import json
import os

from .base import *  # noqa: F401,F403
from .base import PARTICIPATIE as BASE_PARTICIPATIE
from .base import DATABASES, REDIS_URL

DEBUG = False
SECRET_KEY = "test-only-key"
ALLOWED_HOSTS = ["*"]
# A test database is thrown away: commits need not wait for the disk (on a busy PostgreSQL a
# COMMIT then waits up to a second). What other connections see is the same as with a synchronous
# commit; only durability after a server crash is given up, which no test relies on.
if DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql"):
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c synchronous_commit=off"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# App servers that a test starts as separate processes (tests/faults/test_two_app_servers.py)
# share their cache through Redis, as production's do: a per-process cache would hide exactly
# what that test looks for. The prefix keeps each run's keys apart.
if os.environ.get("TEST_SHARED_CACHE_PREFIX") and REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
                          "KEY_PREFIX": os.environ["TEST_SHARED_CACHE_PREFIX"]}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LANGUAGE_CODE = "nl"
SITE_URL = "http://testserver"
WAGTAILADMIN_BASE_URL = SITE_URL
# Jobs run in-process unless a test asks for the real queue (tests/conftest.py: rq_worker).
RQ_QUEUES = {
    name: {"URL": REDIS_URL or "redis://127.0.0.1:6379/15", "DEFAULT_TIMEOUT": 60, "ASYNC": False}
    for name in ("default", "mail")
}
# Rate limits are tested explicitly where they matter.
ACCOUNT_RATE_LIMITS = False
PARTICIPATIE = {
    **BASE_PARTICIPATIE,
    "SITE_URL": SITE_URL,
    "GEOCODER_URL": "http://127.0.0.1:9/unused",  # tests start a local fake and override this
    "GEOCODER_TIMEOUT": 1.0,
    # The page cache is off, except in the tests that switch it on (tests/projects/test_page_cache.py):
    # it raises its versions after commit, which a test inside one transaction never reaches.
    "PAGE_CACHE_ALIAS": "",
    # ...and hand the plugin settings they need to app servers they start (JSON object).
    **json.loads(os.environ.get("TEST_PARTICIPATIE_JSON") or "{}"),
}
