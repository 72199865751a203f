"""Locating a session's venue in the admin: a map panel with an address search, and the two
admin-only JSON endpoints it calls (which pass the PDOK Locatieserver's answer on).

Without JavaScript the latitude and longitude fields stay as they are; with it they become
read-only and are filled by a map click, by dragging the marker or by choosing an address.
"""

from __future__ import annotations

from django import forms
from django.http import JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from wagtail.admin.panels import Panel

from projects import geocoding
from projects.conf import plugin_setting, site_config

from .permissions import session_policy


class VenueMapPanel(Panel):
    """The map and address search for the fields ``address``, ``latitude`` and ``longitude``."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "dialogues/admin/venue_map_panel.html"

        @property
        def media(self):
            return forms.Media(
                js=["leaflet/leaflet.js", "dialogues/admin_venue.js"],
                css={"screen": ["leaflet/leaflet.css", "dialogues/admin_venue.css"]},
            )

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            config = site_config(self.request)
            context["config"] = {
                "latId": self.form["latitude"].auto_id, "lonId": self.form["longitude"].auto_id,
                "addressId": self.form["address"].auto_id,
                "suggestUrl": reverse("dialogues_venue_suggest"), "lookupUrl": reverse("dialogues_venue_lookup"),
                "tiles": plugin_setting("MAP_TILES_URL"), "attribution": plugin_setting("MAP_TILES_ATTRIBUTION"),
                "center": list(config.map_center), "zoom": config.map_zoom,
                "text": {
                    "zoomIn": _("Inzoomen"), "zoomOut": _("Uitzoomen"),
                    "marker": _("Plaats van de bijeenkomst. Sleep de speld om hem te verplaatsen."),
                    "placed": _("De plek staat op de kaart. Klopt hij niet? Klik op de juiste plek of sleep de speld."),
                    "cleared": _("Er staat geen plek meer op de kaart."),
                    "searching": _("Zoeken…"), "none": _("Geen adressen gevonden. Controleer het adres of klik op de kaart."),
                    "results": _("Kies een adres:"), "short": _("Typ minstens drie tekens."),
                },
            }
            return context


def _may_plan_sessions(user) -> bool:
    return session_policy().user_has_permission(user, "change")


@require_GET
def venue_suggest(request):
    """``?q=`` → ``{"results": [{"id", "label"}]}``; 503 with a Dutch message when the service is down."""
    if not _may_plan_sessions(request.user):
        return JsonResponse({"error": _("U mag geen bijeenkomsten plannen.")}, status=403)
    return geocoding.suggest_response(request.GET.get("q"))


@require_GET
def venue_lookup(request):
    """``?id=`` (from a suggestion) → ``{"label", "lat", "lon"}``."""
    if not _may_plan_sessions(request.user):
        return JsonResponse({"error": _("U mag geen bijeenkomsten plannen.")}, status=403)
    return geocoding.lookup_response(request.GET.get("id"))
