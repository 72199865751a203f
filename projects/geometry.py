"""GeoJSON geometry stored as JSON, validated with shapely (no PostGIS, no GDAL).

The admin map uses django-leaflet's own template and JavaScript (leaflet.forms.js with
Leaflet.draw); its Python widget needs GDAL, so ours feeds the same template directly.
"""

from __future__ import annotations

import json

from django import forms
from django.db import models
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from leaflet import PLUGIN_FORMS, PLUGINS
from shapely.geometry import shape
from shapely.validation import explain_validity

POLYGON_TYPES = ("Polygon", "MultiPolygon")


def geometry_validate(value: dict | None, *, allowed_types=POLYGON_TYPES) -> None:
    """Raise ValidationError unless ``value`` is a valid GeoJSON geometry of an allowed type."""
    if value in (None, "", {}):
        return
    if not isinstance(value, dict) or value.get("type") not in allowed_types:
        raise ValidationError(_("Teken een vlak op de kaart (een polygoon)."), code="geometry_type")
    try:
        geom = shape(value)
    except Exception as exc:  # shapely raises several types for malformed coordinates
        raise ValidationError(_("De vorm op de kaart is niet geldig."), code="geometry_invalid") from exc
    if not geom.is_valid:
        raise ValidationError(
            _("De vorm op de kaart is niet geldig: %(reason)s"), params={"reason": explain_validity(geom)},
            code="geometry_invalid",
        )
    for x, y in _coordinates(value):
        if not (-180 <= x <= 180 and -90 <= y <= 90):
            raise ValidationError(_("De vorm ligt buiten de wereldkaart."), code="geometry_range")


def _coordinates(value):
    def walk(coords):
        if coords and isinstance(coords[0], (int, float)):
            yield coords[0], coords[1]
        else:
            for c in coords:
                yield from walk(c)

    yield from walk(value.get("coordinates", []))


def geometry_bbox(value: dict) -> tuple[float, float, float, float]:
    """(min_lon, min_lat, max_lon, max_lat) of a GeoJSON geometry."""
    return tuple(shape(value).bounds)


def draw_texts() -> dict:
    """Leaflet.draw's texts in the active language (django-leaflet ships no Dutch). The same shape
    as ``L.drawLocal``; ``projects/admin_map.js`` merges it in before the map is drawn. ``zoom``
    holds the zoom buttons' titles."""
    return {
        "draw": {
            "toolbar": {
                "actions": {"title": _("Stop met tekenen"), "text": _("Annuleren")},
                "finish": {"title": _("Klaar met tekenen"), "text": _("Klaar")},
                "undo": {"title": _("Laatste punt weghalen"), "text": _("Laatste punt weg")},
                "buttons": {
                    "polyline": _("Teken een lijn"), "polygon": _("Teken een vlak"),
                    "rectangle": _("Teken een rechthoek"), "circle": _("Teken een cirkel"),
                    "marker": _("Zet een punt"), "circlemarker": _("Zet een rond punt"),
                },
            },
            "handlers": {
                "circle": {"tooltip": {"start": _("Klik en sleep om een cirkel te tekenen.")}, "radius": _("Straal")},
                "circlemarker": {"tooltip": {"start": _("Klik op de kaart om een punt te zetten.")}},
                "marker": {"tooltip": {"start": _("Klik op de kaart om een punt te zetten.")}},
                "polygon": {"tooltip": {
                    "start": _("Klik om te beginnen met tekenen."),
                    "cont": _("Klik om verder te tekenen."),
                    "end": _("Klik op het eerste punt om het vlak te sluiten."),
                }},
                "polyline": {
                    "error": _("<strong>Fout:</strong> de randen mogen elkaar niet kruisen."),
                    "tooltip": {
                        "start": _("Klik om de lijn te beginnen."),
                        "cont": _("Klik om de lijn verder te tekenen."),
                        "end": _("Klik op het laatste punt om de lijn af te maken."),
                    },
                },
                "rectangle": {"tooltip": {"start": _("Klik en sleep om een rechthoek te tekenen.")}},
                "simpleshape": {"tooltip": {"end": _("Laat de muis los om het tekenen af te maken.")}},
            },
        },
        "edit": {
            "toolbar": {
                "actions": {
                    "save": {"title": _("Wijzigingen bewaren"), "text": _("Bewaren")},
                    "cancel": {"title": _("Stop met wijzigen en vergeet de wijzigingen"), "text": _("Annuleren")},
                    "clearAll": {"title": _("Alles weghalen"), "text": _("Alles weg")},
                },
                "buttons": {
                    "edit": _("Vorm wijzigen"), "editDisabled": _("Er is niets om te wijzigen"),
                    "remove": _("Vorm weghalen"), "removeDisabled": _("Er is niets om weg te halen"),
                },
            },
            "handlers": {
                "edit": {"tooltip": {"text": _("Sleep de punten om de vorm te wijzigen."),
                                     "subtext": _("Klik op Annuleren om de wijzigingen ongedaan te maken.")}},
                "remove": {"tooltip": {"text": _("Klik op een vorm om haar weg te halen.")}},
            },
        },
        "zoom": {"zoomInTitle": _("Inzoomen"), "zoomOutTitle": _("Uitzoomen")},
    }


