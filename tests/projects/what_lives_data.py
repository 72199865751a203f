"""Seeded data for "Wat leeft er" tests, against the real geo and dialogues sources.

``NOW`` is the moment the pages are read. Over the last 3 months (``SINCE`` <= t < ``NOW``)
and the 3 months before (``PREVIOUS_SINCE`` <= t < ``SINCE``):

| theme   | area  | current                                   | previous        |
|---------|-------|-------------------------------------------|-----------------|
| Groen   | Noord | 5 initiatives (1 answered, 1 at SINCE) + 2 supports | 2 initiatives (1 at SINCE - 1 s) |
| Verkeer | Noord | 1 initiative                              | 3 initiatives   |
| Groen   | Zuid  | 1 initiative                              | -               |
| groen   | -     | 1 session theme (published outcome)       | -               |

The session has three agreements (2 bezig, 1 gedaan) and two evaluations (gehoord 4 and 2, nuttig 5 and 4).

Not counted: a pending initiative, an unpublished outcome, anything before PREVIOUS_SINCE.
"""

from __future__ import annotations

import datetime
import zoneinfo

import time_machine
from django.utils import timezone

from dialogues import services as dialogue_services
from dialogues.models import Agreement, SessionOutcome
from geo import services as geo_services
from geo.models import Moderation
from tests.dialogues.factories import DialogueRoundPageFactory, DialogueSessionFactory, registration_data
from tests.geo.factories import AreaFactory, InitiativeFactory, ThemeFactory, square
from tests.projects.factories import ProjectPageFactory, UserFactory

TZ = zoneinfo.ZoneInfo("Europe/Amsterdam")
NOW = datetime.datetime(2026, 6, 15, 12, 0, tzinfo=TZ)
SINCE = datetime.datetime(2026, 3, 15, 12, 0, tzinfo=TZ)
PREVIOUS_SINCE = datetime.datetime(2025, 12, 15, 12, 0, tzinfo=TZ)
NOORD, ZUID = "WK099901", "WK099902"


def seed(moderator) -> dict:
    noord = AreaFactory(code=NOORD, name="Noord", geometry=square(5.10, 52.03, 5.24, 52.06))
    zuid = AreaFactory(code=ZUID, name="Zuid", geometry=square(5.10, 51.99, 5.24, 52.0299))
    groen = ThemeFactory(name="Groen", sort_order=1)
    verkeer = ThemeFactory(name="Verkeer", sort_order=2)
    project = ProjectPageFactory(title="Groen Noord")
    other = ProjectPageFactory(title="Stationsplein")

    def initiative(theme, area, at, **kwargs):
        return InitiativeFactory(theme=theme, area=area, created_at=at, project=kwargs.pop("project", project), **kwargs)

    day = datetime.timedelta(days=1)
    current = [initiative(groen, noord, NOW - n * day) for n in (1, 2, 3, 4)]
    current.append(initiative(groen, noord, SINCE))  # the first moment of the period counts in it
    old = initiative(groen, noord, SINCE - 20 * day)
    initiative(groen, noord, SINCE - datetime.timedelta(seconds=1))  # the last moment before it
    initiative(verkeer, noord, NOW - 5 * day, project=other)
    for n in (10, 11, 12):
        initiative(verkeer, noord, SINCE - n * day, project=other)
    initiative(groen, zuid, NOW - 6 * day, project=other)
    initiative(groen, noord, NOW - day, moderation=Moderation.PENDING)  # not public: not counted
    initiative(groen, noord, PREVIOUS_SINCE - day)  # before both periods
    with time_machine.travel(NOW - 2 * day, tick=False):
        geo_services.initiative_set_status(initiative=current[0], to_status="in_behandeling", answer="We kijken ernaar.",
                                           by=moderator)
        # Supports count on the day they are given, for the initiative's theme and area.
        for name in ("steun1", "steun2"):
            geo_services.support_add(initiative=old, user=UserFactory(username=name))

    round_page = DialogueRoundPageFactory(parent=project)
    start = NOW - 7 * day
    held = DialogueSessionFactory(round=round_page, starts_at=start, ends_at=start + datetime.timedelta(hours=2))
    for n, (heard, useful) in enumerate(((4, 5), (2, 4))):
        registration = dialogue_services.registration_create(
            session_id=held.pk, now=start - 2 * day,
            **registration_data(email=f"deelnemer{n}@example.org", name=f"Deelnemer Nummer{n}"))
        dialogue_services.registration_check_in(registration_id=registration.pk, attended=True, now=start)
        dialogue_services.evaluation_submit(registration_id=registration.pk, heard=heard, useful=useful)
    outcome = SessionOutcome.objects.create(session=held, summary="Meer bomen.")
    outcome.themes.add("groen ")
    outcome.save()
    Agreement.objects.create(outcome=outcome, what="Bomen planten", who="Gemeente", status="bezig")
    Agreement.objects.create(outcome=outcome, what="Buurtschouw", who="Wijkteam", status="gedaan")
    Agreement.objects.create(outcome=outcome, what="Bankjes", who="Gemeente", status="bezig")
    dialogue_services.outcome_publish(outcome_id=outcome.pk, now=start + datetime.timedelta(days=1))
    draft = DialogueSessionFactory(round=round_page, starts_at=start, ends_at=start + datetime.timedelta(hours=2))
    SessionOutcome.objects.create(session=draft, summary="Nog niet klaar.").themes.add("Verkeer")
    return {"noord": noord, "zuid": zuid, "project": project, "other": other, "session": held, "now": timezone.localtime(NOW)}
