"""Compliance with the municipality's participation policy (``ParticipationPolicy``).

Each rule is one function in ``RULES``: it reads the project page and the participation
sources (through ``projects.sources``, never a concrete app) and returns a ``RuleResult``.
The admin panel, the council view, the report and the nightly warning job all call
``project_compliance``; nothing else decides whether a project follows the policy.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import ngettext

from .dates import format_date
from .models import PLAN_QUESTIONS, ParticipationPolicy, ParticipationReport, PhaseKind, ProjectPage
from .selectors import phase_last, success_criterion_list
from .sources import ActivityCategory, ProjectParticipation, activity_label, item_label, participation_for

MET = "met"
NOT_MET = "not_met"
NOT_APPLICABLE = "not_applicable"

STATUS_LABELS = {
    MET: gettext_lazy("Voldaan"),
    NOT_MET: gettext_lazy("Niet voldaan"),
    NOT_APPLICABLE: gettext_lazy("Niet van toepassing"),
}


def status_label(status: str) -> str:
    return str(STATUS_LABELS[status])


@dataclass(frozen=True)
class RuleResult:
    key: str
    title: str
    status: str  # MET, NOT_MET or NOT_APPLICABLE
    reason: str

    @property
    def status_label(self) -> str:
        return status_label(self.status)

    def as_dict(self) -> dict:
        return {**asdict(self), "status_label": self.status_label}


@dataclass
class Context:
    """Everything a rule may read, gathered once per project."""

    project: ProjectPage
    policy: ParticipationPolicy
    data: ProjectParticipation
    today: datetime.date
    now: datetime.datetime
    phases: list = field(default_factory=list)
    groups: list = field(default_factory=list)
    report_dates: list[datetime.date] = field(default_factory=list)  # vastgesteld dates
    criteria: list = field(default_factory=list)  # SuccessCriterion rows, assessments prefetched
    # What the rule being checked applies to (see ``RuleDef``); all of the project's by default.
    activities: list | None = None
    inputs: list | None = None

    def __post_init__(self):
        if self.activities is None:
            self.activities = list(self.data.activities)
        if self.inputs is None:
            self.inputs = list(self.data.inputs)

    def answerable_inputs(self):
        """Inputs that wait for a public answer (``InputItem.awaits_answer``) and came in."""
        return [i for i in self.inputs if i.awaits_answer and i.submitted_at is not None]

    def past_activities(self):
        return [a for a in self.activities if not a.cancelled and a.ends_at <= self.now]

    def last_phase(self):
        """The phase that starts last: "Doel bereikt?" is assessed from its start."""
        return phase_last(self.phases)


Rule = Callable[[Context], RuleResult]


# ``RuleDef.inputs``: the rule judges only inputs that await a public answer.
AWAITING_ANSWER = "awaiting answer"


@dataclass(frozen=True)
class RuleDef:
    """One rule of the policy, and what it applies to.

    ``activity_categories`` (``ActivityCategory`` values) limits the activities the rule sees,
    ``inputs=AWAITING_ANSWER`` the inputs; None: all of them. A source's items are so judged by
    what the source says they are (a Top-3 period is never a meeting "not announced").
    """

    key: str
    title: object  # lazy translation
    enabled: Callable[[ParticipationPolicy], bool]
    check: Rule
    activity_categories: tuple[str, ...] | None = None
    inputs: str | None = None

    def scope(self, ctx: Context) -> Context:
        """``ctx`` narrowed to the activities and inputs this rule applies to."""
        activities = ctx.data.activities if self.activity_categories is None else ctx.data.activities_in(self.activity_categories)
        inputs = ctx.data.answerable_inputs if self.inputs == AWAITING_ANSWER else ctx.data.inputs
        return replace(ctx, activities=list(activities), inputs=list(inputs))


RULES: dict[str, RuleDef] = {}


def rule(key: str, title, enabled: Callable[[ParticipationPolicy], bool], *,
         activity_categories: tuple[str, ...] | None = None, inputs: str | None = None):
    def decorator(func: Rule) -> Rule:
        RULES[key] = RuleDef(key=key, title=title, enabled=enabled, check=func,
                             activity_categories=activity_categories, inputs=inputs)
        return func

    return decorator


def _mixed_kinds(labels, usual) -> str:
    """The sources' own words for what a rule counted, when that is not only ``usual``
    ("Bijeenkomst", "Initiatief"): "" keeps today's wording."""
    distinct = sorted({str(label) for label in labels})
    if all(label == str(usual) for label in distinct):
        return ""
    return ", ".join(distinct)


