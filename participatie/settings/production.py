"""Production: secure by default. Refuses to start when misconfigured."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F401,F403
from .base import SECRET_KEY, env_bool

DEBUG = env_bool("DEBUG", False)
if DEBUG:
    raise ImproperlyConfigured("DEBUG must be off in production.")
if not SECRET_KEY or len(SECRET_KEY) < 50 or SECRET_KEY.startswith(("dev-", "test-", "django-insecure")):
    raise ImproperlyConfigured("Set SECRET_KEY to a long random value (50 characters or more).")

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# Uploaded media (photos, documents, report PDFs) on S3-compatible storage when a bucket is set,
# so every app server and worker sees the same files; otherwise MEDIA_ROOT, which then has to be
# one shared disk for all of them.
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
if AWS_STORAGE_BUCKET_NAME:
    media_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            # Unset keys leave boto3 to its own chain (instance role, ~/.aws, AWS_* variables).
            "access_key": os.environ.get("AWS_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("AWS_SECRET_ACCESS_KEY") or None,
            "custom_domain": os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None,
            "location": os.environ.get("AWS_LOCATION", ""),
            "addressing_style": os.environ.get("AWS_S3_ADDRESSING_STYLE") or None,
            # Residents' photos are personal data: the bucket stays private and media URLs are
            # signed and expire, unless the municipality serves a public bucket or CDN domain.
            "querystring_auth": env_bool("AWS_QUERYSTRING_AUTH", True),
            "querystring_expire": int(os.environ.get("AWS_QUERYSTRING_EXPIRE", "3600")),
            "default_acl": None,
            # Names are unique (photos) or immutable once written (frozen report PDFs, live PDFs
            # named by content hash): two workers writing the same name write the same bytes,
            # and overwriting avoids an orphaned "_abc123" copy next to the one the row names.
            "file_overwrite": True,
        },
    }
    # Pages show media from the bucket (or its CDN domain): the CSP must allow that origin for images.
    _options = media_storage["OPTIONS"]
    if _options["custom_domain"]:
        _media_origin = "https://" + _options["custom_domain"].split("/")[0]
    elif _options["endpoint_url"]:
        _media_origin = _options["endpoint_url"].rstrip("/")
    else:
        _media_origin = "https://*.amazonaws.com"
    for _policy in (CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY_ADMIN):  # noqa: F405 - from base
        _policy["DIRECTIVES"]["img-src"] = [*_policy["DIRECTIVES"]["img-src"], _media_origin]
else:
    media_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": media_storage,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

SILENCED_SYSTEM_CHECKS = [
    # Wagtail's live preview shows the page in a same-origin iframe, so DENY would break it.
    "security.W019",
    # HSTS preload is a domain-wide, hard-to-undo commitment; the municipality opts in with
    # SECURE_HSTS_PRELOAD=true once all its subdomains serve HTTPS.
    "security.W021",
]
