"""Dialogue rounds (pages) and their sessions, registrations, outcomes and evaluations (records).

A round is content and lives in page revisions; everything a resident or facilitator
creates is a plain model protected from cascading deletes (DESIGN.md, rule 1).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from taggit.models import TaggedItemBase
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from projects.conf import plugin_setting
from projects.memory_entry import plain_text
from projects.sources import MemoryDocument
from projects.dates import format_datetime

# The four phases of Appreciative Inquiry (Waarderend Onderzoek), explained at B1 level.
AI_PHASES = (
    ("discover", _("Ontdekken"), _("We vertellen elkaar wat nu al goed gaat in de buurt.")),
    ("dream", _("Dromen"), _("We stellen ons voor hoe het er over een paar jaar uitziet als het echt goed gaat.")),
    ("design", _("Ontwerpen"), _("We bedenken samen wat daarvoor nodig is.")),
    ("destiny", _("Doen"), _("We spreken af wie wat gaat doen, en wanneer.")),
)

RESIDENT_GROUP = "Bewoner"

# Staff can act on this: the session's "Aanmeldingen" page has "Afzeggen" per person.
CAPACITY_TAKEN = _(
    "Er zijn al %(n)s plaatsen bezet. Kies minstens %(n)s plaatsen, of zeg eerst aanmeldingen af: "
    "op de pagina Aanmeldingen van deze bijeenkomst staat bij iedere persoon de knop Afzeggen."
)


class Method(models.TextChoices):
    APPRECIATIVE_INQUIRY = "appreciative_inquiry", _("Waarderend onderzoek (Appreciative Inquiry)")
    OPEN = "open", _("Open gesprek")


class DialogueRoundPageForm(WagtailAdminPageForm):
    """Target groups are chosen from the project's own stakeholder groups."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from django import forms

        project = self.parent_page.specific if self.parent_page else None
        names = [g.name for g in getattr(project, "stakeholder_groups", []).all()] if project else []
        current = list(self.instance.target_groups or [])
        choices = [(n, n) for n in [*names, RESIDENT_GROUP, *[c for c in current if c not in names and c != RESIDENT_GROUP]]]
        self.fields["target_groups"] = forms.MultipleChoiceField(
            label=_("Doelgroepen"), choices=choices, required=False, widget=forms.CheckboxSelectMultiple,
            help_text=_("Welke belanghebbenden wilt u met deze ronde bereiken?"),
        )


