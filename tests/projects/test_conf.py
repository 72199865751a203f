"""projects/conf.py: every plugin setting has a default; SITE_URL falls back step by step."""

import pytest
from django.test import override_settings

from projects import conf
from projects.conf import DEFAULTS, absolute_url, plugin_setting, site_url
from projects.jobs import queue_is_async


def test_a_host_without_participatie_gets_every_default():
    with override_settings():
        from django.conf import settings

        del settings.PARTICIPATIE
        assert plugin_setting("MAP_TILES_URL").startswith("https://service.pdok.nl/")
        assert plugin_setting("SITE_SETTINGS_MODEL") == "projects.MunicipalitySettings"
        assert plugin_setting("BASE_TEMPLATE") == "base.html"
        assert plugin_setting("REGISTRATION_HOLD_HOURS") == 24


def test_the_host_value_wins_over_the_default():
    with override_settings(PARTICIPATIE={"MAP_TILES_URL": "https://tiles.example/{z}/{x}/{y}.png"}):
        assert plugin_setting("MAP_TILES_URL") == "https://tiles.example/{z}/{x}/{y}.png"
        assert plugin_setting("MAP_TILES_ATTRIBUTION") == DEFAULTS["MAP_TILES_ATTRIBUTION"]


def test_an_unknown_name_raises_so_typos_are_caught():
    with pytest.raises(KeyError, match="MAP_TILE_URL"):
        plugin_setting("MAP_TILE_URL")


def test_every_key_the_plugin_reads_has_a_default():
    """Grep the plugin for plugin_setting("X") and check each X is in DEFAULTS."""
    import re
    from pathlib import Path

    root = Path(conf.__file__).resolve().parent.parent
    used = set()
    for app in ("projects", "dialogues", "geo", "concerns"):
        for path in (root / app).rglob("*.py"):
            used |= set(re.findall(r'plugin_setting\("([A-Z_]+)"', path.read_text()))
    assert used, "the grep found nothing: the test would prove nothing"
    assert used <= set(DEFAULTS), used - set(DEFAULTS)


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"PARTICIPATIE": {"SITE_URL": "https://a.example/"}, "SITE_URL": "https://b.example"}, "https://a.example"),
        ({"PARTICIPATIE": {}, "SITE_URL": "https://b.example/", "WAGTAILADMIN_BASE_URL": "https://c.example"}, "https://b.example"),
        ({"PARTICIPATIE": {}, "SITE_URL": "", "WAGTAILADMIN_BASE_URL": "https://c.example"}, "https://c.example"),
        ({"PARTICIPATIE": {}, "SITE_URL": "", "WAGTAILADMIN_BASE_URL": ""}, "http://localhost:8000"),
    ],
)
def test_site_url_falls_back(overrides, expected):
    with override_settings(**overrides):
        assert site_url() == expected
        assert absolute_url("/raad/") == expected + "/raad/"


def test_absolute_url_without_any_site_url_setting():
    with override_settings(PARTICIPATIE={}):
        from django.conf import settings

        del settings.SITE_URL
        del settings.WAGTAILADMIN_BASE_URL
        assert absolute_url("/mijn/") == "http://localhost:8000/mijn/"
    assert absolute_url("https://elders.example/x") == "https://elders.example/x"


def test_a_queue_the_host_did_not_configure_runs_in_process():
    with override_settings(RQ_QUEUES={"default": {"URL": "redis://127.0.0.1:1/0", "ASYNC": True}}):
        assert queue_is_async("default") is True
        assert queue_is_async("mail") is False
    with override_settings():
        from django.conf import settings

        del settings.RQ_QUEUES
        assert queue_is_async("default") is False


@pytest.mark.django_db
def test_a_job_on_an_unconfigured_queue_runs_after_commit(django_capture_on_commit_callbacks):
    from projects.jobs import enqueue

    ran = []
    with override_settings(RQ_QUEUES={}):
        with django_capture_on_commit_callbacks(execute=True):
            enqueue(ran.append, "done", queue="mail")
    assert ran == ["done"]


@pytest.mark.parametrize("name, place", [
    ("Gemeente Lindewaard", "Lindewaard"), ("gemeente  Houten ", "Houten"), ("Utrecht", "Utrecht"),
    ("Gemeente", ""), ("Gemeentelanden", "Gemeentelanden"),
])
def test_place_name_drops_a_leading_gemeente(name, place):
    config = conf.SiteConfig(municipality_name=name, map_center=(52.0, 5.1), map_zoom=12, map_bounds=None)
    assert config.place_name == place
