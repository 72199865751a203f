"""Settings for the scheduler and worker subprocesses of test_scheduler.py: the test
settings with real (asynchronous) queues on the test's private Redis."""

from participatie.settings.test import *  # noqa: F401,F403
from participatie.settings.test import REDIS_URL

RQ_QUEUES = {name: {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 60, "ASYNC": True} for name in ("default", "mail")}
