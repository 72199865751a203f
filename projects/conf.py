"""How the plugin reads its host site's choices: every setting, with its default, in one place.

The plugin never imports the host. A host configures it in ``settings.PARTICIPATIE`` (a dict);
each key it may set is listed, with its default and meaning, in ``DEFAULTS`` below, and every
module of ``projects``, ``dialogues`` and ``geo`` reads it through ``plugin_setting(name)``.
An unknown name raises, so a typo in the plugin is caught by the tests rather than silently
falling back. The municipality's name and map come from a Wagtail site setting model
(``SITE_SETTINGS_MODEL``) through ``site_config()``.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.apps import apps
from django.conf import settings

_PDOK_TILES = "https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/standaard/EPSG:3857/{z}/{x}/{y}.png"

DEFAULTS: dict[str, object] = {
    # "app_label.ModelName" of a Wagtail site setting with the fields ``site_config()`` reads
    # (municipality_name, map_center_lat, map_center_lon, map_zoom, map_bounds_*, contact_email).
    "SITE_SETTINGS_MODEL": "projects.MunicipalitySettings",
    # The host template the apps' pages extend; it must define the blocks title, extra_css,
    # content and extra_js (checked by ``manage.py check``).
    "BASE_TEMPLATE": "base.html",
    # The public address of the site for links in mail and jobs (no request to build them from).
    # Empty: top-level SITE_URL, then WAGTAILADMIN_BASE_URL (see ``site_url()``).
    "SITE_URL": "",
    # Map background tiles (Leaflet URL template) and their attribution (HTML).
    "MAP_TILES_URL": _PDOK_TILES,
    "MAP_TILES_ATTRIBUTION": 'Kaartgegevens &copy; <a href="https://www.kadaster.nl">Kadaster</a>',
    # The PDOK Locatieserver (or a compatible service) for addresses typed instead of a map click.
    "GEOCODER_URL": "https://api.pdok.nl/bzk/locatieserver/search/v3_1",
    "GEOCODER_TIMEOUT": 3.0,  # seconds
    # How long an unconfirmed dialogue registration holds its seat.
    "REGISTRATION_HOLD_HOURS": 24,
    # How many minutes before a session starts staff may check people in, mark no-shows and
    # add walk-ins (dialogues); earlier, the admin hides those buttons and says from when.
    "CHECK_IN_OPENS_MINUTES": 60,
    # How long registrations keep personal data after their round ended.
    "REGISTRATION_RETENTION_MONTHS": 12,
    # The public registration form's limits, counted on valid submissions only: (how many, per
    # seconds) per IP address (generous: a group may register from one address), and per email
    # address per session. ``None`` switches a limit off (dialogues/ratelimit.py).
    "REGISTRATION_RATE_LIMIT": (60, 600),
    "REGISTRATION_EMAIL_RATE_LIMIT": (3, 3600),
    # Failed logins (every login form, the Wagtail admin's too; projects/auth.py):
    # {"ip": (how many, per seconds), "account": (how many, per seconds)}; empty: 10/min per IP, 5 per 5 min per account.
    "LOGIN_FAILED_RATE_LIMITS": {},
    # Overrides of the map's rate limits, {action: (how many, per seconds)}; see geo/ratelimit.py.
    "GEO_RATE_LIMITS": {},
    # Page types of other participation apps that editors may add under a project.
    "PROJECT_SUBPAGE_TYPES": ["dialogues.DialogueRoundPage"],
    # "Wat leeft er" (projects/what_lives.py): a theme is marked as a signal when residents raised
    # it at least SIGNAL_MIN_MENTIONS times in the chosen period and at least SIGNAL_MIN_RISE_PERCENT
    # per cent more often than in the period of the same length before it (or not at all then).
    "SIGNAL_MIN_MENTIONS": 5,
    "SIGNAL_MIN_RISE_PERCENT": 50,
    # Seconds between two looks at the schedule by ``manage.py participatie_scheduler``.
    "SCHEDULER_TICK_SECONDS": 30,
    # PostgreSQL's text search configuration for the memory's search (/zoeken/), e.g. "dutch"
    # (stemming: "bomen" finds "boom"). Empty: WAGTAILSEARCH_BACKENDS["default"]["SEARCH_CONFIG"],
    # then "simple" (see ``search_config()``). After a change run participatie_memory_rebuild.
    "SEARCH_CONFIG": "",
    # The cache (an alias of CACHES) that keeps pages for anonymous visitors, invalidated on every
    # write that changes them (projects/page_cache.py); empty switches the page cache off. Needs
    # projects.page_cache.PageCacheMiddleware in MIDDLEWARE (check W007).
    "PAGE_CACHE_ALIAS": "default",
    # Seconds a cached page is kept at most. Only a backstop: writes and time (a registration
    # that closes) end an entry when they change it.
    "PAGE_CACHE_TIMEOUT": 3600,
}


def plugin_setting(name: str):
    """``settings.PARTICIPATIE[name]``, or its default from ``DEFAULTS``."""
    if name not in DEFAULTS:
        raise KeyError(f"Unknown PARTICIPATIE setting {name!r}; add it to projects.conf.DEFAULTS")
    return getattr(settings, "PARTICIPATIE", {}).get(name, DEFAULTS[name])


def site_url() -> str:
    """The site's public base URL, without a trailing slash."""
    url = (
        plugin_setting("SITE_URL")
        or getattr(settings, "SITE_URL", "")
        or getattr(settings, "WAGTAILADMIN_BASE_URL", "")
        or "http://localhost:8000"
    )
    return url.rstrip("/")


