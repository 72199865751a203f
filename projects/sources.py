"""Participation sources: how concrete kinds of participation plug into a project.

``projects`` never imports ``dialogues`` or ``geo``. Each of them implements
``ParticipationSource`` and registers an instance in its ``AppConfig.ready()``::

    from projects.sources import register
    register(DialogueSource())

The report, the policy checks, the council view and "Mijn gegevens" read only this
protocol, so a new kind of participation (a survey, a poll) needs no change here.
Every method takes what it needs and returns plain data (no personal data unless the
method says so).
"""

from __future__ import annotations

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


@runtime_checkable
class ParticipationSource(Protocol):
    key: str  # short, stable identifier: "dialogues", "initiatives"
    label: str  # human name, translatable

    def personal_sections(self, user) -> list[PersonalSection]:
        """Blocks for the user's "Mijn gegevens" page (their registrations, initiatives...)."""

    def personal_data(self, user) -> dict[str, Any]:
        """Everything this source holds about the user, JSON-serialisable (AVG inzage)."""

    def personal_data_delete(self, user) -> None:
        """Erase or anonymise the user's personal data (AVG), keeping anonymous counts."""

    def project_has_records(self, project) -> bool:
        """Whether the project holds participation records that must not be deleted."""


_registry: dict[str, ParticipationSource] = {}


def register(source: ParticipationSource) -> None:
    _registry[source.key] = source


def all_sources() -> list[ParticipationSource]:
    return list(_registry.values())


def get_source(key: str) -> ParticipationSource | None:
    return _registry.get(key)
