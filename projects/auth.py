"""A brute-force limit for every login that goes through ``django.contrib.auth.authenticate``,
the Wagtail admin's included (allauth's own limits only cover allauth's forms).

Put ``"projects.auth.LoginRateLimitBackend"`` first in ``AUTHENTICATION_BACKENDS``. Failed
logins are counted from ``user_login_failed`` with the shared limiter (``projects/ratelimit.py``),
per client IP and per account (the username or email, lower-cased); while either is over its
limit the backend raises ``PermissionDenied``, which stops ``authenticate()`` before the
password is even checked. Limits: ``PARTICIPATIE["LOGIN_FAILED_RATE_LIMITS"]``, by default the
same numbers as allauth's ``login_failed`` in the demo host (10 per minute per IP, 5 per 5
minutes per account).

For a friendly message on the Wagtail admin login, set
``WAGTAILADMIN_USER_LOGIN_FORM = "projects.auth.AdminLoginForm"``.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm

from .conf import plugin_setting
from .ratelimit import client_ip, rate_limit_count, rate_limit_hit

DEFAULT_LIMITS = {"ip": (10, 60), "account": (5, 300)}
LOCKED_ATTRIBUTE = "_participatie_login_locked"


def _limits():
    return {**DEFAULT_LIMITS, **(plugin_setting("LOGIN_FAILED_RATE_LIMITS") or {})}


def _account(credentials) -> str:
    """One key per account whichever form was used: the admin logs in by username, allauth by
    email; an unknown name is counted as typed so guessing names is limited too."""
    value = str(credentials.get("username") or credentials.get("email") or credentials.get("login") or "")
    value = value.strip().lower()[:254]
    if not value or "\x00" in value:
        return value.replace("\x00", "")
    user_model = get_user_model()
    pk = (
        user_model._default_manager.filter(
            Q(**{f"{user_model.USERNAME_FIELD}__iexact": value}) | Q(email__iexact=value)
        )
        .values_list("pk", flat=True)
        .first()
    )
    return f"user-{pk}" if pk is not None else value


def _keys(request, credentials):
    limits = _limits()
    keys = []
    if request is not None:
        keys.append((f"login-failed:ip:{client_ip(request)}", *limits["ip"]))
    account = _account(credentials)
    if account:
        keys.append((f"login-failed:account:{account}", *limits["account"]))
    return keys


def login_locked(request, credentials) -> bool:
    """Whether this IP or account has used up its failed logins in the current window."""
    return any(rate_limit_count(key, window=window) >= limit for key, limit, window in _keys(request, credentials))


class LoginRateLimitBackend:
    """Authenticates nobody; refuses to let the other backends try while a limit is exceeded."""

    def authenticate(self, request, **credentials):
        if login_locked(request, credentials):
            if request is not None:
                setattr(request, LOCKED_ATTRIBUTE, True)
            raise PermissionDenied("too many failed logins")
        return None

    # No get_user(): this backend never logs anyone in, and Django's test client and
    # login() pick the first backend that has one.


@receiver(user_login_failed, dispatch_uid="projects.auth.count_failed_login")
def count_failed_login(sender, credentials, request=None, **kwargs):
    if request is not None and getattr(request, LOCKED_ATTRIBUTE, False):
        return  # a refused attempt does not extend the lock
    for key, limit, window in _keys(request, credentials):
        rate_limit_hit(key, limit=limit, window=window)


class AdminLoginForm(LoginForm):
    """Wagtail's login form, saying why when the login is locked instead of 'wrong password'."""

    def get_invalid_login_error(self):
        if getattr(self.request, LOCKED_ATTRIBUTE, False):
            return ValidationError(
                _("Te veel mislukte pogingen om in te loggen. Wacht een paar minuten en probeer het opnieuw."),
                code="locked",
            )
        return super().get_invalid_login_error()
