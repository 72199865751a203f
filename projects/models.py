"""Participation projects: pages hold content; follows, notifications and mail are records."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from .conf import plugin_setting
from .blocks import ContentBlock
from .geometry import GeometryField
from .panels import ComplianceStatusPanel, FollowerCountPanel
from .site_settings import AbstractMunicipalitySettings, MunicipalitySettings  # noqa: F401 (models of this app)
from .memory_entry import MemoryEntry, plain_text, stream_text  # noqa: F401 (the search's table, projects/memory.py)
from .sources import MemoryDocument


class LadderLevel(models.TextChoices):
    """The participatieladder: how much say residents get."""

    INFORMEREN = "informeren", _("Informeren")
    RAADPLEGEN = "raadplegen", _("Raadplegen")
    ADVISEREN = "adviseren", _("Adviseren")
    COPRODUCEREN = "coproduceren", _("Coproduceren")
    MEEBESLISSEN = "meebeslissen", _("Meebeslissen")


# Plain-language (B1) explanation of each ladder level for residents.
LADDER_EXPLANATIONS = {
    LadderLevel.INFORMEREN: _("Wij vertellen u wat er gebeurt. U kunt vragen stellen; de gemeente besluit."),
    LadderLevel.RAADPLEGEN: _("Wij vragen uw mening. De gemeente weegt die mee; de gemeenteraad besluit."),
    LadderLevel.ADVISEREN: _("U mag meedenken en advies geven. Wij leggen uit wat we met uw advies doen; de gemeenteraad besluit."),
    LadderLevel.COPRODUCEREN: _("U werkt samen met de gemeente aan het plan. Wij nemen de uitkomst zo veel mogelijk over."),
    LadderLevel.MEEBESLISSEN: _("U beslist mee. De gemeente neemt het besluit van de deelnemers over, binnen de afgesproken grenzen."),
}


class PhaseKind(models.TextChoices):
    INFORMEREN = "informeren", _("Informeren")
    OPHALEN = "ophalen", _("Ideeën ophalen")
    DIALOOG = "dialoog", _("Dialoog")
    BESLUITVORMING = "besluitvorming", _("Besluitvorming")
    TERUGKOPPELING = "terugkoppeling", _("Terugkoppeling")
    UITVOERING = "uitvoering", _("Uitvoering")


class Level(models.TextChoices):
    LOW = "laag", _("Laag")
    MEDIUM = "middel", _("Middel")
    HIGH = "hoog", _("Hoog")


# The eight questions of a participation plan, answered before a project starts.
PLAN_QUESTIONS = (
    ("plan_goals", _("Wat is het doel van de dialoog?")),
    ("plan_open_topics", _("Welke onderwerpen liggen open voor inbreng?")),
    ("plan_intention", _("Wat is de intentie van de gemeente?")),
    ("plan_decisions", _("Op welke besluiten heeft de inbreng invloed?")),
    ("plan_process", _("Hoe ziet het proces eruit?")),
    ("plan_roles", _("Wie speelt welke rol?")),
    ("plan_expertise", _("Welke kennis en expertise zijn nodig?")),
    ("plan_attitude", _("Welke houding vragen we van de deelnemers?")),
)


class ProjectIndexPage(Page):
    intro = models.TextField(_("inleiding"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["projects.ProjectPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("projectoverzicht")
        verbose_name_plural = _("projectoverzichten")

    def get_context(self, request, *args, **kwargs):
        from .selectors import project_index_context

        context = super().get_context(request, *args, **kwargs)
        context.update(project_index_context(parent=self, phase_kind=request.GET.get("fase", "")))
        return context


class ProjectPage(Page):
    summary = models.TextField(_("samenvatting"), max_length=600, help_text=_("Wat speelt er en waarom? Kort en in eenvoudige taal."))
    body = StreamField(ContentBlock(), verbose_name=_("inhoud"), blank=True)

    ladder_level = models.CharField(_("niveau op de participatieladder"), max_length=20, choices=LadderLevel.choices, default=LadderLevel.RAADPLEGEN)
    influence_can = models.TextField(_("waar u invloed op heeft"), blank=True)
    influence_cannot = models.TextField(_("waar u geen invloed op heeft"), blank=True)
    no_participation_reason = models.TextField(
        _("reden als er geen participatie is"), blank=True,
        help_text=_("Vul dit in als dit project bewust geen inbreng ophaalt."),
    )
    participation_mandatory = models.BooleanField(_("participatie is verplicht"), default=False)
    mandatory_category = models.CharField(_("categorie verplichte participatie"), max_length=200, blank=True)

    plan_goals = models.TextField(PLAN_QUESTIONS[0][1], blank=True)
    plan_open_topics = models.TextField(PLAN_QUESTIONS[1][1], blank=True)
    plan_intention = models.TextField(PLAN_QUESTIONS[2][1], blank=True)
    plan_decisions = models.TextField(PLAN_QUESTIONS[3][1], blank=True)
    plan_process = models.TextField(PLAN_QUESTIONS[4][1], blank=True)
    plan_roles = models.TextField(PLAN_QUESTIONS[5][1], blank=True)
    plan_expertise = models.TextField(PLAN_QUESTIONS[6][1], blank=True)
    plan_attitude = models.TextField(PLAN_QUESTIONS[7][1], blank=True)

    end_result = models.TextField(_("beoogd eindresultaat"), blank=True)

    contact_name = models.CharField(_("naam contactpersoon"), max_length=200, blank=True)
    contact_role = models.CharField(_("functie contactpersoon"), max_length=200, blank=True)
    contact_email = models.EmailField(_("e-mail contactpersoon"), blank=True)
    contact_phone = models.CharField(_("telefoon contactpersoon"), max_length=50, blank=True)

    area = GeometryField(_("projectgebied"), blank=True, null=True, help_text=_("Teken het gebied van het project op de kaart."))

    search_fields = Page.search_fields + [index.SearchField("summary"), index.SearchField("body")]

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("body"),
        InlinePanel("phases", label=_("Fasen"), heading=_("Planning")),
    ]
    participation_panels = [
        ComplianceStatusPanel(),
        MultiFieldPanel(
            [FieldPanel("ladder_level"), FieldPanel("influence_can"), FieldPanel("influence_cannot"),
             FieldPanel("no_participation_reason"),
             FieldRowPanel([FieldPanel("participation_mandatory"), FieldPanel("mandatory_category")])],
            heading=_("Invloed"),
        ),
        MultiFieldPanel([FieldPanel(name) for name, _label in PLAN_QUESTIONS], heading=_("Participatieplan")),
        MultiFieldPanel([FieldPanel("end_result")], heading=_("Resultaat")),
        InlinePanel("criteria", label=_("Succescriterium"), heading=_("Wanneer is het project geslaagd?"),
                    help_text=_("Noem elk criterium apart. Aan het eind van het project beoordeelt u elk criterium: bereikt, deels bereikt of niet bereikt.")),
        InlinePanel("stakeholder_groups", label=_("Belanghebbenden"), heading=_("Belanghebbenden")),
        MultiFieldPanel(
            [FieldPanel("contact_name"), FieldPanel("contact_role"), FieldPanel("contact_email"), FieldPanel("contact_phone")],
            heading=_("Contactpersoon"),
        ),
        FieldPanel("area"),
        FollowerCountPanel(),
    ]
    edit_handler = TabbedInterface([
        ObjectList(content_panels, heading=_("Inhoud")),
        ObjectList(participation_panels, heading=_("Participatie")),
        ObjectList(Page.promote_panels, heading=_("Vindbaarheid")),
        ObjectList(Page.settings_panels, heading=_("Instellingen")),
    ])
    parent_page_types = ["projects.ProjectIndexPage"]
    # Participation apps add their page types (a dialogue round...) through the
    # PARTICIPATIE["PROJECT_SUBPAGE_TYPES"] setting, so projects never names them.
    subpage_types = ["projects.ProjectUpdatePage", *plugin_setting("PROJECT_SUBPAGE_TYPES")]

    class Meta:
        verbose_name = _("participatieproject")
        verbose_name_plural = _("participatieprojecten")

    # The memory (projects/memory.py): this page is one document, its decisions and adopted
    # reports follow its publicness.
    memory_kind = "project"

    def memory_document(self):
        return MemoryDocument(
            key=f"project:{self.pk}", kind="project", title=self.title,
            body=" ".join(t for t in (plain_text(self.summary), stream_text(self.body)) if t),
            url=self.url or "", date=timezone.localdate(self.first_published_at or timezone.now()), project_id=self.pk,
        )

    def memory_related_keys(self) -> list[str]:
        return ([f"decision:{pk}" for pk in self.decisions.values_list("pk", flat=True)]
                + [f"report:{pk}" for pk in self.reports.values_list("pk", flat=True)])

    @property
    def ladder_explanation(self):
        return LADDER_EXPLANATIONS.get(self.ladder_level, "")

    def plan_answers(self):
        return [(label, getattr(self, name)) for name, label in PLAN_QUESTIONS]

    def clean(self):
        super().clean()
        from wagtail.models import Site

        site = self.get_site() if self.pk else None
        site = site or Site.objects.filter(is_default_site=True).first()
        errors = mandatory_category_errors(self, ParticipationPolicy.for_site(site) if site else None)
        if errors:
            raise ValidationError(errors)

    def get_context(self, request, *args, **kwargs):
        from .selectors import project_detail_context

        from . import page_cache

        page_cache.depends_on(page_cache.project_tag(self.pk))
        context = super().get_context(request, *args, **kwargs)
        context.update(project_detail_context(self, request=request))
        return context


class ProjectPhase(Orderable):
    project = ParentalKey(ProjectPage, on_delete=models.CASCADE, related_name="phases")
    kind = models.CharField(_("soort"), max_length=20, choices=PhaseKind.choices)
    title = models.CharField(_("titel"), max_length=200)
    start_date = models.DateField(_("begindatum"))
    end_date = models.DateField(_("einddatum"))
    description = models.TextField(_("beschrijving"), blank=True)

    panels = [
        FieldPanel("kind"), FieldPanel("title"),
        FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
        FieldPanel("description"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("fase")
        verbose_name_plural = _("fasen")
        constraints = [
            models.CheckConstraint(condition=models.Q(end_date__gte=models.F("start_date")), name="phase_end_after_start"),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("De einddatum ligt vóór de begindatum.")})

    def state(self, today: datetime.date) -> str:
        if today < self.start_date:
            return "upcoming"
        if today > self.end_date:
            return "done"
        return "current"


class StakeholderGroup(Orderable):
    """A group the project wants to involve. Records elsewhere keep the name as a snapshot,
    so an editor renaming or removing a group never rewrites or deletes their history."""

    project = ParentalKey(ProjectPage, on_delete=models.CASCADE, related_name="stakeholder_groups")
    name = models.CharField(_("naam"), max_length=200)
    description = models.TextField(_("beschrijving"), blank=True)
    interest = models.CharField(_("belang"), max_length=10, choices=Level.choices, default=Level.MEDIUM)
    influence = models.CharField(_("invloed"), max_length=10, choices=Level.choices, default=Level.MEDIUM)

    panels = [FieldPanel("name"), FieldPanel("description"), FieldRowPanel([FieldPanel("interest"), FieldPanel("influence")])]

    class Meta(Orderable.Meta):
        verbose_name = _("belanghebbende groep")
        verbose_name_plural = _("belanghebbende groepen")

    def __str__(self):
        return self.name


class SuccessCriterion(Orderable):
    """One success criterion of the plan ("Wanneer is het project geslaagd?"), assessed one by
    one at the end of the project (``CriterionAssessment``). Content of the page (edited in the
    plan, kept in revisions); the assessment is a record of its own, outside the revisions."""

    project = ParentalKey(ProjectPage, on_delete=models.CASCADE, related_name="criteria")
    text = models.TextField(_("criterium"), max_length=1000)

    panels = [FieldPanel("text")]

    class Meta(Orderable.Meta):
        verbose_name = _("succescriterium")
        verbose_name_plural = _("succescriteria")

    def __str__(self):
        return self.text

    @property
    def current_assessment(self) -> CriterionAssessment | None:
        """The assessment, or None (no query when ``assessment`` is prefetched or selected)."""
        try:
            return self.assessment
        except CriterionAssessment.DoesNotExist:
            return None


class GoalOutcome(models.TextChoices):
    REACHED = "bereikt", _("Bereikt")
    PARTLY = "deels", _("Deels bereikt")
    NOT_REACHED = "niet", _("Niet bereikt")


class CriterionAssessment(models.Model):
    """ "Doel bereikt?": the assessment of one success criterion, written by
    ``projects.services.goal_assess`` (never through a page revision). ``criterion_text`` keeps
    the criterion as it read when assessed; a later edit of the plan does not rewrite it."""

    criterion = models.OneToOneField(SuccessCriterion, on_delete=models.CASCADE, related_name="assessment")
    outcome = models.CharField(_("oordeel"), max_length=10, choices=GoalOutcome.choices)
    explanation = models.TextField(_("toelichting"), max_length=2000)
    criterion_text = models.TextField()
    assessed_at = models.DateTimeField(_("beoordeeld op"), default=timezone.now)
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("beoordeling van een succescriterium")
        verbose_name_plural = _("beoordelingen van succescriteria")
        constraints = [
            models.CheckConstraint(condition=models.Q(outcome__in=["bereikt", "deels", "niet"]), name="assessment_outcome_known"),
        ]

    def __str__(self):
        return f"{self.criterion_text}: {self.get_outcome_display()}"


class ProjectUpdatePage(Page):
    """News about a project. Its first publication emails the project's followers."""

    date = models.DateField(_("datum"), default=datetime.date.today)
    intro = models.TextField(_("inleiding"), max_length=600)
    body = StreamField(ContentBlock(), verbose_name=_("inhoud"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("date"), FieldPanel("intro"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    memory_kind = "news"  # one document of the memory (projects/memory.py)
    parent_page_types = ["projects.ProjectPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("projectnieuws")
        verbose_name_plural = _("projectnieuws")

    def memory_document(self, project=None):
        project = project or self.get_parent()
        return MemoryDocument(
            key=f"news:{self.pk}", kind="news", title=self.title,
            body=" ".join(t for t in (plain_text(self.intro), stream_text(self.body)) if t),
            url=self.url or "", date=self.date, project_id=project.pk if project else None,
        )


class ProjectFollow(models.Model):
    """A resident following a project to get its news by email."""

    project = models.ForeignKey(ProjectPage, on_delete=models.PROTECT, related_name="follows")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="project_follows")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("volger")
        verbose_name_plural = _("volgers")
        constraints = [models.UniqueConstraint(fields=["project", "user"], name="follow_once_per_project")]


class UpdateNotification(models.Model):
    """Marks that followers were emailed about an update, so re-publishing never mails twice."""

    update = models.OneToOneField(ProjectUpdatePage, on_delete=models.PROTECT, related_name="notification")
    sent_at = models.DateTimeField(default=timezone.now)
    recipients = models.PositiveIntegerField(default=0)


class OutgoingMail(models.Model):
    """The outbox. Every email is stored first, then delivered by a job that tries once.

    The database holds the retry schedule (``next_attempt_at``); the periodic sweep
    ``projects.mail.mail_retry_pending`` hands due mail to the queue, for three days, then
    the mail counts as failed and administrators see it. See ``projects.mail`` for the
    states and what a crash in each can cause. Sent mail is removed after
    ``MAIL_RETENTION_DAYS`` (personal data: the address and the content).
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Wacht")
        SENDING = "sending", _("Wordt verstuurd")
        SENT = "sent", _("Verstuurd")
        FAILED = "failed", _("Mislukt")
        UNCERTAIN = "uncertain", _("Onzeker")

    to = models.EmailField(_("aan"))
    subject = models.CharField(_("onderwerp"), max_length=300)
    body_text = models.TextField(_("tekst"))
    body_html = models.TextField(_("HTML"), blank=True)
    # [{"filename": ..., "content": <text>, "mimetype": ...}] (text attachments such as .ics)
    attachments = models.JSONField(default=list, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("pogingen"), default=0)
    last_error = models.TextField(_("laatste fout"), blank=True)
    created_at = models.DateTimeField(_("aangemaakt"), default=timezone.now)
    # Start of the retry window; an administrator's "try again" starts a new one.
    queued_at = models.DateTimeField(default=timezone.now)
    next_attempt_at = models.DateTimeField(_("volgende poging"), null=True, blank=True, default=timezone.now)
    sending_started_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("verstuurd op"), null=True, blank=True)

    class Meta:
        verbose_name = _("uitgaande e-mail")
        verbose_name_plural = _("uitgaande e-mails")
        indexes = [
            models.Index(fields=["status", "created_at"]),
            models.Index(fields=["status", "next_attempt_at"], name="projects_mail_due_idx"),
        ]
        permissions = [("retry_outgoingmail", _("Kan uitgaande e-mail opnieuw laten versturen"))]

    def __str__(self):
        return f"{self.subject} → {self.to}"


# --- Policy, results and the participation report -------------------------------------

@register_setting(icon="tasks")
class ParticipationPolicy(BaseSiteSetting):
    """The municipality's participation rules (participatieverordening) as data.

    Each rule is on or off and some have a threshold; ``projects.policy`` checks every
    project against them. The council's list of categories where participation is
    mandatory lives here too, one per line.
    """

    plan_complete = models.BooleanField(_("het participatieplan is compleet"), default=True,
                                        help_text=_("Alle acht vragen van het plan zijn beantwoord."))
    influence_stated = models.BooleanField(_("ladder en invloed zijn beschreven"), default=True,
                                           help_text=_("Het niveau op de ladder staat vast en er staat waar inwoners wel en geen invloed op hebben."))
    no_participation_reason = models.BooleanField(_("reden bij geen participatie"), default=True,
                                                  help_text=_("Een project zonder participatie legt uit waarom."))
    sessions_announced = models.BooleanField(_("bijeenkomsten op tijd aangekondigd"), default=True)
    announce_days = models.PositiveIntegerField(
        _("aantal dagen vooraf aankondigen"), default=14, validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    groups_reached = models.BooleanField(_("alle belanghebbende groepen bereikt"), default=True,
                                         help_text=_("Elke groep uit het plan heeft zich aangemeld of deed mee."))
    initiatives_answered = models.BooleanField(_("initiatieven op tijd beantwoord"), default=True)
    answer_weeks = models.PositiveIntegerField(
        _("antwoord binnen (weken)"), default=6, validators=[MinValueValidator(1), MaxValueValidator(52)],
    )
    outcome_published = models.BooleanField(_("uitkomst van een bijeenkomst op tijd gepubliceerd"), default=True)
    outcome_days = models.PositiveIntegerField(
        _("uitkomst publiceren binnen (dagen)"), default=14, validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    report_before_decision = models.BooleanField(_("verslag vastgesteld vóór de besluitvorming"), default=True)
    evaluation_asked = models.BooleanField(_("deelnemers gevraagd om te evalueren"), default=True)
    goal_assessed = models.BooleanField(
        _("doel beoordeeld vóór het verslag"), default=False,
        help_text=_("Elk succescriterium is beoordeeld (bereikt, deels, niet) voordat het verslag wordt vastgesteld. "
                    "Zolang dat niet zo is, kan het verslag niet worden vastgesteld."),
    )
    warning_days = models.PositiveIntegerField(
        _("waarschuwen (dagen vooraf)"), default=7, validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("Zoveel dagen voor een termijn verloopt, krijgt de contactpersoon van het project een e-mail."),
    )
    mandatory_categories = models.TextField(
        _("categorieën met verplichte participatie"), blank=True,
        help_text=_("De lijst van de gemeenteraad. Eén categorie per regel."),
    )

    panels = [
        MultiFieldPanel([FieldPanel("plan_complete"), FieldPanel("influence_stated"), FieldPanel("no_participation_reason")],
                        heading=_("Plan en invloed")),
        MultiFieldPanel([FieldRowPanel([FieldPanel("sessions_announced"), FieldPanel("announce_days")]),
                         FieldPanel("groups_reached"),
                         FieldRowPanel([FieldPanel("initiatives_answered"), FieldPanel("answer_weeks")]),
                         FieldRowPanel([FieldPanel("outcome_published"), FieldPanel("outcome_days")]),
                         FieldPanel("report_before_decision"), FieldPanel("evaluation_asked"),
                         FieldPanel("goal_assessed")],
                        heading=_("Uitvoering")),
        FieldPanel("warning_days"),
        FieldPanel("mandatory_categories"),
    ]

    class Meta:
        verbose_name = _("participatiebeleid")
        verbose_name_plural = _("participatiebeleid")

    def categories(self) -> list[str]:
        return [line.strip() for line in self.mandatory_categories.splitlines() if line.strip()]

    def clean(self):
        super().clean()
        errors = {}
        for field in ("announce_days", "answer_weeks", "outcome_days", "warning_days"):
            value = getattr(self, field)
            if value is None or value < 1:
                errors[field] = _("Vul een getal van 1 of meer in.")
        lines = [line.strip().lower() for line in self.mandatory_categories.splitlines() if line.strip()]
        if len(lines) != len(set(lines)):
            errors["mandatory_categories"] = _("Elke categorie mag maar één keer in de lijst staan.")
        if errors:
            raise ValidationError(errors)


def mandatory_category_errors(page: ProjectPage, policy: ParticipationPolicy | None) -> dict[str, str]:
    """Errors for a project marked as mandatory participation whose category is not on the
    council's list (used by ProjectPage.clean)."""
    category = (page.mandatory_category or "").strip()
    if not page.participation_mandatory and not category:
        return {}
    if page.participation_mandatory and not category:
        return {"mandatory_category": _("Kies de categorie waarom participatie verplicht is.")}
    allowed = policy.categories() if policy is not None else []
    if category.lower() not in {c.lower() for c in allowed}:
        if allowed:
            return {"mandatory_category": _("Kies een categorie uit de lijst van de raad: %(list)s.") % {"list": ", ".join(allowed)}}
        return {"mandatory_category": _("Er is nog geen lijst met categorieën. Vul die eerst in bij Instellingen > Participatiebeleid.")}
    return {}


class Decision(models.Model):
    """A decision taken in a project, with the reasoning: part of "what was done with your input"."""

    project = models.ForeignKey(ProjectPage, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("project"))
    phase = models.ForeignKey(ProjectPhase, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("fase"))
    title = models.CharField(_("besluit"), max_length=255)
    decided_on = models.DateField(_("datum besluit"))
    reasoning = models.TextField(_("onderbouwing"), help_text=_("Wat heeft de inbreng van inwoners bijgedragen? Leg het kort uit."))
    published = models.BooleanField(_("gepubliceerd"), default=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("besluit")
        verbose_name_plural = _("besluiten")
        ordering = ["decided_on", "pk"]
        indexes = [models.Index(fields=["project", "published"])]

    def __str__(self):
        return self.title

    def clean(self):
        if self.phase_id and self.project_id and self.phase.project_id != self.project_id:
            raise ValidationError({"phase": _("Deze fase hoort bij een ander project.")})


class ResultsPublication(models.Model):
    """One "Resultaten publiceren": every consenting participant is emailed once per publication."""

    project = models.ForeignKey(ProjectPage, on_delete=models.PROTECT, related_name="results_publications")
    number = models.PositiveIntegerField()
    message = models.TextField(_("toelichting"), blank=True)
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    recipients = models.PositiveIntegerField(default=0)
    mailed_at = models.DateTimeField(null=True, blank=True)  # set in the transaction that queues the emails

    class Meta:
        verbose_name = _("publicatie van resultaten")
        verbose_name_plural = _("publicaties van resultaten")
        constraints = [models.UniqueConstraint(fields=["project", "number"], name="results_publication_number_unique")]


def report_pdf_path(instance, filename):
    return f"participatieverslagen/{instance.project_id}/verslag-{instance.project_id}-v{instance.version}.pdf"


class ParticipationReport(models.Model):
    """A frozen (vastgesteld) version of a project's participation report.

    ``data`` and ``html`` never change after creation; the PDF is rendered once by a job.
    """

    project = models.ForeignKey(ProjectPage, on_delete=models.PROTECT, related_name="reports")
    version = models.PositiveIntegerField(_("versie"))
    data = models.JSONField()
    html = models.TextField()
    pdf = models.FileField(upload_to=report_pdf_path, blank=True)
    vastgesteld_at = models.DateTimeField(_("vastgesteld op"), default=timezone.now)
    vastgesteld_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("participatieverslag")
        verbose_name_plural = _("participatieverslagen")
        ordering = ["project", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["project", "version"], name="report_version_unique_per_project"),
            models.CheckConstraint(condition=models.Q(version__gte=1), name="report_version_positive"),
        ]

    def __str__(self):
        return f"{self.project} v{self.version}"


class JobRun(models.Model):
    """The last run of one periodic job (projects/schedule.py), so "due" survives restarts and
    two schedulers never start the same run twice (the start is claimed with a conditional UPDATE)."""

    name = models.CharField(max_length=100, unique=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("periodieke taak")
        verbose_name_plural = _("periodieke taken")

    def __str__(self):
        return self.name


class PageCacheTag(models.Model):
    """The version of one thing cached pages show (projects/page_cache.py): raised after every
    write that changes it, compared on every cache hit. Kept in the database, not the cache, so
    a restarted or flushed Redis can never bring an old page back."""

    name = models.CharField(max_length=200, primary_key=True)
    version = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("versie van gecachte inhoud")
        verbose_name_plural = _("versies van gecachte inhoud")

    def __str__(self):
        return f"{self.name} v{self.version}"
