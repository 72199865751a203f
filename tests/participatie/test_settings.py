"""Production settings refuse unsafe configuration and pass Django's deployment checks."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args, **env):
    environment = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    environment.update({"DJANGO_SETTINGS_MODULE": "participatie.settings.production", **env})
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_is_clean_with_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING",
                        SECRET_KEY=secrets.token_urlsafe(60), ALLOWED_HOSTS="participatie.example.nl")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    "env, message",
    [
        ({"SECRET_KEY": ""}, "Set SECRET_KEY"),
        ({"SECRET_KEY": "short"}, "Set SECRET_KEY"),
        ({"SECRET_KEY": "dev-only-insecure-key-never-use-in-production" * 2}, "Set SECRET_KEY"),
        ({"SECRET_KEY": secrets.token_urlsafe(60), "DEBUG": "true"}, "DEBUG must be off"),
    ],
)
def test_production_refuses_to_start_when_unsafe(env, message):
    result = run_manage("check", **env)
    assert result.returncode != 0
    assert message in result.stderr


def test_every_cookie_is_secure_and_samesite_in_production():
    code = (
        "from django.conf import settings as s; "
        "print([s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.LANGUAGE_COOKIE_SECURE, "
        "s.SESSION_COOKIE_SAMESITE, s.CSRF_COOKIE_SAMESITE, s.LANGUAGE_COOKIE_SAMESITE, "
        "s.SESSION_COOKIE_HTTPONLY, s.LANGUAGE_COOKIE_HTTPONLY])"
    )
    result = run_manage("shell", "-c", code, SECRET_KEY=secrets.token_urlsafe(60), ALLOWED_HOSTS="participatie.example.nl")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[True, True, True, 'Lax', 'Lax', 'Lax', True, True]"


SHOW_MEDIA_STORAGE = (
    "from django.core.files.storage import storages; s = storages['default']; "
    "print(type(s).__name__, getattr(s, 'bucket_name', '-'), getattr(s, 'endpoint_url', '-'), getattr(s, 'querystring_auth', '-'))"
)


def test_production_media_on_s3_when_a_bucket_is_set():
    result = run_manage("shell", "-c", SHOW_MEDIA_STORAGE, SECRET_KEY=secrets.token_urlsafe(60),
                        AWS_STORAGE_BUCKET_NAME="gemeente-media", AWS_S3_ENDPOINT_URL="https://s3.example.nl",
                        AWS_S3_REGION_NAME="nl-ams")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == ["S3Storage", "gemeente-media", "https://s3.example.nl", "True"]
    # Pages show those images, so both content security policies allow the bucket's origin.
    code = ("from django.conf import settings as s; print(s.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'][-1], "
            "s.CONTENT_SECURITY_POLICY_ADMIN['DIRECTIVES']['img-src'][-1])")
    result = run_manage("shell", "-c", code, SECRET_KEY=secrets.token_urlsafe(60),
                        AWS_STORAGE_BUCKET_NAME="gemeente-media", AWS_S3_ENDPOINT_URL="https://s3.example.nl")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == ["https://s3.example.nl", "https://s3.example.nl"]


def test_production_media_on_disk_without_a_bucket():
    result = run_manage("shell", "-c", SHOW_MEDIA_STORAGE, SECRET_KEY=secrets.token_urlsafe(60), AWS_STORAGE_BUCKET_NAME="")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split()[0] == "FileSystemStorage"
