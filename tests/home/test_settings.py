import pytest
from django.core.exceptions import ValidationError

from home.models import SiteSettings, contrast_with_white

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("colour, ratio", [("#ffffff", 1.0), ("#000000", 21.0), ("#767676", 4.54), ("#00689e", 6.05)])
def test_contrast_with_white(colour, ratio):
    assert contrast_with_white(colour) == pytest.approx(ratio, abs=0.01)


@pytest.mark.parametrize("colour", ["#ffcc00", "#00a0e0", "#777777"])
def test_light_primary_colour_rejected_in_dutch(site, colour):
    settings_obj = SiteSettings.for_site(site)
    settings_obj.primary_colour = colour
    with pytest.raises(ValidationError) as exc:
        settings_obj.full_clean()
    message = exc.value.message_dict["primary_colour"][0]
    assert "te licht" in message and "4,5:1" in message


@pytest.mark.parametrize("colour", ["#00689e", "#767676", "#1a1a1a"])
def test_dark_enough_primary_colour_accepted(site, colour):
    settings_obj = SiteSettings.for_site(site)
    settings_obj.primary_colour = colour
    settings_obj.full_clean()


def test_malformed_colour_gets_the_format_message_only(site):
    settings_obj = SiteSettings.for_site(site)
    settings_obj.primary_colour = "blauw"
    with pytest.raises(ValidationError) as exc:
        settings_obj.full_clean()
    assert exc.value.message_dict["primary_colour"] == ["Geef een kleur als #rrggbb, bijvoorbeeld #00689e."]


def test_primary_colour_drives_the_theme(client, site):
    settings_obj = SiteSettings.for_site(site)
    settings_obj.primary_colour = "#8b1a4a"
    settings_obj.save()
    html = client.get("/").content.decode()
    assert "--colour-primary: #8b1a4a;" in html


def test_map_bounds_all_or_nothing(site):
    settings_obj = SiteSettings.for_site(site)
    settings_obj.map_bounds_min_lon = 5.1
    with pytest.raises(ValidationError):
        settings_obj.full_clean()
    settings_obj.map_bounds_min_lat, settings_obj.map_bounds_max_lon, settings_obj.map_bounds_max_lat = 51.99, 5.24, 52.06
    settings_obj.full_clean()


def test_contrast_error_shown_in_the_admin_form(admin_client, site):
    response = admin_client.get(f"/admin/settings/home/sitesettings/{site.pk}/")
    assert response.status_code == 200
    form_data = {
        "municipality_name": "Gemeente Lindewaard", "primary_colour": "#ffcc00", "map_center_lat": 52.028,
        "map_center_lon": 5.168, "map_zoom": 13,
    }
    response = admin_client.post(f"/admin/settings/home/sitesettings/{site.pk}/", form_data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "te licht" in html and 'value="#ffcc00"' in html
    SiteSettings.for_site(site).refresh_from_db()
    assert SiteSettings.objects.get(site=site).primary_colour != "#ffcc00"
