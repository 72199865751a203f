"""Settings for the worker and scheduler subprocesses of test_redis_outage.py: real queues on
the test's private Redis (as for test_scheduler.py) and SMTP to the test's aiosmtpd server."""

import os

from tests.projects.scheduler_settings import *  # noqa: F401,F403

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = "127.0.0.1"
EMAIL_PORT = int(os.environ["TEST_SMTP_PORT"])
EMAIL_HOST_USER = EMAIL_HOST_PASSWORD = ""
EMAIL_USE_TLS = EMAIL_USE_SSL = False
EMAIL_TIMEOUT = 5