def _result(ctx_key: str, status: str, reason: str) -> RuleResult:
    return RuleResult(key=ctx_key, title=str(RULES[ctx_key].title), status=status, reason=reason)


@rule("mandatory", gettext_lazy("Verplichte participatie is uitgevoerd"), lambda p: True)
def check_mandatory(ctx: Context) -> RuleResult:
    if not ctx.project.participation_mandatory:
        return _result("mandatory", NOT_APPLICABLE, _("Participatie is voor dit project niet verplicht."))
    if ctx.data.has_participation:
        return _result("mandatory", MET, _("Participatie is verplicht (%(category)s) en vindt plaats.") % {
            "category": ctx.project.mandatory_category or "-"})
    return _result("mandatory", NOT_MET, _("Participatie is verplicht (%(category)s), maar er is nog geen participatie.") % {
        "category": ctx.project.mandatory_category or "-"})


@rule("plan_complete", gettext_lazy("Het participatieplan is compleet"), lambda p: p.plan_complete)
def check_plan_complete(ctx: Context) -> RuleResult:
    missing = [str(label) for name, label in PLAN_QUESTIONS if not (getattr(ctx.project, name) or "").strip()]
    if not missing:
        return _result("plan_complete", MET, _("Alle acht vragen van het plan zijn beantwoord."))
    return _result("plan_complete", NOT_MET, ngettext(
        "%(count)d vraag van het plan is niet beantwoord.", "%(count)d vragen van het plan zijn niet beantwoord.", len(missing),
    ) % {"count": len(missing)})


@rule("influence_stated", gettext_lazy("Ladder en invloed zijn beschreven"), lambda p: p.influence_stated)
def check_influence_stated(ctx: Context) -> RuleResult:
    project = ctx.project
    missing = []
    if not project.ladder_level:
        missing.append(_("het niveau op de ladder"))
    if not (project.influence_can or "").strip():
        missing.append(_("waar inwoners invloed op hebben"))
    if not (project.influence_cannot or "").strip():
        missing.append(_("waar inwoners geen invloed op hebben"))
    if not missing:
        return _result("influence_stated", MET, _("Het niveau op de ladder en de invloed zijn beschreven."))
    return _result("influence_stated", NOT_MET, _("Niet beschreven: %(list)s.") % {"list": ", ".join(missing)})


@rule("no_participation_reason", gettext_lazy("Reden als er geen participatie is"), lambda p: p.no_participation_reason)
def check_no_participation_reason(ctx: Context) -> RuleResult:
    if ctx.data.has_participation:
        return _result("no_participation_reason", NOT_APPLICABLE, _("Het project haalt inbreng op."))
    if (ctx.project.no_participation_reason or "").strip():
        return _result("no_participation_reason", MET, _("Het project legt uit waarom er geen participatie is."))
    return _result("no_participation_reason", NOT_MET,
                   _("Er is geen participatie en het project legt niet uit waarom."))


MEETINGS = (ActivityCategory.MEETING,)


@rule("sessions_announced", gettext_lazy("Bijeenkomsten op tijd aangekondigd"), lambda p: p.sessions_announced,
      activity_categories=MEETINGS)
def check_sessions_announced(ctx: Context) -> RuleResult:
    days = ctx.policy.announce_days
    needed = datetime.timedelta(days=days)
    activities = [a for a in ctx.activities if not a.cancelled]
    if not activities:
        return _result("sessions_announced", NOT_APPLICABLE, _("Er zijn geen bijeenkomsten."))
    late = 0
    for activity in activities:
        if activity.announced_at is not None:
            late += activity.starts_at - activity.announced_at < needed
        else:  # not announced yet: late once the announcement deadline has passed
            late += activity.starts_at - ctx.now < needed
    kinds = _mixed_kinds((activity_label(a) for a in activities), _("Bijeenkomst"))
    values = {"late": late, "total": len(activities), "days": days, "kinds": kinds}
    if late and kinds:
        return _result("sessions_announced", NOT_MET, ngettext(
            "%(late)d van %(total)d activiteiten (%(kinds)s) is niet %(days)d dagen vooraf aangekondigd.",
            "%(late)d van %(total)d activiteiten (%(kinds)s) zijn niet %(days)d dagen vooraf aangekondigd.", late,
        ) % values)
    if late:
        return _result("sessions_announced", NOT_MET, ngettext(
            "%(late)d van %(total)d bijeenkomsten is niet %(days)d dagen vooraf aangekondigd.",
            "%(late)d van %(total)d bijeenkomsten zijn niet %(days)d dagen vooraf aangekondigd.", late,
        ) % values)
    if kinds:
        return _result("sessions_announced", MET,
                       _("Alle activiteiten (%(kinds)s) zijn minstens %(days)d dagen vooraf aangekondigd.") % values)
    return _result("sessions_announced", MET, _("Alle bijeenkomsten zijn minstens %(days)d dagen vooraf aangekondigd.") % {"days": days})


