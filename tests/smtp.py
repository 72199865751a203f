"""A real SMTP server for tests where mail delivery matters (aiosmtpd), with Django pointed at it."""

from __future__ import annotations

import contextlib

from aiosmtpd.controller import Controller


@contextlib.contextmanager
def smtp_server(settings, handler, *, port: int):
    """Run ``handler`` (an aiosmtpd handler) on 127.0.0.1:``port`` and send Django's mail there."""
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    try:
        yield handler
    finally:
        controller.stop()
