"""How the plugin reads its host site's choices.

The plugin never imports the host. A host names, in ``settings.PARTICIPATIE``, a Wagtail
site setting model (``SITE_SETTINGS_MODEL``) with the fields read below; without one, the
Django settings' defaults apply. Everything map- and municipality-specific goes through here.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.conf import settings


@dataclass(frozen=True)
class SiteConfig:
    municipality_name: str
    map_center: tuple[float, float]  # (lat, lon)
    map_zoom: int
    # (min_lon, min_lat, max_lon, max_lat): the municipality's extent.
    map_bounds: tuple[float, float, float, float] | None
    contact_email: str = ""

    def contains(self, lat: float, lon: float) -> bool:
        if self.map_bounds is None:
            return True
        min_lon, min_lat, max_lon, max_lat = self.map_bounds
        return min_lon <= lon <= max_lon and min_lat <= lat <= max_lat


DEFAULTS = {
    # The host template plugin pages extend; it needs the blocks title, extra_css, content, extra_js.
    "BASE_TEMPLATE": "base.html",
}


def plugin_setting(name: str, default=None):
    return getattr(settings, "PARTICIPATIE", {}).get(name, DEFAULTS.get(name) if default is None else default)


def _settings_model():
    label = plugin_setting("SITE_SETTINGS_MODEL")
    return apps.get_model(label) if label else None


def site_config(request=None, site=None) -> SiteConfig:
    """The municipality's name and map for this request or site (default site if neither)."""
    leaflet = getattr(settings, "LEAFLET_CONFIG", {})
    center = leaflet.get("DEFAULT_CENTER", (52.1, 5.1))
    fallback = SiteConfig(
        municipality_name=getattr(settings, "WAGTAIL_SITE_NAME", ""),
        map_center=(float(center[0]), float(center[1])),
        map_zoom=int(leaflet.get("DEFAULT_ZOOM", 12)),
        map_bounds=None,
    )
    model = _settings_model()
    if model is None:
        return fallback
    if request is not None:
        obj = model.for_request(request)
    else:
        if site is None:
            from wagtail.models import Site

            site = Site.objects.filter(is_default_site=True).first()
            if site is None:
                return fallback
        obj = model.for_site(site)
    bounds = None
    if None not in (obj.map_bounds_min_lon, obj.map_bounds_min_lat, obj.map_bounds_max_lon, obj.map_bounds_max_lat):
        bounds = (obj.map_bounds_min_lon, obj.map_bounds_min_lat, obj.map_bounds_max_lon, obj.map_bounds_max_lat)
    return SiteConfig(
        municipality_name=obj.municipality_name or fallback.municipality_name,
        map_center=(obj.map_center_lat, obj.map_center_lon),
        map_zoom=obj.map_zoom,
        map_bounds=bounds,
        contact_email=obj.contact_email,
    )


def absolute_url(path: str) -> str:
    """A full URL for links in emails and jobs, which have no request."""
    if path.startswith(("http://", "https://")):
        return path
    return settings.SITE_URL.rstrip("/") + path