@rule("groups_reached", gettext_lazy("Alle belanghebbende groepen bereikt"), lambda p: p.groups_reached)
def check_groups_reached(ctx: Context) -> RuleResult:
    if not ctx.groups:
        return _result("groups_reached", NOT_APPLICABLE, _("Het plan noemt geen belanghebbende groepen."))
    reached: dict[str, int] = {}
    for reach in ctx.data.reach.values():
        for counts in (reach.by_group, reach.invited_by_group):
            for name, count in counts.items():
                reached[name.strip().lower()] = reached.get(name.strip().lower(), 0) + count
    missing = [g.name for g in ctx.groups if reached.get(g.name.strip().lower(), 0) <= 0]
    if missing:
        return _result("groups_reached", NOT_MET, _("Nog niet bereikt: %(list)s.") % {"list": ", ".join(missing)})
    return _result("groups_reached", MET, ngettext(
        "De %(count)d groep uit het plan is bereikt.", "Alle %(count)d groepen uit het plan zijn bereikt.", len(ctx.groups),
    ) % {"count": len(ctx.groups)})


@rule("initiatives_answered", gettext_lazy("Initiatieven op tijd beantwoord"), lambda p: p.initiatives_answered,
      inputs=AWAITING_ANSWER)
def check_initiatives_answered(ctx: Context) -> RuleResult:
    weeks = ctx.policy.answer_weeks
    limit = datetime.timedelta(weeks=weeks)
    items = ctx.answerable_inputs()
    if not items:
        if ctx.data.inputs:
            return _result("initiatives_answered", NOT_APPLICABLE, _("Er is geen inbreng die op een eigen antwoord wacht."))
        return _result("initiatives_answered", NOT_APPLICABLE, _("Er zijn geen initiatieven."))
    open_late = sum(1 for i in items if i.answered_at is None and ctx.now - i.submitted_at > limit)
    answered_late = sum(1 for i in items if i.answered_at is not None and i.answered_at - i.submitted_at > limit)
    kinds = _mixed_kinds((item_label(i) for i in items), _("Initiatief"))
    if open_late or answered_late:
        parts = []
        if open_late and kinds:
            parts.append(ngettext(
                "%(count)d inzending (%(kinds)s) is langer dan %(weeks)d weken onbeantwoord",
                "%(count)d inzendingen (%(kinds)s) zijn langer dan %(weeks)d weken onbeantwoord", open_late,
            ) % {"count": open_late, "weeks": weeks, "kinds": kinds})
        elif open_late:
            parts.append(ngettext(
                "%(count)d initiatief is langer dan %(weeks)d weken onbeantwoord",
                "%(count)d initiatieven zijn langer dan %(weeks)d weken onbeantwoord", open_late,
            ) % {"count": open_late, "weeks": weeks})
        if answered_late and kinds:
            parts.append(ngettext(
                "%(count)d inzending (%(kinds)s) kreeg pas na %(weeks)d weken antwoord",
                "%(count)d inzendingen (%(kinds)s) kregen pas na %(weeks)d weken antwoord", answered_late,
            ) % {"count": answered_late, "weeks": weeks, "kinds": kinds})
        elif answered_late:
            parts.append(ngettext(
                "%(count)d initiatief kreeg pas na %(weeks)d weken antwoord",
                "%(count)d initiatieven kregen pas na %(weeks)d weken antwoord", answered_late,
            ) % {"count": answered_late, "weeks": weeks})
        return _result("initiatives_answered", NOT_MET, "; ".join(parts) + ".")
    if kinds:
        return _result("initiatives_answered", MET, _(
            "Alle inzendingen (%(kinds)s) zijn binnen %(weeks)d weken beantwoord of nog binnen de termijn.",
        ) % {"weeks": weeks, "kinds": kinds})
    return _result("initiatives_answered", MET, _("Alle initiatieven zijn binnen %(weeks)d weken beantwoord of nog binnen de termijn.") % {"weeks": weeks})