class DialogueRoundPage(Page):
    theme = models.CharField(_("thema"), max_length=200)
    method = models.CharField(_("methode"), max_length=30, choices=Method.choices, default=Method.APPRECIATIVE_INQUIRY)
    target_groups = models.JSONField(_("doelgroepen"), default=list, blank=True)
    introduction = RichTextField(_("inleiding"), blank=True, features=["bold", "italic", "link", "ul", "ol"])

    content_panels = Page.content_panels + [
        FieldPanel("theme"), FieldPanel("method"), FieldPanel("target_groups"), FieldPanel("introduction"),
    ]
    search_fields = Page.search_fields + [index.SearchField("theme"), index.SearchField("introduction")]
    base_form_class = DialogueRoundPageForm
    parent_page_types = ["projects.ProjectPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("dialoogronde")
        verbose_name_plural = _("dialoogrondes")

    @property
    def uses_appreciative_inquiry(self) -> bool:
        return self.method == Method.APPRECIATIVE_INQUIRY

    @property
    def ai_phases(self):
        return [{"key": k, "label": label, "explanation": text} for k, label, text in AI_PHASES]

    def get_project(self):
        return self.get_parent().specific

    # The memory (projects/memory.py): the round is one document; its outcomes follow its publicness.
    memory_kind = "round"

    def memory_document(self) -> MemoryDocument:
        parent = self.get_parent()
        return MemoryDocument(
            key=f"round:{self.pk}", kind="round", title=self.title,
            body="\n".join(t for t in (self.theme, plain_text(self.introduction)) if t),
            url=self.url or "", date=timezone.localdate(self.first_published_at or timezone.now()),
            project_id=parent.pk if parent else None, themes=(self.theme,) if self.theme else (),
        )

    def memory_related_keys(self) -> list[str]:
        return [f"outcome:{pk}" for pk in SessionOutcome.objects.filter(session__round=self).values_list("pk", flat=True)]

    def get_context(self, request, *args, **kwargs):
        from .selectors import round_detail_context

        context = super().get_context(request, *args, **kwargs)
        context.update(round_detail_context(self))
        context["map_points"] = [
            {"lat": item["session"].latitude, "lon": item["session"].longitude, "title": item["session"].title,
             "venue": item["session"].venue}
            for item in context["session_items"]
            if item["session"].latitude is not None and not item["session"].is_cancelled
        ]
        context["map_tiles_url"] = plugin_setting("MAP_TILES_URL")
        context["map_tiles_attribution"] = plugin_setting("MAP_TILES_ATTRIBUTION")
        return context


class SessionStatus(models.TextChoices):
    PLANNED = "gepland", _("Gepland")
    CANCELLED = "afgelast", _("Afgelast")
    HELD = "gehouden", _("Gehouden")


class DialogueSession(models.Model):
    """One meeting of a round. Seat counters change only in dialogues.services, under a row lock."""

    round = models.ForeignKey(DialogueRoundPage, verbose_name=_("ronde"), on_delete=models.PROTECT, related_name="sessions")
    title = models.CharField(_("titel"), max_length=200)
    starts_at = models.DateTimeField(_("begint om"))
    ends_at = models.DateTimeField(_("eindigt om"))
    venue = models.CharField(_("locatie"), max_length=200, blank=True)
    address = models.CharField(_("adres"), max_length=300, blank=True)
    latitude = models.FloatField(_("breedtegraad"), null=True, blank=True)
    longitude = models.FloatField(_("lengtegraad"), null=True, blank=True)
    online_url = models.URLField(_("link voor online meedoen"), blank=True)
    capacity_onsite = models.PositiveIntegerField(_("plaatsen op locatie"), default=0)
    capacity_online = models.PositiveIntegerField(_("plaatsen online"), default=0)
    seats_taken_onsite = models.PositiveIntegerField(default=0, editable=False)
    seats_taken_online = models.PositiveIntegerField(default=0, editable=False)
    registration_opens_at = models.DateTimeField(_("aanmelden kan vanaf"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(_("aanmelden kan tot"), null=True, blank=True)
    facilitator = models.CharField(_("gespreksleider"), max_length=200, blank=True)
    accessibility = models.TextField(_("toegankelijkheid"), blank=True, help_text=_("Bijvoorbeeld: rolstoeltoegankelijk, ringleiding, tolk."))
    status = models.CharField(_("status"), max_length=10, choices=SessionStatus.choices, default=SessionStatus.PLANNED)
    sequence = models.PositiveIntegerField(default=0, editable=False)  # iCalendar SEQUENCE
    announced_at = models.DateTimeField(_("aangekondigd op"), default=timezone.now)
    evaluation_requested_at = models.DateTimeField(null=True, blank=True, editable=False)
    cancelled_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("bijeenkomst")
        verbose_name_plural = _("bijeenkomsten")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="session_ends_after_start"),
            models.CheckConstraint(condition=Q(seats_taken_onsite__lte=F("capacity_onsite")), name="session_onsite_not_overbooked"),
            models.CheckConstraint(condition=Q(seats_taken_online__lte=F("capacity_online")), name="session_online_not_overbooked"),
        ]
        indexes = [models.Index(fields=["status", "starts_at"])]

    def __str__(self):
        return f"{self.title} ({format_datetime(self.starts_at)})"

    def clean(self):
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("De eindtijd ligt niet na de begintijd.")
        if not self.venue and not self.online_url:
            errors["venue"] = _("Vul een locatie in, een link voor online meedoen, of allebei.")
        if self.capacity_onsite and not self.venue:
            errors["capacity_onsite"] = _("Plaatsen op locatie kan alleen met een locatie.")
        if self.capacity_online and not self.online_url:
            errors["capacity_online"] = _("Online plaatsen kan alleen met een link.")
        if (self.latitude is None) != (self.longitude is None):
            errors["latitude"] = _("Vul breedtegraad en lengtegraad allebei in, of geen van beide.")
        # Typed by hand when there is no JavaScript: catch swapped or mistyped numbers.
        if self.latitude is not None and not -90 <= self.latitude <= 90:
            errors["latitude"] = _("De breedtegraad ligt tussen -90 en 90, in Nederland rond 52.")
        if self.longitude is not None and not -180 <= self.longitude <= 180:
            errors["longitude"] = _("De lengtegraad ligt tussen -180 en 180, in Nederland rond 5.")
        if self.registration_opens_at and self.registration_closes_at and self.registration_closes_at <= self.registration_opens_at:
            errors["registration_closes_at"] = _("Het einde van de aanmelding ligt niet na het begin.")
        if self.pk:
            if self.capacity_onsite < self.seats_taken_onsite:
                errors["capacity_onsite"] = CAPACITY_TAKEN % {"n": self.seats_taken_onsite}
            if self.capacity_online < self.seats_taken_online:
                errors["capacity_online"] = CAPACITY_TAKEN % {"n": self.seats_taken_online}
        if errors:
            raise ValidationError(errors)

    # Reads that need no queries beyond the row itself.
    @property
    def capacity(self) -> int:
        return self.capacity_onsite + self.capacity_online

    @property
    def seats_taken(self) -> int:
        return self.seats_taken_onsite + self.seats_taken_online

    @property
    def seats_free(self) -> int:
        return self.capacity - self.seats_taken

    def seats_free_for(self, mode: str) -> int:
        if mode == AttendanceMode.ONLINE:
            return self.capacity_online - self.seats_taken_online
        return self.capacity_onsite - self.seats_taken_onsite

    @property
    def modes(self) -> list[str]:
        modes = []
        if self.venue:
            modes.append(AttendanceMode.ONSITE)
        if self.online_url:
            modes.append(AttendanceMode.ONLINE)
        return modes

    @property
    def seat_pools(self) -> list[SeatPool]:
        """Free seats per way of taking part (on site, online), for every page and form that
        shows them: the one place where "vol, wachtlijst" and "nog 6 plaatsen" are decided."""
        labels = dict(AttendanceMode.choices)
        return [SeatPool(mode=m, label=str(labels[m]), free=max(self.seats_free_for(m), 0)) for m in self.modes]

    @property
    def has_several_pools(self) -> bool:
        return len(self.modes) > 1

    @property
    def is_cancelled(self) -> bool:
        return self.status == SessionStatus.CANCELLED

    @property
    def check_in_opens_at(self):
        """From this moment staff may check people in, mark no-shows and add walk-ins."""
        return self.starts_at - datetime.timedelta(minutes=plugin_setting("CHECK_IN_OPENS_MINUTES"))

    def check_in_open(self, now=None) -> bool:
        return (now or timezone.now()) >= self.check_in_opens_at

    def has_ended(self, now=None) -> bool:
        return (now or timezone.now()) >= self.ends_at

    def registration_state(self, now=None) -> str:
        """'open', 'not_yet', 'closed', 'cancelled' or 'past'."""
        now = now or timezone.now()
        if self.status == SessionStatus.CANCELLED:
            return "cancelled"
        if self.status == SessionStatus.HELD or self.starts_at <= now:
            return "past"
        if self.registration_opens_at and now < self.registration_opens_at:
            return "not_yet"
        if self.registration_closes_at and now >= self.registration_closes_at:
            return "closed"
        return "open"


@dataclass(frozen=True)
class SeatPool:
    """The seats of one way of taking part. A full pool still takes registrations, on its own waiting list."""

    mode: str
    label: str
    free: int

    @property
    def full(self) -> bool:
        return self.free <= 0

    @property
    def seats_text(self) -> str:
        """'vol, wachtlijst' or 'nog 6 plaatsen'."""
        if self.full:
            return gettext("vol, wachtlijst")
        return ngettext("nog %(n)s plaats", "nog %(n)s plaatsen", self.free) % {"n": self.free}

    @property
    def text(self) -> str:
        """'Op locatie: vol, wachtlijst'."""
        return gettext("%(pool)s: %(seats)s") % {"pool": self.label, "seats": self.seats_text}

    @property
    def choice_label(self) -> str:
        """The label of the choice on the registration form, so it says so without JavaScript."""
        if self.full:
            return gettext("%(pool)s (vol: u komt op de wachtlijst)") % {"pool": self.label}
        return gettext("%(pool)s (%(seats)s)") % {"pool": self.label, "seats": self.seats_text}


class AttendanceMode(models.TextChoices):
    ONSITE = "onsite", _("Op locatie")
    ONLINE = "online", _("Online")


class RegistrationStatus(models.TextChoices):
    PENDING = "pending", _("Wacht op bevestiging")
    CONFIRMED = "confirmed", _("Aangemeld")
    WAITLISTED = "waitlisted", _("Op de wachtlijst")
    CANCELLED = "cancelled", _("Afgemeld")
    ATTENDED = "attended", _("Aanwezig")
    NO_SHOW = "no_show", _("Niet gekomen")


# Statuses that occupy a seat (walk-ins excepted: they came without one).
SEAT_STATUSES = (RegistrationStatus.PENDING, RegistrationStatus.CONFIRMED, RegistrationStatus.ATTENDED, RegistrationStatus.NO_SHOW)
ACTIVE_STATUSES = (*SEAT_STATUSES, RegistrationStatus.WAITLISTED)


class Need(models.TextChoices):
    WHEELCHAIR = "rolstoel", _("Rolstoeltoegankelijk")
    INTERPRETER = "tolk", _("Tolk")
    HEARING_LOOP = "ringleiding", _("Ringleiding")
    CHILDCARE = "kinderopvang", _("Kinderopvang")
    OTHER = "anders", _("Anders")


class Registration(models.Model):
    session = models.ForeignKey(DialogueSession, verbose_name=_("bijeenkomst"), on_delete=models.PROTECT, related_name="registrations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="dialogue_registrations")
    name = models.CharField(_("naam"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("telefoon"), max_length=50, blank=True)
    stakeholder_group = models.CharField(_("groep"), max_length=200)  # snapshot of the group's name
    needs = models.JSONField(_("ondersteuning"), default=list, blank=True)
    needs_other = models.CharField(_("andere ondersteuning"), max_length=300, blank=True)
    consent = models.BooleanField(_("toestemming gegevens"), default=False)
    contact_consent = models.BooleanField(_("mag terugkoppeling krijgen"), default=False)
    attendance_mode = models.CharField(_("hoe doet u mee"), max_length=10, choices=AttendanceMode.choices, default=AttendanceMode.ONSITE)
    status = models.CharField(_("status"), max_length=12, choices=RegistrationStatus.choices)
    walk_in = models.BooleanField(_("binnenloper"), default=False)
    # Set when a staff member registered this person (phone call, paper form): the consent was
    # then given to that staff member, not through the online form.
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("aangemeld door medewerker"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    created_at = models.DateTimeField(_("aangemeld op"), default=timezone.now)
    hold_expires_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    waitlisted_at = models.DateTimeField(null=True, blank=True)
    promoted_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    evaluation_sent_at = models.DateTimeField(null=True, blank=True)
    anonymised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("aanmelding")
        verbose_name_plural = _("aanmeldingen")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"), "session",
                condition=~Q(status="cancelled") & ~Q(email=""),
                name="registration_one_active_per_email",
            ),
            models.CheckConstraint(condition=Q(status__in=[s.value for s in RegistrationStatus]), name="registration_status_valid"),
        ]
        indexes = [
            models.Index(fields=["session", "status", "attendance_mode", "waitlisted_at"]),
            models.Index(fields=["status", "hold_expires_at"]),
        ]

    def __str__(self):
        return f"{self.name or _('(geanonimiseerd)')} – {self.session}"

    @property
    def holds_seat(self) -> bool:
        return self.status in SEAT_STATUSES and not self.walk_in

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    def needs_labels(self) -> list[str]:
        labels = dict(Need.choices)
        out = [str(labels.get(n, n)) for n in self.needs if n != Need.OTHER]
        if self.needs_other:
            out.append(self.needs_other)
        return out


class OutcomeTag(TaggedItemBase):
    """Themes use taggit's shared Tag model, so a theme is findable across the platform."""

    content_object = ParentalKey("dialogues.SessionOutcome", on_delete=models.CASCADE, related_name="tagged_items")


class SessionOutcome(ClusterableModel):
    """What came out of a session. Public once published; never holds personal data."""

    session = models.OneToOneField(DialogueSession, verbose_name=_("bijeenkomst"), on_delete=models.PROTECT, related_name="outcome")
    summary = models.TextField(_("samenvatting"), blank=True)
    notes_discover = models.TextField(_("Ontdekken: wat gaat goed?"), blank=True)
    notes_dream = models.TextField(_("Dromen: hoe ziet het eruit als het goed gaat?"), blank=True)
    notes_design = models.TextField(_("Ontwerpen: wat is daarvoor nodig?"), blank=True)
    notes_destiny = models.TextField(_("Doen: wat spreken we af?"), blank=True)
    themes = ClusterTaggableManager(through=OutcomeTag, blank=True, verbose_name=_("thema's"))
    published_at = models.DateTimeField(_("gepubliceerd op"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("uitkomst")
        verbose_name_plural = _("uitkomsten")

    def __str__(self):
        return str(_("Uitkomst van %(session)s") % {"session": self.session})

    def phase_notes(self):
        return [
            {"key": key, "label": label, "notes": getattr(self, f"notes_{key}")}
            for key, label, _text in AI_PHASES if getattr(self, f"notes_{key}")
        ]


class Quote(models.Model):
    """An anonymous quote: what was said, and at most the speaker's group."""

    outcome = ParentalKey(SessionOutcome, on_delete=models.CASCADE, related_name="quotes")
    text = models.TextField(_("citaat"))
    group = models.CharField(_("groep van de spreker"), max_length=200, blank=True)
    sort_order = models.PositiveIntegerField(default=0)

    panels = [FieldPanel("text"), FieldPanel("group")]

    class Meta:
        verbose_name = _("citaat")
        verbose_name_plural = _("citaten")
        ordering = ["sort_order", "pk"]


class AgreementStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "bezig", _("Bezig")
    DONE = "gedaan", _("Gedaan")
    LAPSED = "vervallen", _("Vervallen")


class Agreement(models.Model):
    outcome = ParentalKey(SessionOutcome, on_delete=models.CASCADE, related_name="agreements")
    what = models.CharField(_("wat"), max_length=300)
    who = models.CharField(_("wie"), max_length=200)
    due_date = models.DateField(_("wanneer klaar"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=AgreementStatus.choices, default=AgreementStatus.OPEN)
    progress_note = models.CharField(_("toelichting voortgang"), max_length=300, blank=True)
    sort_order = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    panels = [FieldPanel("what"), FieldPanel("who"), FieldPanel("due_date"), FieldPanel("status"), FieldPanel("progress_note")]

    class Meta:
        verbose_name = _("afspraak")
        verbose_name_plural = _("afspraken")
        ordering = ["sort_order", "pk"]

    def __str__(self):
        return self.what

    def as_dict(self) -> dict:
        return {"what": self.what, "who": self.who, "due": self.due_date, "status": self.status, "status_label": str(self.get_status_display())}


class Evaluation(models.Model):
    """One attendee's evaluation. Shown only as averages; kept after the registration is anonymised."""

    session = models.ForeignKey(DialogueSession, on_delete=models.PROTECT, related_name="evaluations")
    registration = models.OneToOneField(Registration, null=True, blank=True, on_delete=models.SET_NULL, related_name="evaluation")
    heard = models.PositiveSmallIntegerField(_("Voelde u zich gehoord?"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    useful = models.PositiveSmallIntegerField(_("Was het gesprek nuttig?"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    comment = models.TextField(_("Wat wilt u ons nog meegeven?"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("evaluatie")
        verbose_name_plural = _("evaluaties")
        constraints = [
            models.CheckConstraint(condition=Q(heard__gte=1, heard__lte=5), name="evaluation_heard_1_5"),
            models.CheckConstraint(condition=Q(useful__gte=1, useful__lte=5), name="evaluation_useful_1_5"),
        ]
