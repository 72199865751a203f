"""Participation sources: how concrete kinds of participation plug into a project.

``projects`` never imports ``dialogues`` or ``geo``. Each of them implements
``ParticipationSource`` and registers an instance in its ``AppConfig.ready()``::

    from projects.sources import register
    register(DialogueSource())

The report, the policy checks, the council view and "Mijn gegevens" read only this
protocol, so a new kind of participation (a survey, a poll) needs no change here.
Methods return plain data. Only the methods whose names start with ``personal_`` or
``participant_`` return personal data; everything else is aggregate and publishable.

Accountability (optional, see the end of this module): a source that holds commitments
(agreements made at a session, adopted initiatives to carry out) offers
``commitment_kinds`` (``{kind: Dutch label}``: the kinds it owns, the prefixes of its keys),
``commitments_many(projects, *, include_private=False)`` returning
``{project.pk: [Commitment, ...]}``, and
``commitment_update(key, *, status, progress, by, who=None, due_date=None)`` (None: unchanged),
a staff write that checks permission,
locks the row and writes the audit log. Optionally ``commitment_manageable(user, commitment,
*, project_editable)`` says whether ``user`` may update it (default: ``project_editable``).
``projects`` reads them through ``commitments_for`` and writes through ``commitment_update``.

What lives and the memory (optional, see "signals" and "memory" below): a source may count
what residents raise per theme and area (``signal_counts``) for "Wat leeft er", offer its
public records to the search (``memory_kinds``, ``memory_documents``) and name the areas and
themes it knows (``areas``, ``themes``; ``themes_are_tags = True`` for a source whose themes
are tags people typed rather than a list it keeps).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from functools import reduce
from operator import or_
from typing import Any, Protocol, runtime_checkable

from django.db import models as _models  # TextChoices only: no model lives here
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy


@dataclass(frozen=True)
class PersonalSection:
    """One block on "Mijn gegevens": a template and its context, for the logged-in user."""

    key: str
    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 50


@dataclass(frozen=True)
class Reach:
    """Who took part in a project through one source: counts only, never names.

    ``by_group`` is keyed by stakeholder group name (as the project names them, plus
    "Bewoner"); ``by_area`` by area (wijk) name. ``invited_by_group`` counts people invited
    or registered, ``by_group`` those who actually took part (attended, submitted, supported).
    """

    participants: int = 0
    by_group: dict[str, int] = field(default_factory=dict)
    invited_by_group: dict[str, int] = field(default_factory=dict)
    by_area: dict[str, int] = field(default_factory=dict)


def reach_of_people(project_ids, rows, *, group: str) -> dict[int, Reach]:
    """For a source whose participants all belong to one ``group`` (residents: "Bewoner"):
    ``{project pk: Reach}`` from ``rows`` of ``(project_id, person, area)``, oldest first.
    Each person (any hashable key, never shown) counts once per project, in the area of their
    first row; a row without an area counts the person but no area."""
    first_area: dict[int, dict] = {pk: {} for pk in project_ids}
    for project_id, person, area in rows:
        first_area[project_id].setdefault(person, area or "")
    result = {}
    for pk, people in first_area.items():
        by_area: dict[str, int] = {}
        for area in people.values():
            if area:
                by_area[area] = by_area.get(area, 0) + 1
        result[pk] = Reach(participants=len(people), by_group={group: len(people)} if people else {}, by_area=by_area)
    return result


@dataclass(frozen=True)
class InputItem:
    """One piece of input and what became of it: a session outcome, an initiative...

    ``awaits_answer`` says what the input is: True when the municipality owes it a public
    answer of its own (an initiative), so the policy's answer rule judges it; False for the
    outcome of an activity the municipality ran itself (a session) or input that is only
    aggregated (a resident's Top-3 concerns). ``kind_label`` is the source's own word for one
    item of the kind, for people ("Initiatief", "Uitkomst van een bijeenkomst").
    """

    source: str  # the source's key
    kind: str  # "session", "initiative", ...
    title: str
    kind_label: str = ""
    awaits_answer: bool = False
    url: str = ""
    submitted_at: datetime.datetime | None = None  # when the input came in (or the session was held)
    status: str = ""  # machine value, e.g. "overgenomen"
    status_label: str = ""  # Dutch label for people
    answer: str = ""  # the municipality's public answer or the published outcome summary
    answered_at: datetime.datetime | None = None  # first public answer / outcome publication
    area: str = ""
    themes: tuple[str, ...] = ()
    supporters: int = 0
    agreements: tuple[dict, ...] = ()  # [{"what", "who", "due", "status", "status_label"}]


class ActivityCategory(_models.TextChoices):
    """What an activity is, in the one vocabulary the policy's rules are declared against."""

    # People meet at a time (on location or online): announced ahead, an outcome, an evaluation.
    MEETING = "meeting", gettext_lazy("Bijeenkomst")
    # A period in which residents give input on their own time (a Top-3 round, a survey).
    PERIOD = "period", gettext_lazy("Periode voor inbreng")


@dataclass(frozen=True)
class Activity:
    """A participation moment (a dialogue session...) with the dates the policy checks.

    ``label`` is the source's own word for one activity of the kind ("Bijeenkomst",
    "Top-3-ronde"); ``category`` tells the policy which rules apply to it.
    """

    source: str
    kind: str
    title: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    label: str = ""
    category: str = ActivityCategory.MEETING
    announced_at: datetime.datetime | None = None  # when registration opened / it was published
    cancelled: bool = False
    held: bool = False
    outcome_published_at: datetime.datetime | None = None
    evaluation_requested: bool = False


@dataclass(frozen=True)
class Evaluation:
    """Aggregated evaluation answers (scores 1-5), never individual answers."""

    responses: int = 0
    averages: dict[str, float] = field(default_factory=dict)  # {"gehoord": 4.2, "nuttig": 3.9}


@dataclass(frozen=True)
class Participant:
    """Someone to tell what was done with their input (personal data: internal use only)."""

    email: str
    name: str = ""
    language: str = "nl"


@runtime_checkable
class ParticipationSource(Protocol):
    key: str  # short, stable identifier: "dialogues", "initiatives"
    label: str  # human name, translatable

    # --- aggregate, publishable -------------------------------------------------------
    def reach(self, project) -> Reach:
        """How many took part in ``project`` through this source, per group and area."""

    def inputs(self, project) -> list[InputItem]:
        """The project's inputs from this source, each with its answer or outcome."""

    def activities(self, project) -> list[Activity]:
        """The project's participation moments, for timing rules of the policy."""

    def evaluation(self, project) -> Evaluation:
        """Participants' evaluation of this source's activities in the project."""

    def project_has_records(self, project) -> bool:
        """Whether the project holds records that must not be deleted with its page."""

    # --- personal data ------------------------------------------------------------------
    def participant_contacts(self, project) -> list[Participant]:
        """Everyone who took part and consented to hear back about the project."""

    def personal_sections(self, user) -> list[PersonalSection]:
        """Blocks for the user's "Mijn gegevens" page (their registrations, initiatives...)."""

    def personal_data(self, user) -> dict[str, Any]:
        """Everything this source holds about the user, JSON-serialisable (AVG inzage)."""

    def personal_data_delete(self, user) -> None:
        """Erase or anonymise the user's personal data (AVG), keeping anonymous counts."""


class BulkSource:
    """A base for a source that answers in bulk (see ``participation_for``): the per-project
    methods ask its ``reach_many``, ``inputs_many``, ``activities_many`` and ``evaluation_many``,
    and a source without activities or evaluations (initiatives, Top-3's) reports none."""

    def reach(self, project) -> Reach:
        return self.reach_many([project])[project.pk]

    def inputs(self, project) -> list[InputItem]:
        return self.inputs_many([project])[project.pk]

    def activities(self, project) -> list[Activity]:
        return self.activities_many([project])[project.pk]

    def evaluation(self, project) -> Evaluation:
        return self.evaluation_many([project])[project.pk]

    def activities_many(self, projects) -> dict[int, list[Activity]]:
        return {p.pk: [] for p in projects}

    def evaluation_many(self, projects) -> dict[int, Evaluation]:
        return {p.pk: Evaluation() for p in projects}


_registry: dict[str, ParticipationSource] = {}


def register(source: ParticipationSource) -> None:
    _registry[source.key] = source


def unregister(key: str) -> None:
    _registry.pop(key, None)


def all_sources() -> list[ParticipationSource]:
    return list(_registry.values())


def get_source(key: str) -> ParticipationSource | None:
    return _registry.get(key)


# --- reading many projects at once --------------------------------------------------------

BULK_METHODS = ("reach", "inputs", "activities", "evaluation")


@dataclass
class ProjectParticipation:
    """What every source reports about one project: aggregate, publishable data only."""

    reach: dict[str, Reach] = field(default_factory=dict)  # by source key
    inputs: list[InputItem] = field(default_factory=list)
    activities: list[Activity] = field(default_factory=list)
    evaluation: dict[str, Evaluation] = field(default_factory=dict)  # by source key

    @property
    def participants(self) -> int:
        return sum(r.participants for r in self.reach.values())

    @property
    def has_participation(self) -> bool:
        return bool(self.inputs or self.activities or self.participants)

    # The one place that splits inputs by what they are (``InputItem.awaits_answer``): the
    # policy, the report, the results page and the council view all read these.

    @property
    def answerable_inputs(self) -> list[InputItem]:
        """Inputs the municipality owes a public answer of its own (an initiative)."""
        return [i for i in self.inputs if i.awaits_answer]

    @property
    def outcome_inputs(self) -> list[InputItem]:
        """The other inputs: outcomes of activities (a session) and input that is only
        aggregated (a Top-3 concern); they get no answer of their own."""
        return [i for i in self.inputs if not i.awaits_answer]

    def input_groups(self) -> list[InputGroup]:
        """The inputs per source and kind, each group with the source's own word for one
        item, in the order the sources reported them."""
        groups: dict[tuple[str, str], InputGroup] = {}
        for item in self.inputs:
            group = groups.get((item.source, item.kind))
            if group is None:
                group = groups[(item.source, item.kind)] = InputGroup(
                    source=item.source, kind=item.kind, kind_label=item_label(item), awaits_answer=item.awaits_answer)
            group.items.append(item)
        return list(groups.values())

    def activities_in(self, categories) -> list[Activity]:
        """The activities of the given ``ActivityCategory`` values (what a policy rule applies to)."""
        return [a for a in self.activities if a.category in categories]


@dataclass
class InputGroup:
    """The inputs of one kind from one source (see ``ProjectParticipation.input_groups``)."""

    source: str
    kind: str
    kind_label: str
    awaits_answer: bool
    items: list[InputItem] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def answered(self) -> int:
        return sum(1 for i in self.items if i.answer)


def item_label(item: InputItem) -> str:
    """The word for one input of the item's kind: its own ``kind_label``, else the source's
    label, else the kind itself (a source written before ``kind_label`` existed)."""
    if item.kind_label:
        return str(item.kind_label)
    source = get_source(item.source)
    return str(source.label) if source is not None else item.kind


def activity_label(activity: Activity) -> str:
    """The word for one activity of the kind (its ``label``, else "Bijeenkomst" or
    "Periode voor inbreng" from its category)."""
    if activity.label:
        return str(activity.label)
    try:
        return str(ActivityCategory(activity.category).label)
    except ValueError:
        return activity.kind


def participation_for(projects) -> dict[int, ProjectParticipation]:
    """Ask every registered source about ``projects``; the result is keyed by project pk.

    Optional extension of the protocol: a source may offer ``reach_many``, ``inputs_many``,
    ``activities_many`` and ``evaluation_many``, each taking a list of projects and returning
    ``{project.pk: value}``. With them, overviews of many projects (the council view) use a
    fixed number of queries. A source without them is asked per project.
    """
    projects = list(projects)
    result = {p.pk: ProjectParticipation() for p in projects}
    if not projects:
        return result
    for source in all_sources():
        values: dict[str, dict] = {}
        for method in BULK_METHODS:
            bulk = getattr(source, f"{method}_many", None)
            if callable(bulk):
                values[method] = bulk(projects)
            else:
                values[method] = {p.pk: getattr(source, method)(p) for p in projects}
        for project in projects:
            data = result[project.pk]
            data.reach[source.key] = values["reach"].get(project.pk) or Reach()
            data.inputs.extend(values["inputs"].get(project.pk) or ())
            data.activities.extend(values["activities"].get(project.pk) or ())
            data.evaluation[source.key] = values["evaluation"].get(project.pk) or Evaluation()
    return result


# --- accountability: what was agreed and what came of it --------------------------------------
# Optional extension (see the module docstring): "Wat is er afgesproken en wat is ervan gekomen".

class CommitmentStatus(_models.TextChoices):
    """The one vocabulary every source maps its commitments to."""

    OPEN = "open", gettext_lazy("Open")
    IN_PROGRESS = "bezig", gettext_lazy("Bezig")
    DONE = "gedaan", gettext_lazy("Gedaan")
    LAPSED = "vervallen", gettext_lazy("Vervallen")


# Statuses in which a commitment is still to be kept: past its due date it is overdue.
COMMITMENT_PENDING = (CommitmentStatus.OPEN, CommitmentStatus.IN_PROGRESS)


@dataclass(frozen=True)
class Commitment:
    """Something the municipality (or a partner) promised to do, with how far it got.

    ``key`` is stable and names its owner: ``"<kind>:<id>"`` with a kind from the source's
    ``commitment_kinds``. ``who`` is a role or organisation ("Gemeente, team Wijken"), never a
    resident's name. ``public`` is False while the content it comes from is not public (an
    unpublished outcome); public pages show only public ones.
    """

    source: str
    key: str
    kind: str  # "agreement", "initiative", ...
    kind_label: str  # Dutch, for people: "Afspraak uit een bijeenkomst"
    title: str
    who: str = ""
    due_date: datetime.date | None = None
    status: str = CommitmentStatus.OPEN
    status_label: str = ""
    progress: str = ""
    public: bool = False
    public_url: str = ""
    area: str = ""
    updated_at: datetime.datetime | None = None
    context: str = ""  # where it comes from: the session's or initiative's title
    admin_url: str = ""  # where staff edit the thing itself

    def is_overdue(self, today: datetime.date) -> bool:
        """Past its due date and not done or lapsed: the one home of "te laat"."""
        return self.due_date is not None and self.due_date < today and self.status in COMMITMENT_PENDING


def commitment_sources() -> list[ParticipationSource]:
    return [s for s in all_sources() if callable(getattr(s, "commitments_many", None))]


def commitments_for(projects, *, include_private: bool = False) -> dict[int, list[Commitment]]:
    """Every commitment of every source for ``projects``, keyed by project pk, each list
    sorted by due date (none last), then title. Public ones only unless ``include_private``."""
    projects = list(projects)
    result: dict[int, list[Commitment]] = {p.pk: [] for p in projects}
    if not projects:
        return result
    for source in commitment_sources():
        for pk, items in source.commitments_many(projects, include_private=include_private).items():
            if pk in result:
                result[pk].extend(c for c in items if include_private or c.public)
    for items in result.values():
        items.sort(key=lambda c: (c.due_date is None, c.due_date or datetime.date.min, c.title.lower(), c.key))
    return result


def commitment_kinds() -> dict[str, ParticipationSource]:
    """{kind: the source that owns it}."""
    return {kind: s for s in commitment_sources() for kind in getattr(s, "commitment_kinds", {})}


def commitment_kind_labels() -> dict[str, str]:
    """{kind: Dutch label}, for filters."""
    return {kind: str(label) for s in commitment_sources() for kind, label in getattr(s, "commitment_kinds", {}).items()}


class UnknownCommitment(LookupError):
    """No registered source owns this key (or it is malformed)."""


def commitment_update(key: str, *, status: str, progress: str, by, who: str | None = None,
                      due_date: datetime.date | None = None) -> Commitment:
    """Change a commitment's status and progress note (and who and by when, when not None),
    through the source that owns ``key``.
    The source checks ``by``'s permission (PermissionDenied), validates (ValidationError,
    Dutch messages by field), locks the row and writes the audit log."""
    kind, sep, ident = key.partition(":")
    source = commitment_kinds().get(kind)
    if not sep or not ident.isdigit() or source is None:
        raise UnknownCommitment(key)
    return source.commitment_update(key, status=status, progress=progress, by=by, who=who, due_date=due_date)


def commitment_manageable(source_key: str, user, commitment: Commitment, *, project_editable: bool) -> bool:
    """Whether the staff list offers ``user`` the update form for ``commitment``."""
    source = get_source(source_key)
    check = getattr(source, "commitment_manageable", None)
    if callable(check):
        return check(user, commitment, project_editable=project_editable)
    return project_editable


# --- what lives: themes residents raise, per area and period ----------------------------------
# Optional extension: ``signal_counts(*, since, until) -> list[SignalCount]``, counted in the
# database (one query per kind, never a row per input), over every area at once; input without
# a project counts too. Optionally also ``signal_counts_periods(periods)``: several periods in
# the same number of queries (see ``signal_counts_periods`` below). ``areas() -> list[AreaRef]`` and ``themes() -> list[str]`` name the
# municipality's areas and themes (the source that owns them offers them; ``projects`` owns none).


@dataclass(frozen=True)
class AreaRef:
    """A wijk or buurt as the public pages name it. ``code`` is stable and goes in URLs."""

    code: str  # "WK041700"
    name: str
    kind: str = "wijk"  # "wijk" or "buurt"


@dataclass(frozen=True)
class SignalCount:
    """How often residents raised ``theme`` in ``area`` through one kind of input in a period.

    ``awaiting`` counts the items among them that await a public answer, ``answered`` those of
    them that got one; both stay 0 for input that is only counted (a support, a reaction).
    """

    source: str
    kind: str  # "initiative", "support", "reaction", "session", "top3"...
    kind_label: str  # Dutch plural for people: "Initiatieven", "Steunbetuigingen"
    theme: str  # the theme's name as people read it ("Groen")
    area: str  # an AreaRef.code; "" when the input has no area
    count: int
    awaiting: int = 0
    answered: int = 0


def signal_sources() -> list[ParticipationSource]:
    return [s for s in all_sources() if callable(getattr(s, "signal_counts", None))]


def signal_counts(*, since: datetime.datetime, until: datetime.datetime) -> list[SignalCount]:
    """Every source's counts for ``since <= moment < until``."""
    return signal_counts_periods([(since, until)])[0]


def signal_counts_periods(periods) -> list[list[SignalCount]]:
    """Every source's counts for each ``(since, until)`` of ``periods``: one list per period.

    Optional extension: a source may offer ``signal_counts_periods(periods)`` with the same
    answer, counting all periods in one query per kind (conditional counts, see
    ``period_filters``), so a page comparing two periods asks no more than for one. A source
    without it is asked ``signal_counts`` once per period."""
    periods = list(periods)
    result: list[list[SignalCount]] = [[] for _ in periods]
    if not periods:
        return result
    for source in signal_sources():
        bulk = getattr(source, "signal_counts_periods", None)
        if callable(bulk):
            per_period = bulk(periods)
        else:
            per_period = [source.signal_counts(since=since, until=until) for since, until in periods]
        for found, counts in zip(result, per_period):
            found.extend(counts)
    return result


def period_filters(field_name: str, periods) -> tuple[Q, list[Q]]:
    """For a source's ``signal_counts_periods``: one ``Q`` per period on ``field_name``
    (``since <= value < until``), and the ``Q`` of all of them together, to filter the rows
    once and count each period with ``Count(..., filter=q)``."""
    each = [Q(**{f"{field_name}__gte": since, f"{field_name}__lt": until}) for since, until in periods]
    return (reduce(or_, each) if each else Q(pk__in=[])), each


def period_counts(each, expression="pk", *, prefix="n", **count_options) -> dict:
    """The ``annotate`` arguments that count ``expression`` once per period of
    ``period_filters``: ``{"n0": Count(expression, filter=each[0]), "n1": ...}``."""
    return {f"{prefix}{i}": Count(expression, filter=q, **count_options) for i, q in enumerate(each)}


def areas() -> list[AreaRef]:
    """The areas every source knows, by code, sorted by kind (wijken first) and name."""
    found: dict[str, AreaRef] = {}
    for source in all_sources():
        provider = getattr(source, "areas", None)
        if callable(provider):
            for area in provider():
                found.setdefault(area.code, area)
    return sorted(found.values(), key=lambda a: (a.kind != "wijk", a.name.lower()))


def themes(*, tags: bool = True) -> list[str]:
    """The themes every source knows, without duplicates (any case): first those of the
    sources that keep a list of themes, in the first source's order and spelling; then, unless
    ``tags`` is False, the tags people gave in a source that declares ``themes_are_tags = True``
    (a session's themes), so a tag never reorders or respells a listed theme."""
    found: dict[str, str] = {}
    listed = [s for s in all_sources() if not getattr(s, "themes_are_tags", False)]
    tagged = [s for s in all_sources() if getattr(s, "themes_are_tags", False)] if tags else []
    for source in listed + tagged:
        provider = getattr(source, "themes", None)
        if callable(provider):
            for name in provider():
                found.setdefault(name.strip().lower(), name.strip())
    return list(found.values())


# --- the memory: everything public that was said and decided, for the search -------------------
# Optional extension: ``memory_kinds`` (``{kind: Dutch label}``, the prefixes of its keys) and
# ``memory_documents(keys=None)`` yielding a ``MemoryDocument`` per public record (all of them
# for ``None``, for a rebuild; for given keys only those still public: a key it does not yield is
# removed from the memory). A source calls ``memory_changed(keys)`` inside the transaction of
# every write that changes what a document says or whether it is public.


@dataclass(frozen=True)
class MemoryDocument:
    """One public record in the search. Only publishable text: never a resident's name, email
    or address (an initiative's description and the municipality's answer are public; who
    submitted it is not)."""

    key: str  # "<kind>:<id>", stable
    kind: str  # one of the source's memory_kinds
    title: str
    body: str
    url: str
    date: datetime.date
    project_id: int | None = None
    area: str = ""  # an AreaRef.code
    themes: tuple[str, ...] = ()


def memory_sources() -> list[ParticipationSource]:
    return [s for s in all_sources() if callable(getattr(s, "memory_documents", None))]


def memory_kind_labels() -> dict[str, str]:
    """{kind: Dutch label} over every source, for the search's filter."""
    return {kind: str(label) for s in memory_sources() for kind, label in getattr(s, "memory_kinds", {}).items()}


_memory_listeners: list = []


def memory_listen(listener) -> None:
    """Register ``listener(keys)``, called by ``memory_changed`` (the search registers one)."""
    if listener not in _memory_listeners:
        _memory_listeners.append(listener)


def memory_changed(keys) -> None:
    """Tell the memory that the documents with ``keys`` changed, appeared or disappeared.
    Call it inside the write's transaction, so the memory commits or rolls back with it."""
    keys = list(keys)
    if keys:
        for listener in _memory_listeners:
            listener(keys)
