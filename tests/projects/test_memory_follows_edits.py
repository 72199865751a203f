"""The memory follows every write that changes what a public document says (issue 11): a
session's title, date, cancellation and deletion (its outcome's document), a theme renamed in
the admin (initiatives, Top-3's), an area renamed in the admin or by an import (a Top-3's page).
Each test searches for the new words and no longer finds the old ones."""

from __future__ import annotations

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from concerns.models import SubmissionStatus
from dialogues import services as dialogue_services
from dialogues.models import SessionOutcome
from geo import services as geo_services
from geo.models import Moderation
from projects.memory import memory_refresh
from projects.models import MemoryEntry
from tests.concerns.factories import top3
from tests.dialogues.factories import DialogueRoundPageFactory, DialogueSessionFactory
from tests.geo.factories import AreaFactory, InitiativeFactory, ThemeFactory, square
from tests.projects.factories import ProjectPageFactory, UserFactory

pytestmark = pytest.mark.django_db

SEARCH = "/zoeken/"


def found(client, **params) -> list[str]:
    response = client.get(SEARCH, params)
    assert response.status_code == 200, response.content[:500]
    return [r["entry"].key for r in response.context["results"]]


@pytest.fixture
def outcome(site):
    project = ProjectPageFactory(title="Kademuur")
    round_page = DialogueRoundPageFactory(parent=project, title="Gesprekken")
    start = timezone.now() - datetime.timedelta(days=3)
    session = DialogueSessionFactory(round=round_page, title="Avond over vuurtorens", starts_at=start,
                                     ends_at=start + datetime.timedelta(hours=2))
    outcome = SessionOutcome.objects.create(session=session, summary="Iedereen wil een bankje aan het water.")
    dialogue_services.outcome_publish(outcome_id=outcome.pk)
    return outcome


def test_a_session_renamed_renames_its_outcome_in_the_search(client, outcome):
    key = f"outcome:{outcome.pk}"
    assert key in found(client, q="vuurtorens")
    dialogue_services.session_update(session_id=outcome.session_id, data={"title": "Avond over sluizen"})
    assert key in found(client, q="sluizen")
    assert key not in found(client, q="vuurtorens")
    assert MemoryEntry.objects.get(key=key).title == "Gesprekken: Avond over sluizen"


def test_a_session_moved_moves_its_outcome_in_the_periods_of_the_search(client, outcome):
    key = f"outcome:{outcome.pk}"
    session = outcome.session
    earlier = session.starts_at - datetime.timedelta(days=40)
    dialogue_services.session_update(session_id=session.pk, data={"starts_at": earlier, "ends_at": earlier + datetime.timedelta(hours=2)})
    assert MemoryEntry.objects.get(key=key).date == timezone.localdate(earlier)
    day = timezone.localdate(earlier).isoformat()
    assert found(client, q="bankje", van=day, tot=day) == [key]


def test_a_session_cancelled_or_deleted_takes_its_outcome_out_of_the_search(client, outcome, site):
    key = f"outcome:{outcome.pk}"
    dialogue_services.session_cancel(session_id=outcome.session_id)
    assert key not in found(client, q="bankje") and not MemoryEntry.objects.filter(key=key).exists()

    start = timezone.now() - datetime.timedelta(days=2)
    other = DialogueSessionFactory(round=outcome.session.round, title="Tweede avond", starts_at=start,
                                   ends_at=start + datetime.timedelta(hours=2))
    second = SessionOutcome.objects.create(session=other, summary="Een steiger voor kano's.")
    dialogue_services.outcome_publish(outcome_id=second.pk)
    assert found(client, q="steiger") == [f"outcome:{second.pk}"]
    dialogue_services.session_delete(session_id=other.pk)
    assert found(client, q="steiger") == [] and not MemoryEntry.objects.filter(key=f"outcome:{second.pk}").exists()


def test_a_session_edited_in_the_admin_renames_its_outcome(client, outcome):
    admin = UserFactory(username="beheerder-sessie", is_superuser=True, is_staff=True)
    client.force_login(admin)
    session = outcome.session
    url = reverse("dialogue_sessions:edit", args=[session.pk])
    form = client.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update(title="Avond over dijken")
    for name, value in list(data.items()):
        if isinstance(value, datetime.datetime):
            local = timezone.localtime(value) if timezone.is_aware(value) else value
            data[name] = local.strftime("%Y-%m-%d %H:%M")
        elif value is False:
            del data[name]  # an unticked checkbox is not posted
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    client.logout()
    assert f"outcome:{outcome.pk}" in found(client, q="dijken")
    assert found(client, q="vuurtorens") == []


def test_a_theme_renamed_in_the_admin_refiles_initiatives_and_top3s(client, moderator):
    theme = ThemeFactory(name="Groen")
    initiative = geo_services.initiative_publish(
        initiative=InitiativeFactory(moderation=Moderation.PENDING, theme=theme, title="Bloemen bij de brug"), moderator=moderator)
    area = AreaFactory(code="WK999981", name="Dijkwijk")
    top3(area=area, items=[("Groen", "Meer bloemen.")], status=SubmissionStatus.PUBLISHED)
    memory_refresh([f"top3:{area.pk}"])  # top3() writes straight to the database
    assert set(found(client, thema="Groen")) == {f"initiative:{initiative.pk}", f"top3:{area.pk}"}

    client.force_login(moderator)
    response = client.post(reverse("wagtailsnippets_geo_theme:edit", args=[theme.pk]), {"name": "Natuur", "sort_order": 0})
    assert response.status_code == 302, response.content.decode()[:2000]
    client.logout()
    assert set(found(client, thema="Natuur")) == {f"initiative:{initiative.pk}", f"top3:{area.pk}"}
    assert client.get(SEARCH, {"thema": "Groen"}).status_code == 400  # the old name is no theme any more
    assert not MemoryEntry.objects.filter(themes__contains="|groen|").exists()
    assert "Natuur: Meer bloemen." in MemoryEntry.objects.get(key=f"top3:{area.pk}").body


def test_an_area_renamed_in_the_admin_or_by_an_import_renames_its_top3_page(client, site):
    area = AreaFactory(code="WK999982", name="Oude Haven", geometry=square(5.15, 52.01, 5.16, 52.02))
    top3(area=area, items=[("Verkeer", "Te hard in de straat.")], status=SubmissionStatus.PUBLISHED)
    key = f"top3:{area.pk}"
    memory_refresh([key])
    assert key in found(client, q="Oude Haven")

    admin = UserFactory(username="beheerder-gebied", is_superuser=True, is_staff=True)
    client.force_login(admin)
    response = client.post(reverse("wagtailsnippets_geo_area:edit", args=[area.pk]), {
        "code": area.code, "name": "Nieuwe Haven", "kind": "wijk", "geometry": json.dumps(area.geometry),
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    client.logout()
    assert MemoryEntry.objects.get(key=key).title == "Wat bewoners bezighoudt in Nieuwe Haven"
    assert key not in found(client, q="Oude")

    geo_services.area_import(data={"type": "FeatureCollection", "features": [{
        "type": "Feature", "properties": {"wijkcode": area.code, "wijknaam": "Havenkwartier"},
        "geometry": square(5.15, 52.01, 5.16, 52.02),
    }]})
    assert MemoryEntry.objects.get(key=key).title == "Wat bewoners bezighoudt in Havenkwartier"
    assert key in found(client, q="Havenkwartier")
