"""The municipality's name, map and contact address, as a Wagtail site setting.

Extension point. ``projects.conf.site_config()`` reads these fields from the model named in
``PARTICIPATIE["SITE_SETTINGS_MODEL"]``. By default that is ``MunicipalitySettings`` below
(admin → Instellingen → "Gemeente en kaart"). A host that wants one settings screen with its own
fields (logo, theme colour, links to its statements) subclasses ``AbstractMunicipalitySettings``
in its own app, registers it with ``wagtail.contrib.settings.models.register_setting`` and names
it in ``PARTICIPATIE["SITE_SETTINGS_MODEL"]``; the plugin's own model is then not shown.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting


class AbstractMunicipalitySettings(BaseSiteSetting):
    municipality_name = models.CharField(_("naam gemeente"), max_length=100, default="Gemeente")
    map_center_lat = models.FloatField(_("kaartmidden breedtegraad"), default=52.0907)
    map_center_lon = models.FloatField(_("kaartmidden lengtegraad"), default=5.1214)
    map_zoom = models.PositiveSmallIntegerField(_("zoomniveau"), default=12)
    map_bounds_min_lon = models.FloatField(_("west (min. lengtegraad)"), null=True, blank=True)
    map_bounds_min_lat = models.FloatField(_("zuid (min. breedtegraad)"), null=True, blank=True)
    map_bounds_max_lon = models.FloatField(_("oost (max. lengtegraad)"), null=True, blank=True)
    map_bounds_max_lat = models.FloatField(_("noord (max. breedtegraad)"), null=True, blank=True)
    contact_email = models.EmailField(_("e-mail"), blank=True)

    map_panels = [
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("map_center_lat"), FieldPanel("map_center_lon"), FieldPanel("map_zoom")]),
             FieldRowPanel([FieldPanel("map_bounds_min_lon"), FieldPanel("map_bounds_min_lat"),
                            FieldPanel("map_bounds_max_lon"), FieldPanel("map_bounds_max_lat")])],
            heading=_("Kaart"),
        ),
    ]
    panels = [FieldPanel("municipality_name"), *map_panels, FieldPanel("contact_email")]

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        bounds = [self.map_bounds_min_lon, self.map_bounds_min_lat, self.map_bounds_max_lon, self.map_bounds_max_lat]
        if any(b is not None for b in bounds) and None in bounds:
            raise ValidationError(_("Vul alle vier de grenzen van de kaart in, of geen."))
        if None not in bounds:
            if self.map_bounds_min_lon >= self.map_bounds_max_lon:
                raise ValidationError({"map_bounds_max_lon": _("Oost moet groter zijn dan west.")})
            if self.map_bounds_min_lat >= self.map_bounds_max_lat:
                raise ValidationError({"map_bounds_max_lat": _("Noord moet groter zijn dan zuid.")})
        if not (-90 <= self.map_center_lat <= 90):
            raise ValidationError({"map_center_lat": _("Een breedtegraad ligt tussen -90 en 90.")})
        if not (-180 <= self.map_center_lon <= 180):
            raise ValidationError({"map_center_lon": _("Een lengtegraad ligt tussen -180 en 180.")})


class MunicipalitySettings(AbstractMunicipalitySettings):
    """The plugin's own settings screen, used unless the host names its own model."""

    class Meta:
        verbose_name = _("gemeente en kaart")
        verbose_name_plural = _("gemeente en kaart")


DEFAULT_MODEL = "projects.MunicipalitySettings"