@rule("outcome_published", gettext_lazy("Uitkomst van bijeenkomsten op tijd gepubliceerd"), lambda p: p.outcome_published,
      activity_categories=MEETINGS)
def check_outcome_published(ctx: Context) -> RuleResult:
    days = ctx.policy.outcome_days
    limit = datetime.timedelta(days=days)
    past = ctx.past_activities()
    if not past:
        return _result("outcome_published", NOT_APPLICABLE, _("Er zijn nog geen bijeenkomsten geweest."))
    late = 0
    for activity in past:
        if activity.outcome_published_at is None:
            late += ctx.now - activity.ends_at > limit
        else:
            late += activity.outcome_published_at - activity.ends_at > limit
    kinds = _mixed_kinds((activity_label(a) for a in past), _("Bijeenkomst"))
    if late and kinds:
        return _result("outcome_published", NOT_MET, ngettext(
            "Van %(count)d activiteit (%(kinds)s) is de uitkomst niet binnen %(days)d dagen gepubliceerd.",
            "Van %(count)d activiteiten (%(kinds)s) is de uitkomst niet binnen %(days)d dagen gepubliceerd.", late,
        ) % {"count": late, "days": days, "kinds": kinds})
    if late:
        return _result("outcome_published", NOT_MET, ngettext(
            "Van %(count)d bijeenkomst is de uitkomst niet binnen %(days)d dagen gepubliceerd.",
            "Van %(count)d bijeenkomsten is de uitkomst niet binnen %(days)d dagen gepubliceerd.", late,
        ) % {"count": late, "days": days})
    return _result("outcome_published", MET, _("De uitkomsten zijn binnen %(days)d dagen gepubliceerd of nog binnen de termijn.") % {"days": days})


@rule("report_before_decision", gettext_lazy("Verslag vastgesteld vóór de besluitvorming"), lambda p: p.report_before_decision)
def check_report_before_decision(ctx: Context) -> RuleResult:
    decision = next((p for p in ctx.phases if p.kind == PhaseKind.BESLUITVORMING), None)
    if decision is None:
        return _result("report_before_decision", NOT_APPLICABLE, _("Het project heeft geen fase voor besluitvorming."))
    in_time = [d for d in ctx.report_dates if d <= decision.start_date]
    start = format_date(decision.start_date)
    if in_time:
        return _result("report_before_decision", MET, _("Het verslag is vastgesteld vóór de besluitvorming (%(date)s).") % {"date": start})
    if ctx.today < decision.start_date:
        return _result("report_before_decision", NOT_APPLICABLE,
                       _("De besluitvorming begint op %(date)s. Stel het verslag daarvoor vast.") % {"date": start})
    return _result("report_before_decision", NOT_MET,
                   _("De besluitvorming begon op %(date)s zonder vastgesteld verslag.") % {"date": start})


@rule("evaluation_asked", gettext_lazy("Deelnemers gevraagd om te evalueren"), lambda p: p.evaluation_asked,
      activity_categories=MEETINGS)
def check_evaluation_asked(ctx: Context) -> RuleResult:
    past = ctx.past_activities()
    if not past:
        return _result("evaluation_asked", NOT_APPLICABLE, _("Er zijn nog geen bijeenkomsten geweest."))
    missing = sum(1 for a in past if not a.evaluation_requested)
    kinds = _mixed_kinds((activity_label(a) for a in past), _("Bijeenkomst"))
    if missing and kinds:
        return _result("evaluation_asked", NOT_MET, ngettext(
            "Na %(count)d activiteit (%(kinds)s) is niet om een evaluatie gevraagd.",
            "Na %(count)d activiteiten (%(kinds)s) is niet om een evaluatie gevraagd.", missing,
        ) % {"count": missing, "kinds": kinds})
    if missing:
        return _result("evaluation_asked", NOT_MET, ngettext(
            "Na %(count)d bijeenkomst is niet om een evaluatie gevraagd.",
            "Na %(count)d bijeenkomsten is niet om een evaluatie gevraagd.", missing,
        ) % {"count": missing})
    return _result("evaluation_asked", MET, _("Na elke bijeenkomst is om een evaluatie gevraagd."))


