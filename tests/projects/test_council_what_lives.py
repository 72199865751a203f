"""The council view's additions: filters by wijk and period, "Wat leeft er per wijk", and per
project the agreements' status, the evaluation scores and a link to the results page; against
the real sources (tests/projects/what_lives_data.py), with the query count fixed."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dialogues import services as dialogue_services
from projects.services import project_editor_group_ensure
from tests.dialogues.factories import DialogueRoundPageFactory, DialogueSessionFactory, registration_data
from tests.geo.conftest import moderators_group
from tests.geo.factories import AreaFactory, InitiativeFactory
from tests.projects.factories import ProjectPageFactory, UserFactory
from tests.projects.what_lives_data import NOORD, NOW, ZUID, seed

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(site):
    moderator = UserFactory(username="moderator")
    moderator.groups.add(moderators_group())
    data = seed(moderator)
    data["moderator"] = moderator
    return data


@pytest.fixture
def council_member(db):
    user = UserFactory(username="raadslid")
    user.groups.add(Group.objects.get_or_create(name="Raadsleden")[0])
    return user


def _get(client, path):
    with time_machine.travel(NOW, tick=False):
        return client.get(path)


def test_each_project_shows_agreements_evaluation_and_results_link(client, data, council_member):
    client.force_login(council_member)
    html = _get(client, "/raad/").content.decode()
    project = data["project"]
    assert '<dd class="figure-agreements">Bezig: 2, Gedaan: 1</dd>' in html
    assert "Gehoord: 3,0; Nuttig: 4,5 (2 antwoorden, schaal 1 tot 5)" in html
    assert f'href="/projecten/{project.pk}/resultaten/"' in html and f'href="/projecten/{data["other"].pk}/resultaten/"' in html
    assert "Nog geen antwoorden" in html  # the other project has no evaluation
    assert "deelnemer0@example.org" not in html and "Nummer0" not in html


def test_what_lives_per_wijk_with_trend(client, data, council_member):
    client.force_login(council_member)
    html = _get(client, "/raad/").content.decode()
    assert "Wat leeft er per wijk" in html
    assert "<td>Groen</td><td>7</td><td>2</td><td>Meer dan daarvoor, <strong>signaal</strong></td>" in html
    assert "<td>Verkeer</td><td>1</td><td>3</td><td>Minder dan daarvoor</td>" in html
    assert "<td>Groen</td><td>1</td><td>0</td><td>Nieuw</td>" in html  # Zuid
    assert f'href="/wat-leeft-er/{NOORD}/?periode=3">Noord</a>' in html


def test_wijk_filter_keeps_the_projects_of_that_wijk_and_its_themes(client, data, council_member):
    client.force_login(council_member)
    html = _get(client, f"/raad/?wijk={ZUID}&periode=3").content.decode()
    assert data["other"].title in html and f'/projecten/{data["project"].pk}/resultaten/' not in html
    assert f'href="/wat-leeft-er/{ZUID}/?periode=3">Zuid</a>' in html and f"/wat-leeft-er/{NOORD}/" not in html
    assert f'<option value="{ZUID}" selected>Zuid</option>' in html
    noord = _get(client, f"/raad/?wijk={NOORD}").content.decode()
    assert data["project"].title in noord and data["other"].title in noord


def test_period_filter_changes_what_lives(client, data, council_member):
    client.force_login(council_member)
    html = _get(client, f"/raad/?wijk={NOORD}&periode=12").content.decode()
    assert "<td>Groen</td><td>10</td><td>0</td><td>Nieuw, <strong>signaal</strong></td>" in html
    assert '<option value="12" selected>' in html


@pytest.mark.parametrize("query,reason", [
    ("?periode=6", "Kies een periode uit de lijst."),
    ("?wijk=WK000000", "Kies een wijk uit de lijst."),
    (f"?wijk={NOORD}&periode=x", "Kies een periode uit de lijst."),
])
def test_bad_filters_are_400_with_the_reason(client, data, council_member, query, reason):
    client.force_login(council_member)
    response = _get(client, "/raad/" + query)
    assert response.status_code == 400
    assert reason in response.content.decode()


def _editor_of(project, username):
    user = UserFactory(username=username)
    user.groups.add(project_editor_group_ensure(project=project))
    return user


@pytest.mark.parametrize("role,expected", [
    ("anonymous", 302), ("resident", 403), ("editor_this", 200), ("editor_other", 200), ("moderator", 200), ("council", 200),
])
def test_filtered_council_view_per_role(client, data, council_member, role, expected):
    """A read-only overview of aggregates: everyone with admin access and council members; an
    editor of another project sees the same aggregates (nothing in it is editable)."""
    users = {
        "resident": UserFactory(username="bewoner"),
        "editor_this": _editor_of(data["project"], "redacteur"),
        "editor_other": _editor_of(ProjectPageFactory(title="Ander project"), "redacteur2"),
        "moderator": data["moderator"],
        "council": council_member,
    }
    if role != "anonymous":
        client.force_login(users[role])
    if role == "moderator":
        users["moderator"].groups.first().permissions.add(Permission.objects.get(codename="access_admin"))
    response = _get(client, f"/raad/?wijk={NOORD}&periode=1")
    assert response.status_code == expected


def test_council_queries_are_fixed_in_projects_and_wijken(client, data, council_member):
    client.force_login(council_member)
    counts = []
    made = 0
    for n in (2, 6):
        while made < n:
            project = ProjectPageFactory(groups=["Ouders"])
            session = DialogueSessionFactory(round=DialogueRoundPageFactory(parent=project))
            dialogue_services.registration_create(
                session_id=session.pk, **registration_data(email=f"ouder{made}@example.org", stakeholder_group="Ouders"))
            area = AreaFactory(code=f"WK0777{made:02d}", name=f"Wijk {made}")
            InitiativeFactory(project=project, area=area, created_at=NOW - datetime.timedelta(days=3))
            made += 1
        _get(client, "/raad/")  # warm the per-process caches (content types, site)
        with CaptureQueriesContext(connection) as queries:
            response = _get(client, "/raad/?periode=3")
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