def search_config() -> str:
    """The text search configuration the memory's words are stored and searched in (PostgreSQL).

    ``PARTICIPATIE["SEARCH_CONFIG"]``, else the one Wagtail's database search backend uses (so a
    host sets Dutch once, for the admin's search and ours), else "simple" (no stemming; the
    system check W006 warns about it)."""
    backend = (getattr(settings, "WAGTAILSEARCH_BACKENDS", None) or {}).get("default") or {}
    return str(plugin_setting("SEARCH_CONFIG") or backend.get("SEARCH_CONFIG") or "simple")


def map_tiles_csp_source(url: str | None = None) -> str:
    """The Content-Security-Policy source (``img-src``) that allows the map tiles.

    ``url`` is a Leaflet tile URL template, ``MAP_TILES_URL`` when omitted. A subdomain
    placeholder such as ``{s}.tile.example.org`` becomes the wildcard ``*.tile.example.org``.
    A host's settings call it with the URL they configure, because ``plugin_setting`` cannot be
    read while the settings module itself is being imported.
    """
    parts = urlsplit(url if url is not None else plugin_setting("MAP_TILES_URL"))
    host = parts.netloc
    if host.startswith("{") and "}." in host:
        host = "*." + host.split("}.", 1)[1]
    # A protocol-relative template follows the page's scheme, and so does a source without one.
    return f"{parts.scheme}://{host}" if parts.scheme else host


@dataclass(frozen=True)
class SiteConfig:
    municipality_name: str
    map_center: tuple[float, float]  # (lat, lon)
    map_zoom: int
    # (min_lon, min_lat, max_lon, max_lat): the municipality's extent.
    map_bounds: tuple[float, float, float, float] | None
    contact_email: str = ""

    @property
    def place_name(self) -> str:
        """The name without a leading "Gemeente" ("Gemeente Lindewaard" gives "Lindewaard"), for
        sentences that already say "de gemeente". Hosts write the name either way."""
        name = self.municipality_name.strip()
        if name.lower() == "gemeente":
            return ""
        if name.lower().startswith("gemeente "):
            return name[len("gemeente "):].strip()
        return name

    def contains(self, lat: float, lon: float) -> bool:
        if self.map_bounds is None:
            return True
        min_lon, min_lat, max_lon, max_lat = self.map_bounds
        return min_lon <= lon <= max_lon and min_lat <= lat <= max_lat


# The fields ``site_config()`` reads from the site settings model (the system checks verify them).
SITE_SETTINGS_FIELDS = (
    "municipality_name",
    "map_center_lat",
    "map_center_lon",
    "map_zoom",
    "map_bounds_min_lon",
    "map_bounds_min_lat",
    "map_bounds_max_lon",
    "map_bounds_max_lat",
    "contact_email",
)


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
        # The default site's settings in one query (mail and jobs ask this on every
        # registration); the site and get_or_create only the first time, when there are none yet.
        obj = None
        if site is None:
            obj = model.objects.filter(site__is_default_site=True).only(*SITE_SETTINGS_FIELDS).first()
        if obj is None:
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
    return site_url() + path
