"""A participation source for tests: data set per project, one database query per call
(like a real source), optional bulk methods. Register it with the ``fake_source`` fixture."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from projects.models import ProjectFollow
from projects.sources import Activity, ActivityCategory, Evaluation, InputItem, Participant, Reach, register, unregister


class FakeSource:
    key = "fake"
    label = "Proefbron"

    def __init__(self):
        self.data: dict[int, dict] = {}
        self.calls = 0

    def set(self, project, **values):
        self.data.setdefault(project.pk, {}).update(values)

    def _get(self, project, name, default):
        self.calls += 1
        ProjectFollow.objects.filter(project_id=project.pk).exists()  # a real source reads its rows
        return self.data.get(project.pk, {}).get(name, default)

    def reach(self, project):
        return self._get(project, "reach", Reach())

    def inputs(self, project):
        return list(self._get(project, "inputs", []))

    def activities(self, project):
        return list(self._get(project, "activities", []))

    def evaluation(self, project):
        return self._get(project, "evaluation", Evaluation())

    def project_has_records(self, project):
        return bool(self.data.get(project.pk))

    def participant_contacts(self, project):
        return list(self._get(project, "contacts", []))

    def personal_sections(self, user):
        return []

    def personal_data(self, user):
        return {}

    def personal_data_delete(self, user):
        return None


class BulkFakeSource(FakeSource):
    """Answers for many projects in one query per method, like a well-built real source."""

    def _many(self, projects, name, default):
        self.calls += 1
        list(ProjectFollow.objects.filter(project_id__in=[p.pk for p in projects]))
        return {p.pk: self.data.get(p.pk, {}).get(name, default) for p in projects}

    def reach_many(self, projects):
        return self._many(projects, "reach", Reach())

    def inputs_many(self, projects):
        return self._many(projects, "inputs", [])

    def activities_many(self, projects):
        return self._many(projects, "activities", [])

    def evaluation_many(self, projects):
        return self._many(projects, "evaluation", Evaluation())


@pytest.fixture
def fake_source(only_fake_sources):
    source = FakeSource()
    register(source)
    yield source
    unregister(source.key)


@pytest.fixture
def bulk_source(only_fake_sources):
    source = BulkFakeSource()
    register(source)
    yield source
    unregister(source.key)


@pytest.fixture
def only_fake_sources(monkeypatch):
    """Hide the real apps' sources so a test sees only the fake one (restored afterwards)."""
    from projects import sources

    monkeypatch.setattr(sources, "_registry", {})


def at(days: float = 0, *, base: datetime.datetime | None = None) -> datetime.datetime:
    """A moment ``days`` from now (negative: in the past)."""
    return (base or timezone.now()) + datetime.timedelta(days=days)


def initiative(title="Meer bankjes", *, submitted_days=-10, answered_days=None, status="ingediend",
               status_label="Ingediend", answer="", area="Centrum", themes=("Groen",), supporters=0):
    return InputItem(
        source="fake", kind="initiative", title=title, kind_label="Initiatief", awaits_answer=True, submitted_at=at(submitted_days),
        answered_at=at(answered_days) if answered_days is not None else None, status=status,
        status_label=status_label, answer=answer, area=area, themes=tuple(themes), supporters=supporters,
    )


def session(title="Bijeenkomst 1", *, start_days=-5, announced_days=-30, published_days=None,
            evaluation=True, cancelled=False):
    starts = at(start_days)
    return Activity(
        source="fake", kind="session", title=title, starts_at=starts, ends_at=starts + datetime.timedelta(hours=2),
        label="Bijeenkomst", category=ActivityCategory.MEETING,
        announced_at=at(announced_days) if announced_days is not None else None, cancelled=cancelled,
        held=starts < timezone.now() and not cancelled,
        outcome_published_at=at(published_days) if published_days is not None else None,
        evaluation_requested=evaluation,
    )


def outcome(title="Bijeenkomst 1", *, days=-5, answer="We spraken af: meer groen.", themes=("Groen",), agreements=()):
    return InputItem(source="fake", kind="session", title=title, kind_label="Uitkomst van een bijeenkomst",
                     submitted_at=at(days), answer=answer,
                     answered_at=at(days + 1) if answer else None, themes=tuple(themes), agreements=tuple(agreements))


def contact(email, name=""):
    return Participant(email=email, name=name)


class ThirdSource(FakeSource):
    """A third kind of participation, as a Top-3 source would be: a PERIOD activity, input
    that is only aggregated (``awaits_answer=False``) and one kind the municipality answers."""

    key = "derde"
    label = "Buurtpeiling"


@pytest.fixture
def third_source(only_fake_sources):
    source = ThirdSource()
    register(source)
    yield source
    unregister(source.key)


def top3_round(title="Top-3-ronde voorjaar", *, start_days=-40, end_days=-10, announced_days=None):
    return Activity(
        source="derde", kind="top3_round", title=title, label="Top-3-ronde", category=ActivityCategory.PERIOD,
        starts_at=at(start_days), ends_at=at(end_days),
        announced_at=at(announced_days) if announced_days is not None else None,
        held=end_days < 0, evaluation_requested=False,
    )


def walk(title="Buurtwandeling", *, start_days=-5, announced_days=-30, published_days=-4, evaluation=True):
    """A MEETING of the third source with its own label."""
    starts = at(start_days)
    return Activity(
        source="derde", kind="walk", title=title, label="Buurtwandeling", category=ActivityCategory.MEETING,
        starts_at=starts, ends_at=starts + datetime.timedelta(hours=1),
        announced_at=at(announced_days) if announced_days is not None else None, held=True,
        outcome_published_at=at(published_days) if published_days is not None else None,
        evaluation_requested=evaluation,
    )


def concern(title="Te hard rijden", *, days=-60, themes=("Verkeer",), area="Noord"):
    """Only aggregated: never owed an answer of its own."""
    return InputItem(source="derde", kind="top3", title=title, kind_label="Zorg uit de buurt", awaits_answer=False,
                     submitted_at=at(days), themes=tuple(themes), area=area)


def question(title="Waarom geen zebrapad?", *, days=-60, answered_days=None, answer=""):
    """Awaits an answer, in the source's own word."""
    return InputItem(source="derde", kind="question", title=title, kind_label="Buurtvraag", awaits_answer=True,
                     submitted_at=at(days), answered_at=at(answered_days) if answered_days is not None else None,
                     answer=answer, status="open" if not answer else "beantwoord",
                     status_label="Open" if not answer else "Beantwoord", area="Noord")