@rule("goal_assessed", gettext_lazy("Doel beoordeeld vóór het verslag"), lambda p: p.goal_assessed)
def check_goal_assessed(ctx: Context) -> RuleResult:
    criteria = ctx.criteria
    if not criteria:
        return _result("goal_assessed", NOT_APPLICABLE, _("Het plan noemt geen succescriteria."))
    total = len(criteria)
    if ctx.report_dates:
        latest = max(ctx.report_dates)
        missing = sum(1 for c in criteria if not assessed_by(c, latest))
        if missing:
            return _result("goal_assessed", NOT_MET, ngettext(
                "Het verslag is vastgesteld op %(date)s, maar %(count)d van %(total)d succescriteria was toen niet beoordeeld.",
                "Het verslag is vastgesteld op %(date)s, maar %(count)d van %(total)d succescriteria waren toen niet beoordeeld.",
                missing) % {"date": format_date(latest), "count": missing, "total": total})
        return _result("goal_assessed", MET, _("Alle succescriteria waren beoordeeld toen het verslag werd vastgesteld."))
    missing = sum(1 for c in criteria if c.current_assessment is None)
    if not missing:
        return _result("goal_assessed", MET, _("Alle succescriteria zijn beoordeeld."))
    last = ctx.last_phase()
    if last is not None and ctx.today >= last.start_date:
        return _result("goal_assessed", NOT_MET, ngettext(
            "Het project is in de laatste fase, maar %(count)d van %(total)d succescriteria is nog niet beoordeeld.",
            "Het project is in de laatste fase, maar %(count)d van %(total)d succescriteria zijn nog niet beoordeeld.",
            missing) % {"count": missing, "total": total})
    if last is not None:
        return _result("goal_assessed", NOT_APPLICABLE, _(
            "Beoordeel de succescriteria vanaf %(date)s (de laatste fase), vóór het verslag.") % {"date": format_date(last.start_date)})
    return _result("goal_assessed", NOT_APPLICABLE, _("Het project heeft nog geen fasen."))


def assessed_by(criterion, day: datetime.date) -> bool:
    """Whether ``criterion`` had been assessed on or before ``day``."""
    assessment = criterion.current_assessment
    return assessment is not None and timezone.localtime(assessment.assessed_at).date() <= day


def goal_unassessed(project: ProjectPage, policy: ParticipationPolicy) -> list:
    """The criteria still to assess before the report may be vastgesteld: none while the policy
    does not ask for it. ``report_freeze`` refuses while this is not empty."""
    if not policy.goal_assessed:
        return []
    return [c for c in success_criterion_list(project) if c.current_assessment is None]


# --- entry points ------------------------------------------------------------------------


def policy_for(project: ProjectPage | None = None) -> ParticipationPolicy:
    """The policy of the project's site (the default site for none)."""
    from wagtail.models import Site

    site = project.get_site() if project is not None else None
    site = site or Site.objects.filter(is_default_site=True).first()
    if site is None:
        return ParticipationPolicy()
    return ParticipationPolicy.for_site(site)


def report_dates_for(project_ids) -> dict[int, list[datetime.date]]:
    dates: dict[int, list[datetime.date]] = {}
    rows = ParticipationReport.objects.filter(project_id__in=list(project_ids)).values_list("project_id", "vastgesteld_at")
    for project_id, at in rows:
        dates.setdefault(project_id, []).append(timezone.localtime(at).date())
    return dates


