"""Factories for dialogues. Round pages go through Wagtail's page API; sessions are rows."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from dialogues.models import DialogueRoundPage, DialogueSession
from tests.projects.factories import PageFactory, ProjectPageFactory


class DialogueRoundPageFactory(PageFactory):
    class Meta:
        model = DialogueRoundPage

    title = factory.Sequence(lambda n: f"Dialoogronde {n}")
    slug = factory.Sequence(lambda n: f"dialoogronde-{n}")
    theme = "Samen zorgen in de wijk"
    target_groups = factory.LazyFunction(lambda: ["Bewoner", "Zorgaanbieders"])

    @classmethod
    def _create(cls, model_class, *args, parent=None, **kwargs):
        if parent is None:
            parent = ProjectPageFactory(groups=["Zorgaanbieders", "Ondernemers"])
        return super()._create(model_class, *args, parent=parent, **kwargs)


class DialogueSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DialogueSession

    round = factory.SubFactory(DialogueRoundPageFactory)
    title = factory.Sequence(lambda n: f"Bijeenkomst {n}")
    starts_at = factory.LazyFunction(lambda: (timezone.now() + datetime.timedelta(days=7)).replace(second=0, microsecond=0))
    ends_at = factory.LazyAttribute(lambda s: s.starts_at + datetime.timedelta(hours=2))
    venue = "Buurthuis De Linde"
    address = "Lindelaan 1, Utrecht"
    capacity_onsite = 10
    capacity_online = 0
    facilitator = "Ahmed Yilmaz"


def registration_data(**overrides) -> dict:
    data = {
        "name": "Fatima el Amrani", "email": "fatima@example.org", "stakeholder_group": "Bewoner", "consent": True,
    }
    data.update(overrides)
    return data