def _resolved(value):
    """Lazy translations as plain strings, for json_script."""
    if isinstance(value, dict):
        return {key: _resolved(item) for key, item in value.items()}
    return str(value)


class GeoJSONMapWidget(forms.Textarea):
    """A Leaflet map to draw one geometry on; the value is GeoJSON text."""

    template_name = "projects/widgets/geojson_map.html"
    geom_type = "Polygon"

    def __init__(self, attrs=None, geom_type=None):
        super().__init__(attrs)
        if geom_type:
            self.geom_type = geom_type

    @property
    def media(self):
        js = ["leaflet/leaflet.js", "leaflet/leaflet.extras.js", *PLUGINS[PLUGIN_FORMS]["js"], "projects/admin_map.js"]
        css = ["leaflet/leaflet.css", "leaflet/leaflet.extras.css", *PLUGINS[PLUGIN_FORMS]["css"]]
        return forms.Media(js=js, css={"screen": css})

    def format_value(self, value):
        if value in (None, "", {}, "null"):
            return ""
        return value if isinstance(value, str) else json.dumps(value)

    def map_settings(self) -> dict:
        """Open the map on the municipality (site settings), not on the global default."""
        from .conf import site_config

        config = site_config()
        return {"DEFAULT_CENTER": list(config.map_center), "DEFAULT_ZOOM": config.map_zoom}

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        # Keep the field's own id on the textarea, so the admin's <label for=...> matches.
        map_id_css = (attrs or {}).get("id", f"id_{name}")
        map_id = map_id_css.replace("-", "_")
        context["widget"]["attrs"]["geom_name"] = self.geom_type
        context["widget"]["attrs"]["map_srid"] = 4326
        context.update(
            id_css=map_id_css,
            module=f"geodjango_{map_id}",
            id_map=f"{map_id_css}-map",
            id_map_callback=f"{map_id}_map_callback",
            loadevent="load",
            modifiable=True,
            target_map=None,
            settings_overrides=self.map_settings(),
            geometry_field_class="L.GeometryField",
            field_store_class="L.FieldStore",
            serialized=self.format_value(value),
            FORCE_IMAGE_PATH=False,
            reset_view_icon="",
            csp_nonce=None,
            display_raw=False,
            draw_texts=_resolved(draw_texts()),
            reset_view_title=str(_("Kaart terugzetten")),
        )
        return context


class GeoJSONFormField(forms.JSONField):
    widget = GeoJSONMapWidget

    def __init__(self, *args, allowed_types=POLYGON_TYPES, **kwargs):
        self.allowed_types = allowed_types
        super().__init__(*args, **kwargs)

    def validate(self, value):
        super().validate(value)
        geometry_validate(value, allowed_types=self.allowed_types)


class GeometryField(models.JSONField):
    """A GeoJSON geometry in a JSON column, drawn on a map in forms."""

    def __init__(self, *args, allowed_types=POLYGON_TYPES, **kwargs):
        self.allowed_types = tuple(allowed_types)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.allowed_types != POLYGON_TYPES:
            kwargs["allowed_types"] = self.allowed_types
        return name, path, args, kwargs

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        geometry_validate(value, allowed_types=self.allowed_types)

    def formfield(self, **kwargs):
        kwargs.setdefault("form_class", GeoJSONFormField)
        kwargs.setdefault("allowed_types", self.allowed_types)
        return super().formfield(**kwargs)
