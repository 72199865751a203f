"""A resident's Top-3 concerns for their wijk ("Wat houdt u bezig in uw buurt?").

One ``Submission`` per time a resident fills in the form: the wijk, optionally a running
project, and one to three ``Concern`` rows (a theme and one sentence). Moderation works on the
whole submission. Contact details (user, email) may be erased while the submission stays
counted, anonymously.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MAX_CONCERNS = 3
SENTENCE_MAX = 200


class SubmissionStatus(models.TextChoices):
    # Not logged in: stored at once, waits for the click on the emailed link.
    UNCONFIRMED = "unconfirmed", _("Wacht op bevestiging van het e-mailadres")
    PENDING = "pending", _("Wacht op controle")
    PUBLISHED = "published", _("Gepubliceerd")
    REJECTED = "rejected", _("Afgewezen")


class Submission(models.Model):
    area = models.ForeignKey("geo.Area", verbose_name=_("wijk"), on_delete=models.PROTECT, related_name="concern_submissions")
    project = models.ForeignKey(
        "projects.ProjectPage", verbose_name=_("project"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="concern_submissions",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("bewoner"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="concern_submissions",
    )
    # Only for someone not logged in; the address of a logged-in resident is their account's.
    email = models.EmailField(_("e-mailadres"), blank=True)
    email_confirmed_at = models.DateTimeField(_("e-mailadres bevestigd op"), null=True, blank=True)
    keep_informed = models.BooleanField(_("wil horen wat ermee gebeurt"), default=False)
    # Set when the resident's data is erased (AVG): one random key for all their Top-3's, so
    # they still count as one participant. Random, not derived from who they were: nothing
    # leads back from it to a person, and a new account of the same person gets no link to it.
    erased_participant = models.UUIDField(_("anonieme deelnemer"), null=True, blank=True, editable=False)
    status = models.CharField(_("status"), max_length=12, choices=SubmissionStatus.choices, default=SubmissionStatus.PENDING)
    rejection_reason = models.TextField(_("reden van afwijzing"), blank=True)
    created_at = models.DateTimeField(_("ingediend op"), default=timezone.now, db_index=True)
    published_at = models.DateTimeField(_("gepubliceerd op"), null=True, blank=True)

    class Meta:
        verbose_name = _("top-3")
        verbose_name_plural = _("top-3's")
        ordering = ["-created_at", "-pk"]
        permissions = [("moderate_submission", _("Top-3 van zorgen modereren"))]
        indexes = [models.Index(fields=["status", "created_at"], name="concerns_sub_status_created")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="unconfirmed") | Q(email_confirmed_at__isnull=True),
                name="concerns_unconfirmed_has_no_confirmation",
            ),
        ]

    def __str__(self):
        return f"Top-3 {self.area} ({self.created_at:%d-%m-%Y})"

    @property
    def is_public(self) -> bool:
        return self.status == SubmissionStatus.PUBLISHED


class Concern(models.Model):
    """One of the (up to three) things a resident named: a theme and one sentence."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="concerns")
    position = models.PositiveSmallIntegerField(_("plaats"))
    theme = models.ForeignKey("geo.Theme", verbose_name=_("thema"), on_delete=models.PROTECT, related_name="concerns")
    text = models.CharField(_("zin"), max_length=SENTENCE_MAX)

    class Meta:
        verbose_name = _("zorg")
        verbose_name_plural = _("zorgen")
        ordering = ["submission_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "position"], name="concerns_concern_position_unique"),
            models.CheckConstraint(condition=Q(position__gte=1, position__lte=MAX_CONCERNS), name="concerns_concern_position_range"),
        ]

    def __str__(self):
        return self.text