def compliance_evaluate(
    project: ProjectPage,
    *,
    policy: ParticipationPolicy,
    data: ProjectParticipation,
    report_dates: list[datetime.date],
    now: datetime.datetime | None = None,
) -> list[RuleResult]:
    """Evaluate every enabled rule from data already gathered (no queries of its own when
    the project's phases and stakeholder groups are prefetched)."""
    now = now or timezone.now()
    ctx = Context(
        project=project, policy=policy, data=data, now=now, today=timezone.localtime(now).date(),
        phases=sorted(project.phases.all(), key=lambda p: (p.sort_order or 0, p.pk or 0)),
        groups=list(project.stakeholder_groups.all()), report_dates=report_dates,
        criteria=success_criterion_list(project),
    )
    results = []
    for definition in RULES.values():
        if not definition.enabled(policy):
            continue
        result = definition.check(definition.scope(ctx))
        if definition.key == "mandatory" and result.status == NOT_APPLICABLE:
            continue  # only worth a line for projects where participation is mandatory
        results.append(result)
    return results


def project_compliance(
    project: ProjectPage,
    *,
    policy: ParticipationPolicy | None = None,
    today: datetime.date | None = None,
    now: datetime.datetime | None = None,
    data: ProjectParticipation | None = None,
) -> list[RuleResult]:
    """Check ``project`` against the participation policy: one result per enabled rule."""
    if now is None and today is not None:
        now = timezone.make_aware(datetime.datetime.combine(today, datetime.time(12, 0)))
    policy = policy or policy_for(project)
    data = data if data is not None else participation_for([project])[project.pk]
    return compliance_evaluate(
        project, policy=policy, data=data, report_dates=report_dates_for([project.pk]).get(project.pk, []), now=now,
    )


def compliance_summary(results: list[RuleResult]) -> dict[str, int]:
    summary = {MET: 0, NOT_MET: 0, NOT_APPLICABLE: 0}
    for result in results:
        summary[result.status] += 1
    return summary


# --- warnings before a deadline passes (nightly job) ----------------------------------------


def project_warnings(
    project: ProjectPage,
    *,
    policy: ParticipationPolicy,
    data: ProjectParticipation,
    report_dates: list[datetime.date],
    now: datetime.datetime,
) -> list[str]:
    """Deadlines of the policy that pass within ``policy.warning_days``, in Dutch, one per line."""
    window = datetime.timedelta(days=policy.warning_days)
    today = timezone.localtime(now).date()
    ctx = Context(project=project, policy=policy, data=data, now=now, today=today,
                  phases=list(project.phases.all()), report_dates=report_dates)
    warnings = []
    if policy.initiatives_answered:
        limit = datetime.timedelta(weeks=policy.answer_weeks)
        scoped = RULES["initiatives_answered"].scope(ctx)
        due = [i for i in scoped.answerable_inputs() if i.answered_at is None and now <= i.submitted_at + limit <= now + window]
        if due:
            warnings.append(ngettext(
                "%(count)d initiatief moet binnen %(days)d dagen een antwoord krijgen.",
                "%(count)d initiatieven moeten binnen %(days)d dagen een antwoord krijgen.", len(due),
            ) % {"count": len(due), "days": policy.warning_days})
    if policy.sessions_announced:
        needed = datetime.timedelta(days=policy.announce_days)
        due = [a for a in RULES["sessions_announced"].scope(ctx).activities if not a.cancelled and a.announced_at is None
               and now <= a.starts_at - needed <= now + window]
        if due:
            warnings.append(ngettext(
                "%(count)d bijeenkomst moet binnen %(days)d dagen worden aangekondigd.",
                "%(count)d bijeenkomsten moeten binnen %(days)d dagen worden aangekondigd.", len(due),
            ) % {"count": len(due), "days": policy.warning_days})
    if policy.outcome_published:
        limit = datetime.timedelta(days=policy.outcome_days)
        due = [a for a in RULES["outcome_published"].scope(ctx).past_activities() if a.outcome_published_at is None and now <= a.ends_at + limit <= now + window]
        if due:
            warnings.append(ngettext(
                "Van %(count)d bijeenkomst moet binnen %(days)d dagen de uitkomst worden gepubliceerd.",
                "Van %(count)d bijeenkomsten moet binnen %(days)d dagen de uitkomst worden gepubliceerd.", len(due),
            ) % {"count": len(due), "days": policy.warning_days})
    if policy.report_before_decision and not report_dates:
        decision = next((p for p in ctx.phases if p.kind == PhaseKind.BESLUITVORMING), None)
        if decision is not None and today <= decision.start_date <= today + window:
            warnings.append(_("De besluitvorming begint op %(date)s. Stel het participatieverslag daarvoor vast.") % {
                "date": format_date(decision.start_date)})
    return warnings
