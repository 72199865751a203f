"""Settings shared by every environment.

Everything that differs per deployment comes from environment variables; dev, test and
production each import this module and adjust only what they must (no chains between them).
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from projects.conf import DEFAULTS as PARTICIPATIE_DEFAULTS
from projects.conf import map_tiles_csp_source

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# The public address of the site, used in emails and links sent out of a request
# (jobs have no request to build absolute URLs from).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
WAGTAILADMIN_BASE_URL = SITE_URL

INSTALLED_APPS = [
    # The host site
    "home",
    # The participation plugin
    "projects",
    "dialogues",
    "geo",
    "concerns",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    # Accounts
    "allauth",
    "allauth.account",
    # Maps and jobs
    "leaflet",
    "django_rq",
    # The Content-Security-Policy header (and its system checks)
    "csp",
    # Django
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # HTML, JSON and GeoJSON gzipped for clients that accept it (why this is safe against
    # BREACH: projects/compression.py). After WhiteNoise, which serves static files precompressed.
    "projects.compression.CompressTextMiddleware",
    # Content-Security-Policy (the admin's own under /admin/) and Permissions-Policy headers.
    "home.middleware.ContentSecurityPolicyMiddleware",
    "home.middleware.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "home.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    # NUL bytes and invalid UTF-8 in the query string or form body: a 400 with a reason.
    "projects.security.RejectMalformedInputMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Anonymous pages from a cache that is never stale (projects/page_cache.py); after CSRF,
    # auth and messages, which it relies on.
    "projects.page_cache.PageCacheMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "participatie.urls"
WSGI_APPLICATION = "participatie.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "projects.context_processors.participatie",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "projects.cache.ResilientRedisCache",  # a Redis outage is a cache miss, not a 500
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "participatie",
        }
    }
else:
    # Rate limits and caches need a cache shared between processes; in the embedded
    # default (one process) the database cache does that without Redis.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "participatie_cache",
        }
    }

# projects.jobs.enqueue already waits for the commit; django-rq must not defer a second time.
RQ = {"COMMIT_MODE": "auto"}

# Background jobs. Without REDIS_URL, projects.jobs.enqueue runs jobs in-process after
# the transaction commits, so the embedded default needs no Redis at all.
RQ_QUEUES = {
    name: {"URL": REDIS_URL or "redis://127.0.0.1:6379/0", "DEFAULT_TIMEOUT": 300, "ASYNC": bool(REDIS_URL)}
    for name in ("default", "mail")
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # Django's own rule with a Dutch error message (its catalogue lacks the 5.2 wording).
    {"NAME": "projects.accounts.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    # First: refuses every login while an IP or account is over its failed-login limit,
    # the Wagtail admin's included (projects/auth.py).
    "projects.auth.LoginRateLimitBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

# Accounts: residents log in with their email address, by password or by an emailed code.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
# Mail can be slow: a resident may ask for a new code (twice) and has 10 minutes to type it;
# three wrong tries still end the attempt.
ACCOUNT_LOGIN_BY_CODE_SUPPORTS_RESEND = True
ACCOUNT_LOGIN_BY_CODE_TIMEOUT = 10 * 60
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_USER_MODEL_USERNAME_FIELD = "username"
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_ADAPTER = "projects.accounts.AccountAdapter"
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "10/h/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_email": "5/m/ip",
    "request_login_code": "20/m/ip,3/m/key",
}
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "projects:my_data"
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
# Staff log in to the Wagtail admin with the same account. Password reset and email changes go
# through allauth (/account/...) only: its mail goes through the outbox and a new address is verified.
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAIL_EMAIL_MANAGEMENT_ENABLED = False

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("Engels"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static_collected"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Participatie <noreply@example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

WAGTAIL_SITE_NAME = os.environ.get("WAGTAIL_SITE_NAME", "Participatie")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# On PostgreSQL the search stems Dutch ("bomen" finds "boom"; projects/checks.py W006 warns
# without it); SQLite keeps Wagtail's default.
if DATABASES["default"]["ENGINE"].endswith(("postgresql", "postgis")):
    WAGTAILSEARCH_BACKENDS["default"]["SEARCH_CONFIG"] = "dutch"
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024

# Maps: PDOK BRT-Achtergrondkaart by default (projects/conf.py); a municipality may use its own tiles.
# The admin's drawing map (django-leaflet) shows the same tiles as the public maps.
_MAP_TILES = {key: os.environ.get(key) or PARTICIPATIE_DEFAULTS[key] for key in ("MAP_TILES_URL", "MAP_TILES_ATTRIBUTION")}
LEAFLET_CONFIG = {
    "DEFAULT_CENTER": (52.0907, 5.1214),
    "DEFAULT_ZOOM": 12,
    "MIN_ZOOM": 6,
    "MAX_ZOOM": 19,
    "ATTRIBUTION_PREFIX": "Leaflet",
    "RESET_VIEW": False,
    "TILES": [("BRT-Achtergrondkaart", _MAP_TILES["MAP_TILES_URL"], {"attribution": _MAP_TILES["MAP_TILES_ATTRIBUTION"]})],
}

# The participation plugin. Host sites configure it here; every key and its default is in projects/conf.py.
PARTICIPATIE = {
    "SITE_URL": SITE_URL,
    **_MAP_TILES,
    # A Wagtail site setting model whose fields give the municipality's name and map
    # (municipality_name, map_center_lat, map_center_lon, map_zoom, map_bounds_*).
    "SITE_SETTINGS_MODEL": "home.SiteSettings",
    "GEOCODER_URL": os.environ.get("GEOCODER_URL", "https://api.pdok.nl/bzk/locatieserver/search/v3_1"),
    "GEOCODER_TIMEOUT": float(os.environ.get("GEOCODER_TIMEOUT", "3")),
    # Dialogues: how long an unconfirmed registration holds its seat, how long registrations
    # keep personal data after their round ended, and the public form's rate limit per IP.
    "REGISTRATION_HOLD_HOURS": int(os.environ.get("REGISTRATION_HOLD_HOURS", "24")),
    "REGISTRATION_RETENTION_MONTHS": int(os.environ.get("REGISTRATION_RETENTION_MONTHS", "12")),
    # Valid registrations per IP per 10 minutes (a generous ceiling: groups share one address),
    # and per email address per session per hour (dialogues/ratelimit.py).
    "REGISTRATION_RATE_LIMIT": (60, 600),
    "REGISTRATION_EMAIL_RATE_LIMIT": (3, 3600),
    # Page types of other participation apps that editors may add under a project.
    "PROJECT_SUBPAGE_TYPES": ["dialogues.DialogueRoundPage"],
    # Anonymous pages from the cache (projects/page_cache.py); PAGE_CACHE=off renders every request.
    "PAGE_CACHE_ALIAS": "default" if env_bool("PAGE_CACHE", True) else "",
}

# Content-Security-Policy (django-csp; home.middleware.ContentSecurityPolicyMiddleware).
# Public pages: scripts and styles only from this site, plus the few inline elements that carry
# the per-response nonce (``nonce="{{ request.csp_nonce }}"``); JSON config in
# <script type="application/json"> is data, not script, and needs none. Images may come from
# the map tile host and data: (Leaflet's blank tile); frames only from the video hosts whose
# embeds the editors may place.
_CSP_TILES = map_tiles_csp_source(_MAP_TILES["MAP_TILES_URL"])
_CSP_EMBED_HOSTS = env_list(
    "CSP_EMBED_HOSTS", "https://www.youtube.com,https://www.youtube-nocookie.com,https://player.vimeo.com"
)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:", _CSP_TILES],
        "connect-src": [SELF],
        "frame-src": [SELF, *_CSP_EMBED_HOSTS],
        "frame-ancestors": [SELF],
        "form-action": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
    }
}
# The Wagtail admin (every path under its URL prefix): Wagtail's own templates and
# django-leaflet's drawing widget still have inline scripts and style attributes without a
# nonce, so the admin allows inline code (and no nonce, which would switch 'unsafe-inline' off).
# blob: images are the previews of Wagtail's multiple-image upload. Editors are logged-in staff;
# the public policy above stays strict.
CONTENT_SECURITY_POLICY_ADMIN = {
    "DIRECTIVES": {
        **CONTENT_SECURITY_POLICY["DIRECTIVES"],
        "script-src": [SELF, UNSAFE_INLINE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:", _CSP_TILES],
    }
}
# The admin calls no outside service (and so the admin policy needs none): no Gravatar images,
# which would send a hash of each staff member's email address to a third party (AVG), and no
# update check against releases.wagtail.org (upgrades are deliberate: requirements.txt pins).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Permissions-Policy (home.middleware.PermissionsPolicyMiddleware): no page uses these browser
# features (the map asks no location: residents click or type an address), so none may.
# Features that video embeds ask for (autoplay, fullscreen, accelerometer...) are left alone.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "camera", "display-capture", "geolocation", "magnetometer", "microphone", "midi",
        "payment", "serial", "usb", "xr-spatial-tracking",
    )
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
# Says "too many attempts" on a locked admin login instead of "wrong password".
WAGTAILADMIN_USER_LOGIN_FORM = "projects.auth.AdminLoginForm"
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "SAMEORIGIN"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.request": {"level": "ERROR"}, "weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}
