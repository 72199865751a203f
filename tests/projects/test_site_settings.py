"""projects/site_settings.py: the plugin's own site settings, used unless a host names its own model."""

import pytest
from django.core.exceptions import ValidationError
from wagtail.contrib.settings.registry import registry

from home.models import SiteSettings
from projects.conf import site_config
from projects.site_settings import AbstractMunicipalitySettings, MunicipalitySettings

pytestmark = pytest.mark.django_db


def test_site_config_reads_the_plugins_model_by_default(settings, site):
    settings.PARTICIPATIE = {k: v for k, v in settings.PARTICIPATIE.items() if k != "SITE_SETTINGS_MODEL"}
    obj = MunicipalitySettings.for_site(site)
    obj.municipality_name, obj.map_center_lat, obj.map_center_lon, obj.map_zoom = "Gemeente Kaartdorp", 51.5, 4.4, 14
    obj.map_bounds_min_lon, obj.map_bounds_min_lat, obj.map_bounds_max_lon, obj.map_bounds_max_lat = 4.3, 51.4, 4.5, 51.6
    obj.save()
    config = site_config(site=site)
    assert config.municipality_name == "Gemeente Kaartdorp"
    assert (config.map_center, config.map_zoom, config.map_bounds) == ((51.5, 4.4), 14, (4.3, 51.4, 4.5, 51.6))
    # The demo host names its own subclass: then that one is read.
    settings.PARTICIPATIE = {**settings.PARTICIPATIE, "SITE_SETTINGS_MODEL": "home.SiteSettings"}
    assert site_config(site=site).municipality_name == SiteSettings.for_site(site).municipality_name


def test_the_rules_for_the_map_are_the_plugins(site):
    obj = MunicipalitySettings.for_site(site)
    obj.map_bounds_min_lon = 5.1
    with pytest.raises(ValidationError, match="alle vier"):
        obj.full_clean()
    obj.map_bounds_min_lat, obj.map_bounds_max_lon, obj.map_bounds_max_lat = 52.1, 5.0, 52.0
    with pytest.raises(ValidationError) as error:
        obj.full_clean()
    assert "map_bounds_max_lon" in error.value.message_dict
    obj.map_bounds_min_lon, obj.map_bounds_min_lat, obj.map_bounds_max_lon, obj.map_bounds_max_lat = None, None, None, None
    obj.map_center_lat = 95
    with pytest.raises(ValidationError) as error:
        obj.full_clean()
    assert "map_center_lat" in error.value.message_dict
    assert issubclass(SiteSettings, AbstractMunicipalitySettings)


def test_only_the_named_model_has_a_settings_screen():
    # The demo host names home.SiteSettings, so the plugin's own model is not registered (one screen).
    assert SiteSettings in registry
    assert MunicipalitySettings not in registry
