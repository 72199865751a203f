"""Initiatives on the map, the areas (wijken, buurten) they fall in, and their history.

Geometry is GeoJSON in a JSON column (``projects.geometry``) with indexed floats for
points and bounding boxes; point-in-area runs in Python with shapely on write. No PostGIS.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Page

from projects.geometry import GeometryField
from projects.sources import CommitmentStatus

TITLE_MAX = 120
DESCRIPTION_MAX = 5000
MAX_PHOTOS = 3


class Area(models.Model):
    """A wijk or buurt, imported from CBS GeoJSON (``manage.py import_areas``)."""

    class Kind(models.TextChoices):
        WIJK = "wijk", _("Wijk")
        BUURT = "buurt", _("Buurt")

    code = models.CharField(_("code"), max_length=20, unique=True, help_text=_("CBS-code, bijvoorbeeld WK041700."))
    name = models.CharField(_("naam"), max_length=200)
    kind = models.CharField(_("soort"), max_length=10, choices=Kind.choices, default=Kind.WIJK)
    geometry = GeometryField(_("grens"))
    min_lon = models.FloatField(editable=False, default=0)
    min_lat = models.FloatField(editable=False, default=0)
    max_lon = models.FloatField(editable=False, default=0)
    max_lat = models.FloatField(editable=False, default=0)

    panels = [FieldPanel("code"), FieldPanel("name"), FieldPanel("kind"), FieldPanel("geometry")]

    class Meta:
        verbose_name = _("gebied")
        verbose_name_plural = _("gebieden")
        ordering = ["kind", "name"]
        indexes = [models.Index(fields=["min_lat", "max_lat", "min_lon", "max_lon"], name="geo_area_bbox")]

    def __str__(self):
        return self.name

    def clean(self):
        """Keep the bounding box (used to find candidate areas in SQL) in step with the shape;
        admin forms and ``full_clean`` callers get it without a side effect in ``save()``."""
        super().clean()
        if self.geometry:
            from projects.geometry import geometry_bbox

            try:
                self.min_lon, self.min_lat, self.max_lon, self.max_lat = geometry_bbox(self.geometry)
            except Exception:  # noqa: BLE001 - the field's own validation reports the bad shape
                pass


class Theme(models.Model):
    """A theme for initiatives (groen, verkeer...). Editors manage them; shared by all projects."""

    name = models.CharField(_("naam"), max_length=100, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    panels = [FieldPanel("name"), FieldPanel("sort_order")]

    class Meta:
        verbose_name = _("thema")
        verbose_name_plural = _("thema's")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class Status(models.TextChoices):
    """The public status of an initiative. Allowed changes: ``services.ALLOWED_TRANSITIONS``."""

    INGEDIEND = "ingediend", _("Ingediend")
    IN_BEHANDELING = "in_behandeling", _("In behandeling")
    OVERGENOMEN = "overgenomen", _("Overgenomen")
    DEELS_OVERGENOMEN = "deels_overgenomen", _("Deels overgenomen")
    NIET_OVERGENOMEN = "niet_overgenomen", _("Niet overgenomen")
    UITGEVOERD = "uitgevoerd", _("Uitgevoerd")


class Moderation(models.TextChoices):
    PENDING = "pending", _("Wacht op controle")
    PUBLISHED = "published", _("Gepubliceerd")
    REJECTED = "rejected", _("Afgewezen")


class Initiative(models.Model):
    title = models.CharField(_("titel"), max_length=TITLE_MAX)
    description = models.TextField(_("beschrijving"), max_length=DESCRIPTION_MAX)
    theme = models.ForeignKey(Theme, verbose_name=_("thema"), on_delete=models.PROTECT, related_name="initiatives")
    lat = models.FloatField(_("breedtegraad"), null=True, blank=True)
    lon = models.FloatField(_("lengtegraad"), null=True, blank=True)
    no_location = models.BooleanField(_("geen specifieke plek"), default=False)
    address = models.CharField(_("adres"), max_length=255, blank=True)
    area = models.ForeignKey(Area, verbose_name=_("gebied"), null=True, blank=True, on_delete=models.SET_NULL, related_name="initiatives")
    project = models.ForeignKey(
        "projects.ProjectPage", verbose_name=_("project"), null=True, blank=True, on_delete=models.PROTECT, related_name="initiatives",
    )
    submitter = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("indiener"), null=True, blank=True, on_delete=models.SET_NULL, related_name="initiatives",
    )
    keep_informed = models.BooleanField(_("houd mij op de hoogte"), default=False)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.INGEDIEND)
    answer = models.TextField(_("antwoord van de gemeente"), blank=True)
    moderation = models.CharField(_("controle"), max_length=10, choices=Moderation.choices, default=Moderation.PENDING)
    rejection_reason = models.TextField(_("reden van afwijzing"), blank=True)
    moderator_note = models.TextField(_("notitie van de moderator"), blank=True)
    support_count = models.PositiveIntegerField(_("steunbetuigingen"), default=0)
    # Visible reactions (not hidden, not erased), kept by geo.reaction_services with F(): the map
    # popup and the lists show it without counting rows.
    reaction_count = models.PositiveIntegerField(_("reacties"), default=0)
    created_at = models.DateTimeField(_("ingediend op"), default=timezone.now, db_index=True)
    published_at = models.DateTimeField(_("gepubliceerd op"), null=True, blank=True)
    answered_at = models.DateTimeField(_("eerste antwoord op"), null=True, blank=True)
    # Carrying out an adopted initiative (the accountability overview): who does it, by when,
    # how far it got. Public once the initiative is; never a resident's name in ``responsible``.
    responsible = models.CharField(_("wie voert het uit"), max_length=200, blank=True)
    due_date = models.DateField(_("klaar op"), null=True, blank=True)
    execution_status = models.CharField(
        _("stand van de uitvoering"), max_length=10, choices=CommitmentStatus.choices, default=CommitmentStatus.OPEN,
    )
    progress_note = models.CharField(_("toelichting voortgang"), max_length=300, blank=True)
    execution_updated_at = models.DateTimeField(_("uitvoering bijgewerkt op"), null=True, blank=True)

    class Meta:
        verbose_name = _("initiatief")
        verbose_name_plural = _("initiatieven")
        ordering = ["-created_at", "-pk"]
        permissions = [("moderate_initiative", _("Initiatieven modereren en beantwoorden"))]
        # Every public read filters on moderation first: the map by a lat/lon range, the
        # list newest first. Equality then range lets SQLite's and PostgreSQL's planners
        # pick the right one without table statistics.
        indexes = [
            models.Index(fields=["moderation", "lat", "lon"], name="geo_init_public_latlon"),
            models.Index(fields=["moderation", "created_at"], name="geo_init_public_created"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(no_location=True, lat__isnull=True, lon__isnull=True)
                | Q(no_location=False, lat__isnull=False, lon__isnull=False),
                name="geo_initiative_location_or_none",
            ),
            models.CheckConstraint(
                condition=Q(lat__isnull=True) | Q(lat__gte=-90, lat__lte=90, lon__gte=-180, lon__lte=180),
                name="geo_initiative_latlon_range",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_public(self) -> bool:
        return self.moderation == Moderation.PUBLISHED

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("geo:initiative_detail", args=[self.pk])


def photo_upload_to(instance, filename):
    return f"initiatieven/{timezone.now():%Y/%m}/{filename}"


class InitiativePhoto(models.Model):
    """A photo, always re-encoded by ``photos.photo_prepare`` (no metadata survives)."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(_("foto"), upload_to=photo_upload_to)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("foto")
        verbose_name_plural = _("foto's")
        ordering = ["sort_order", "pk"]


