"""The council view: who may see it, what it shows (aggregates only) and its query count;
and what a council member may not reach (the admin, registrations, emails, edit screens)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects.sources import Reach
from tests.projects.factories import ProjectPageFactory, UserFactory
from tests.projects.sources_fake import (  # noqa: F401 (fixtures)
    bulk_source, contact, fake_source, initiative, only_fake_sources, outcome, session,
)

pytestmark = pytest.mark.django_db


def _user_in(group_name, *, admin_access=False, **kwargs):
    group, _ = Group.objects.get_or_create(name=group_name)
    if admin_access:
        group.permissions.add(Permission.objects.get(codename="access_admin"))
    user = UserFactory(**kwargs)
    user.groups.add(group)
    return user


@pytest.fixture
def users(site):
    return {
        "resident": UserFactory(username="bewoner"),
        "editor": _user_in("Editors", admin_access=True, username="redacteur"),
        "facilitator": _user_in("Procesbegeleiders", admin_access=True, username="begeleider"),
        "moderator": _user_in("Moderatoren", admin_access=True, username="moderator"),
        "council": _user_in("Raadsleden", username="raadslid"),
        "superuser": UserFactory(username="beheerder", is_superuser=True, is_staff=True),
    }


@pytest.fixture
def project(site, fake_source):
    project = ProjectPageFactory(title="Nieuwe school", groups=["Ouders"], contact_email="team@gemeente.example")
    fake_source.set(
        project,
        reach=Reach(participants=21, by_group={"Ouders": 9}),
        inputs=[initiative("Veilige oversteek", area="Noord", themes=("Verkeer",)),
                outcome("Ouderavond", themes=("Onderwijs",))],
        activities=[session("Ouderavond", start_days=-3, announced_days=-40)],
        contacts=[contact("ouder@example.org", "Petra Ouder")],
    )
    return project


def test_council_group_exists_without_permissions(db):
    group = Group.objects.get(name="Raadsleden")
    assert not group.permissions.exists()


@pytest.mark.parametrize("role,expected", [
    ("anonymous", 302), ("resident", 403), ("editor", 200), ("facilitator", 200), ("moderator", 200),
    ("council", 200), ("superuser", 200),
])
def test_council_view_permission_matrix(client, users, project, role, expected):
    if role != "anonymous":
        client.force_login(users[role])
    response = client.get("/raad/")
    assert response.status_code == expected
    if expected == 302:
        assert "/account/login/" in response["Location"]


def test_council_view_shows_aggregates_and_compliance_never_personal_data(client, users, project):
    client.force_login(users["council"])
    html = client.get("/raad/").content.decode()
    assert "Nieuwe school" in html
    assert 'class="figure-participants">21<' in html
    assert "Verkeer" in html and "Noord" in html and "Onderwijs" in html
    assert "van" in html and "voldaan" in html
    assert "Het participatieplan is compleet" in html  # a missed rule with its reason
    assert "ouder@example.org" not in html and "Petra Ouder" not in html
    assert "team@gemeente.example" not in html
    assert f"/projecten/{project.pk}/verslag/" in html


@pytest.mark.parametrize("path", [
    "/admin/",
    "/admin/pages/{pk}/edit/",
    "/admin/decisions/",
    "/admin/participatie/project/{pk}/resultaten/",
    "/admin/dialogen/sessie/1/",
    "/admin/dialogen/sessie/1/export.csv",
    "/admin/settings/projects/participationpolicy/1/",
    "/admin/users/",
])
def test_council_member_cannot_reach_the_admin(client, users, project, path):
    client.force_login(users["council"])
    response = client.get(path.format(pk=project.pk))
    assert response.status_code in (302, 403, 404)
    assert b"ouder@example.org" not in response.content


def test_council_member_cannot_publish_or_freeze(client, users, project):
    client.force_login(users["council"])
    assert client.post(f"/admin/participatie/project/{project.pk}/vaststellen/").status_code in (302, 403)
    assert client.post(f"/admin/participatie/project/{project.pk}/publiceren/", {"expected_number": "0"}).status_code in (302, 403)
    assert not project.reports.exists() and not project.results_publications.exists()


def test_council_and_public_report_show_the_same_numbers(client, users, project):
    client.force_login(users["council"])
    council = client.get("/raad/").content.decode()
    figures = client.get(f"/projecten/{project.pk}/cijfers.json").json()
    assert f'class="figure-participants">{figures["participants"]}<' in council


def test_council_view_queries_are_constant(client, users, site, bulk_source):
    client.force_login(users["council"])
    counts = []
    for n in (2, 8):
        while len(bulk_source.data) < n:
            project = ProjectPageFactory(groups=["Ouders", "Ondernemers"])
            bulk_source.set(project, reach=Reach(participants=3), inputs=[initiative()], activities=[session()])
        client.get("/raad/")  # warm the per-process caches (content types, site)
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/raad/")
        assert response.status_code == 200
        assert response.content.decode().count("/verslag/") >= n
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_editors_find_the_council_view_in_the_admin_menu(admin_client, site):
    assert "/raad/" in admin_client.get("/admin/").content.decode()


def test_council_member_cannot_reach_real_registrations(client, users, site):
    """Against the real dialogues app: the superuser reaches the registrations (the URL is real),
    the council member does not, and the council view never shows the registrant's email."""
    from dialogues.models import Registration
    from tests.dialogues.factories import DialogueSessionFactory

    session = DialogueSessionFactory()
    Registration.objects.create(session=session, name="Fatima el Amrani", email="fatima@example.org",
                                stakeholder_group="Bewoner", consent=True, contact_consent=True, status="confirmed")
    urls = [f"/admin/dialogen/sessie/{session.pk}/", f"/admin/dialogen/sessie/{session.pk}/export.csv"]
    client.force_login(users["superuser"])
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200 and b"fatima@example.org" in response.content
    client.force_login(users["council"])
    for url in urls:
        response = client.get(url)
        assert response.status_code in (302, 403) and b"fatima@example.org" not in response.content
    overview = client.get("/raad/").content.decode()
    assert "fatima" not in overview.lower() and "Fatima el Amrani" not in overview


def test_home_page_links_council_members_to_their_overview(client, users, site):
    assert "/raad/" not in client.get("/").content.decode()
    client.force_login(users["resident"])
    assert "/raad/" not in client.get("/").content.decode()
    client.force_login(users["council"])
    assert "Naar het raadsoverzicht" in client.get("/").content.decode()


def test_council_view_queries_are_constant_with_the_real_sources(client, users, site):
    """The registered dialogues and geo sources answer for all projects at once (their
    ``*_many`` methods), so the overview does not grow a query per project."""
    from dialogues import services as dialogue_services
    from tests.dialogues.factories import DialogueRoundPageFactory, DialogueSessionFactory, registration_data
    from tests.geo.factories import InitiativeFactory

    client.force_login(users["council"])
    counts = []
    made = 0
    for n in (2, 5):
        while made < n:
            project = ProjectPageFactory(groups=["Ouders"])
            session = DialogueSessionFactory(round=DialogueRoundPageFactory(parent=project))
            dialogue_services.registration_create(
                session_id=session.pk, **registration_data(email=f"ouder{made}@example.org", stakeholder_group="Ouders"))
            InitiativeFactory(project=project)
            made += 1
        client.get("/raad/")  # warm the per-process caches (content types, site)
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/raad/")
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
