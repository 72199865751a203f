"""Participation sources: how concrete kinds of participation plug into a project.

``projects`` never imports ``dialogues`` or ``geo``. Each of them implements
``ParticipationSource`` and registers an instance in its ``AppConfig.ready()``::

    from projects.sources import register
    register(DialogueSource())

The report, the policy checks, the council view and "Mijn gegevens" read only this
protocol, so a new kind of participation (a survey, a poll) needs no change here.
Methods return plain data. Only the methods whose names start with ``personal_`` or
``participant_`` return personal data; everything else is aggregate and publishable.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable


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


@dataclass(frozen=True)
class InputItem:
    """One piece of input and what became of it: a session outcome, an initiative..."""

    source: str  # the source's key
    kind: str  # "session", "initiative", ...
    title: str
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


@dataclass(frozen=True)
class Activity:
    """A participation moment (a dialogue session...) with the dates the policy checks."""

    source: str
    kind: str
    title: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
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
