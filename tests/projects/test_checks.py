"""projects/checks.py: each check passes on the demo host and names the fix when broken."""

from unittest import mock

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

from projects import checks

BAD_TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "DIRS": [],
    "APP_DIRS": False,
    "OPTIONS": {
        "context_processors": [],
        "loaders": [("django.template.loaders.locmem.Loader", {
            "root.html": "{% block title %}{% endblock %}{% block content %}{% endblock %}",
            "child.html": '{% extends "root.html" %}{% block extra_css %}{% endblock %}{% block extra_js %}{% endblock %}',
            "half.html": "{% block title %}{% endblock %}{% block content %}{% endblock %}",
        })],
    },
}]


def ids(messages):
    return [m.id for m in messages]


def test_the_demo_host_passes_every_check_at_warning_level():
    call_command("check", "--fail-level", "WARNING")


def test_a_missing_app_is_named():
    assert checks.check_installed() == []
    # Overriding INSTALLED_APPS rebuilds the app registry (and the API routers with it); ask the
    # registry a narrower question instead.
    real = checks.apps.is_installed
    with mock.patch.object(checks.apps, "is_installed", lambda name: name != "leaflet" and real(name)):
        errors = checks.check_installed()
    assert ids(errors) == ["participatie.E001"] and "'leaflet'" in errors[0].hint


def test_missing_allauth_middleware_and_backend():
    with override_settings(
        MIDDLEWARE=[m for m in settings.MIDDLEWARE if "allauth" not in m],
        AUTHENTICATION_BACKENDS=["django.contrib.auth.backends.ModelBackend"],
    ):
        errors = checks.check_installed()
    # Without the plugin's login limit backend first, a warning says failed logins are unlimited.
    assert ids(errors) == ["participatie.E002", "participatie.E003", "participatie.W003"]
    assert checks.ALLAUTH_BACKEND in errors[1].hint


def test_login_limit_backend_and_malformed_input_middleware():
    with override_settings(
        MIDDLEWARE=[m for m in settings.MIDDLEWARE if m != checks.MALFORMED_INPUT_MIDDLEWARE],
        AUTHENTICATION_BACKENDS=[b for b in settings.AUTHENTICATION_BACKENDS if b != checks.LOGIN_LIMIT_BACKEND]
        + [checks.LOGIN_LIMIT_BACKEND],
    ):
        warnings = checks.check_installed()
    assert ids(warnings) == ["participatie.W003", "participatie.W004"]
    assert "first" in warnings[0].hint


def test_site_settings_model_must_exist_and_have_the_fields():
    assert checks.check_site_settings_model() == []
    with override_settings(PARTICIPATIE={"SITE_SETTINGS_MODEL": "home.Nope"}):
        assert ids(checks.check_site_settings_model()) == ["participatie.E004"]
    with override_settings(PARTICIPATIE={"SITE_SETTINGS_MODEL": "projects.ProjectFollow"}):
        errors = checks.check_site_settings_model()
    assert ids(errors) == ["participatie.E005"] and "municipality_name" in errors[0].msg


def test_base_template_blocks_are_found_through_extends():
    with override_settings(TEMPLATES=BAD_TEMPLATES, PARTICIPATIE={"BASE_TEMPLATE": "child.html"}):
        errors = checks.check_base_template()
    # All four blocks are there (two in the parent); only the context processor is missing.
    assert ids(errors) == ["participatie.E008"]


def test_base_template_missing_or_without_blocks():
    with override_settings(TEMPLATES=BAD_TEMPLATES, PARTICIPATIE={"BASE_TEMPLATE": "half.html"}):
        errors = checks.check_base_template()
    assert ids(errors)[0] == "participatie.E007" and "extra_css, extra_js" in errors[0].msg
    with override_settings(TEMPLATES=BAD_TEMPLATES, PARTICIPATIE={"BASE_TEMPLATE": "gone.html"}):
        assert ids(checks.check_base_template()) == ["participatie.E006"]
    assert checks.check_base_template() == []


def test_urls_must_resolve_to_our_views():
    assert checks.check_urls() == []
    with override_settings(ROOT_URLCONF="tests.projects.urls_shadowed"):
        errors = checks.check_urls()
    assert set(ids(errors)) == {"participatie.E010"}
    with override_settings(ROOT_URLCONF="tests.projects.urls_missing"):
        assert set(ids(checks.check_urls())) == {"participatie.E009"}


def test_site_url_and_queue_warnings():
    assert checks.check_site_url_and_queues() == []
    with override_settings(PARTICIPATIE={}, SITE_URL="", WAGTAILADMIN_BASE_URL="", RQ_QUEUES={"default": {}}):
        warnings = checks.check_site_url_and_queues()
    assert ids(warnings) == ["participatie.W001", "participatie.W002"]
    assert "'mail'" in warnings[1].msg


def test_wagtail_admin_base_url_must_be_the_site_address():
    assert checks.check_wagtail_admin_base_url() == []
    with override_settings(WAGTAILADMIN_BASE_URL=settings.SITE_URL + "/"):  # a trailing slash is the same address
        assert checks.check_wagtail_admin_base_url() == []
    with override_settings(WAGTAILADMIN_BASE_URL=""):
        warnings = checks.check_wagtail_admin_base_url()
    assert ids(warnings) == ["participatie.W005"] and "not set" in warnings[0].msg
    assert "http://testserver" in warnings[0].hint
    with override_settings(WAGTAILADMIN_BASE_URL="http://localhost"):
        warnings = checks.check_wagtail_admin_base_url()
    assert ids(warnings) == ["participatie.W005"] and "differs" in warnings[0].msg
    del_settings = {k: v for k, v in settings.PARTICIPATIE.items() if k != "SITE_URL"}
    with override_settings(PARTICIPATIE=del_settings, SITE_URL="https://participatie.example.nl",
                           WAGTAILADMIN_BASE_URL="https://participatie.example.nl"):
        assert checks.check_wagtail_admin_base_url() == []


def test_check_command_fails_for_a_broken_host():
    from django.core.management.base import SystemCheckError

    with override_settings(AUTHENTICATION_BACKENDS=["django.contrib.auth.backends.ModelBackend"]):
        with pytest.raises(SystemCheckError, match="participatie.E003"):
            call_command("check")