class StatusChange(models.Model):
    """Public history: every status change with the municipality's answer."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=20, choices=Status.choices)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    answer = models.TextField(_("antwoord"))
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("statuswijziging")
        verbose_name_plural = _("statuswijzigingen")
        ordering = ["created_at", "pk"]


class Support(models.Model):
    """One resident supports one initiative once. ``user`` becomes empty when the resident
    erases their data: the support stays counted, anonymously."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="initiative_supports")
    keep_informed = models.BooleanField(_("houd mij op de hoogte"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("steunbetuiging")
        verbose_name_plural = _("steunbetuigingen")
        constraints = [models.UniqueConstraint(fields=["initiative", "user"], name="geo_support_once_per_user")]


class Report(models.Model):
    """A resident's flag that an initiative is inappropriate; it puts the initiative in the queue."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.TextField(_("reden"), max_length=1000)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("melding")
        verbose_name_plural = _("meldingen")
        indexes = [models.Index(fields=["resolved_at"], name="geo_report_open")]


REACTION_MAX = 2000


class Reaction(models.Model):
    """A resident's reaction on a published initiative, or a reply to one (one level deep: a
    reply to a reply hangs under the same top-level reaction). Writes: ``geo.reaction_services``.

    Never deleted by a resident's erasure: the author is removed and ``erased`` set, so the
    replies keep their place in the thread. A moderator hides one with a public reason."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="reactions")
    parent = models.ForeignKey(
        "self", verbose_name=_("reactie op"), null=True, blank=True, on_delete=models.CASCADE, related_name="replies",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("schrijver"), null=True, blank=True, on_delete=models.SET_NULL, related_name="initiative_reactions",
    )
    body = models.TextField(_("reactie"), max_length=REACTION_MAX)
    created_at = models.DateTimeField(_("geplaatst op"), default=timezone.now)
    erased = models.BooleanField(_("verwijderd door de schrijver"), default=False)
    hidden_at = models.DateTimeField(_("verborgen op"), null=True, blank=True)
    hidden_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    hidden_reason = models.CharField(_("reden van verbergen"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("reactie")
        verbose_name_plural = _("reacties")
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["initiative", "created_at"], name="geo_reaction_thread"),
            models.Index(fields=["created_at"], name="geo_reaction_created"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(body=""), name="geo_reaction_body_not_empty"),
            models.CheckConstraint(
                condition=Q(hidden_at__isnull=True) | ~Q(hidden_reason=""), name="geo_reaction_hidden_with_reason",
            ),
        ]

    def __str__(self):
        return self.body[:60]

    @property
    def is_visible(self) -> bool:
        return self.hidden_at is None and not self.erased


class ReactionReport(models.Model):
    """A resident's flag on a reaction (once per resident); open ones put it in the moderators' queue."""

    reaction = models.ForeignKey(Reaction, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("melding over een reactie")
        verbose_name_plural = _("meldingen over reacties")
        indexes = [models.Index(fields=["resolved_at"], name="geo_reactionreport_open")]
        constraints = [models.UniqueConstraint(fields=["reaction", "reporter"], name="geo_reactionreport_once_per_user")]


class MapCell(models.Model):
    """Pre-aggregated counts of public initiatives per grid cell and zoom level.

    Maintained by the services on every write that changes what the map shows, so a map
    view (unfiltered, or filtered on one theme, status, area or project) is a range scan over
    at most a few hundred rows however many initiatives exist. Rebuild with
    ``clustering.cells_rebuild()``.
    """

    # "" counts every public initiative; "theme:<id>", "status:<value>", "area:<id>",
    # "project:<id>" and combinations ("status:ingediend|theme:3") count those with that
    # theme, status, area or project (clustering.DIMENSION_SETS).
    dim = models.CharField(max_length=100, default="", blank=True)
    level = models.PositiveSmallIntegerField()
    cx = models.IntegerField()
    cy = models.IntegerField()
    count = models.IntegerField(default=0)
    sum_lat = models.FloatField(default=0)
    sum_lon = models.FloatField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["dim", "level", "cy", "cx"], name="geo_mapcell_dim_unique")]


@register_setting(icon="site")
class GeoSettings(BaseSiteSetting):
    class Mode(models.TextChoices):
        PRE = "pre", _("Eerst controleren, dan publiceren")
        POST = "post", _("Direct publiceren, achteraf controleren")

    moderation_mode = models.CharField(_("moderatie"), max_length=4, choices=Mode.choices, default=Mode.PRE)

    panels = [FieldPanel("moderation_mode")]

    class Meta:
        verbose_name = _("instellingen initiatieven")


class InitiativeMapPage(Page):
    """The public map with all initiatives of the municipality (place it under the home page)."""

    intro = models.TextField(_("inleiding"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types: list[str] = []
    max_count = 1

    class Meta:
        verbose_name = _("kaart met initiatieven")

    def serve(self, request, *args, **kwargs):
        from .views import map_page

        return map_page(request, page=self)
