"""The accountability overview ("Wat is er afgesproken en wat is ervan gekomen"): the public
pages across projects and per project, the staff list and its update form in the admin, per role,
with the audit trail and a fixed number of queries."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.models import ModelLogEntry

from dialogues.models import Agreement
from geo.models import Initiative, Moderation, Status
from projects.sources import CommitmentStatus
from tests.projects.commitment_data import adopted_initiative, days, editor_for, outcome_with_agreements, user_in
from tests.projects.factories import ProjectPageFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(site):
    here = ProjectPageFactory(title="Groen Lindewaard")
    elsewhere = ProjectPageFactory(title="Nieuwe school")
    session, _ = outcome_with_agreements(here, [
        {"what": "Bankjes plaatsen in het park", "who": "Gemeente, team Buitenruimte", "due_date": datetime.date(2026, 12, 21),
         "status": CommitmentStatus.IN_PROGRESS, "progress_note": "Offerte aangevraagd"},
        {"what": "Speeltuin opknappen", "who": "Woningcorporatie", "due_date": days(-5), "status": CommitmentStatus.OPEN},
        {"what": "Straatfeest organiseren", "who": "Bewonersgroep", "due_date": days(-10), "status": CommitmentStatus.DONE},
    ])
    _, hidden_outcome = outcome_with_agreements(here, [{"what": "Geheime afspraak nog niet openbaar", "who": "Gemeente"}],
                                                published=False, title="Avond zonder uitkomst")
    outcome_with_agreements(elsewhere, [{"what": "Schoolplein vergroenen", "who": "Schoolbestuur", "due_date": days(30)}],
                            title="Ouderavond")
    adopted = adopted_initiative(here, title="Boom bij de bushalte", responsible="Gemeente, team Groen", due_date=days(-1))
    adopted_initiative(here, title="Nog niet beoordeeld idee", status=Status.INGEDIEND)
    adopted_initiative(here, title="Verborgen overgenomen idee", moderation=Moderation.REJECTED)
    users = {
        "anonymous": None,
        "resident": UserFactory(username="bewoner"),
        "editor": editor_for(here, "hier"),
        "editor_elsewhere": editor_for(elsewhere, "elders"),
        "moderator": user_in("Moderatoren", "moderator"),
        "council": user_in("Raadsleden", "raadslid"),
        "superuser": UserFactory(username="beheerder", is_superuser=True, is_staff=True),
    }
    return {"here": here, "elsewhere": elsewhere, "session": session, "adopted": adopted, "users": users,
            "hidden_agreement": hidden_outcome.agreements.get(), "agreements": {a.what: a for a in Agreement.objects.all()}}


def _client(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


# --- public pages ----------------------------------------------------------------------------------


def test_public_page_lists_public_commitments_across_projects_without_personal_data(client, world):
    response = client.get("/verantwoording/")
    assert response.status_code == 200
    html = response.content.decode()
    for text in ("Bankjes plaatsen in het park", "Speeltuin opknappen", "Straatfeest organiseren", "Schoolplein vergroenen",
                 "Boom bij de bushalte", "Gemeente, team Buitenruimte", "Offerte aangevraagd", "21 december 2026",
                 "Groen Lindewaard", "Nieuwe school", "Wijk Noord", "Afspraak uit een bijeenkomst", "Overgenomen initiatief"):
        assert text in html, text
    for text in ("Geheime afspraak", "Nog niet beoordeeld", "Verborgen overgenomen", "Geheime Deelnemer", "geheim@example.org",
                 "0612345678", "indiener", "@example.org"):
        assert text not in html, text
    # Overdue in words, not only in colour: the open agreement and the initiative, not the done one.
    assert html.count("de datum is voorbij en het is nog niet klaar") == 2
    assert 'class="summary-overdue">Te laat: <strong>2</strong>' in html
    assert 'class="summary-open">Open: <strong>3</strong>' in html  # Speeltuin, Schoolplein, the initiative
    assert 'class="summary-gedaan">Gedaan: <strong>1</strong>' in html


def test_project_page_lists_only_that_project(client, world):
    html = client.get(f"/projecten/{world['here'].pk}/verantwoording/").content.decode()
    assert "Bankjes plaatsen in het park" in html and "Boom bij de bushalte" in html
    assert "Schoolplein vergroenen" not in html
    assert 'name="project"' not in html  # the project is fixed here


def test_project_page_of_an_unpublished_project_is_404(client, world):
    world["elsewhere"].unpublish()
    assert client.get(f"/projecten/{world['elsewhere'].pk}/verantwoording/").status_code == 404
    assert "Schoolplein vergroenen" not in client.get("/verantwoording/").content.decode()


@pytest.mark.parametrize("query, shown, hidden", [
    ("status=bezig", ["Bankjes plaatsen"], ["Speeltuin", "Straatfeest", "Boom bij"]),
    ("soort=initiative", ["Boom bij de bushalte"], ["Bankjes plaatsen", "Schoolplein"]),
    ("soort=agreement&status=open", ["Speeltuin", "Schoolplein"], ["Boom bij", "Bankjes plaatsen"]),
    ("wijk=Wijk+Noord", ["Boom bij de bushalte"], ["Bankjes plaatsen", "Schoolplein"]),
    ("te_laat=1", ["Speeltuin opknappen", "Boom bij de bushalte"], ["Straatfeest", "Bankjes plaatsen", "Schoolplein"]),
])
def test_filters(client, world, query, shown, hidden):
    response = client.get(f"/verantwoording/?{query}")
    assert response.status_code == 200
    html = response.content.decode().split('id="list-h"')[1]
    for text in shown:
        assert text in html, text
    for text in hidden:
        assert text not in html, text


def test_project_filter(client, world):
    html = client.get(f"/verantwoording/?project={world['elsewhere'].pk}").content.decode().split('id="list-h"')[1]
    assert "Schoolplein vergroenen" in html and "Bankjes plaatsen" not in html


def test_counts_follow_the_filters_but_not_the_status_choice(client, world):
    html = client.get(f"/verantwoording/?project={world['here'].pk}&status=gedaan").content.decode()
    assert 'class="summary-open">Open: <strong>2</strong>' in html  # Speeltuin and the initiative
    assert 'class="summary-bezig">Bezig: <strong>1</strong>' in html


@pytest.mark.parametrize("query, message", [
    ("project=abc", "Kies een project uit de lijst."),
    ("project=999999", "Kies een project uit de lijst."),
    ("status=klaar", "Kies een status uit de lijst."),
    ("soort=enquete", "Kies een soort uit de lijst."),
    ("wijk=Atlantis", "Kies een wijk uit de lijst."),
    ("te_laat=ja", "Dit vakje kan alleen aan of uit staan."),
])
def test_bad_filter_values_are_400_with_the_reason_next_to_the_field(client, world, query, message):
    response = client.get(f"/verantwoording/?{query}")
    assert response.status_code == 400
    assert message in response.content.decode()


def test_links_from_the_project_page_the_results_page_and_the_council_view(client, world):
    project = world["here"]
    link = f'href="/projecten/{project.pk}/verantwoording/"'
    assert link in client.get(project.url).content.decode()
    assert link in client.get(f"/projecten/{project.pk}/resultaten/").content.decode()
    client.force_login(world["users"]["council"])
    council = client.get("/raad/").content.decode()
    assert 'href="/verantwoording/"' in council and link in council


# --- the staff list ------------------------------------------------------------------------------------

STAFF_LIST = "/admin/participatie/afspraken/"
UPDATE = "/admin/participatie/afspraken/bijwerken/"


def _listed(world, role) -> str:
    response = _client(world["users"][role]).get(STAFF_LIST)
    assert response.status_code == 200
    return response.content.decode().split('id="list-h"')[1]


def test_staff_list_editor_sees_this_projects_commitments_including_non_public(world):
    html = _listed(world, "editor")
    for text in ("Bankjes plaatsen", "Geheime afspraak nog niet openbaar", "Boom bij de bushalte", "Verborgen overgenomen idee"):
        assert text in html, text
    assert "Nog niet openbaar" in html
    assert "Schoolplein vergroenen" not in html
    assert "Nog niet beoordeeld idee" not in html  # not adopted: no commitment


def test_staff_list_editor_elsewhere_sees_only_their_project(world):
    html = _listed(world, "editor_elsewhere")
    assert "Schoolplein vergroenen" in html
    assert "Bankjes plaatsen" not in html and "Boom bij de bushalte" not in html


def test_staff_list_moderator_sees_initiatives_only(world):
    html = _listed(world, "moderator")
    assert "Boom bij de bushalte" in html and "Verborgen overgenomen idee" in html
    assert "Bankjes plaatsen" not in html and "Schoolplein" not in html


def test_staff_list_superuser_sees_everything(world):
    html = _listed(world, "superuser")
    assert "Bankjes plaatsen" in html and "Schoolplein vergroenen" in html and "Boom bij de bushalte" in html


@pytest.mark.parametrize("role", ["council", "resident", "anonymous"])
def test_staff_list_is_closed_to_people_without_admin_access(world, role):
    response = _client(world["users"][role]).get(STAFF_LIST)
    assert response.status_code in (302, 403)
    assert b"Bankjes plaatsen" not in response.content
    if role == "anonymous":
        assert "/login/" in response["Location"]


def test_staff_list_menu_item_is_in_dutch(world):
    html = _client(world["users"]["editor"]).get("/admin/").content.decode()
    assert "Afspraken en uitvoering" in html


def test_staff_list_filters_and_bad_values(world):
    client = _client(world["users"]["editor"])
    html = client.get(f"{STAFF_LIST}?soort=initiative").content.decode().split('id="list-h"')[1]
    assert "Boom bij de bushalte" in html and "Bankjes plaatsen" not in html
    assert client.get(f"{STAFF_LIST}?status=klaar").status_code == 400
    # The project filter offers only projects the user manages.
    assert client.get(f"{STAFF_LIST}?project={world['elsewhere'].pk}").status_code == 400


def _post(world, role, key, **data):
    payload = {"key": key, "status": "gedaan", "progress": "Klaar in november", "next": STAFF_LIST, **data}
    return _client(world["users"][role]).post(UPDATE, payload)


@pytest.mark.parametrize("role, allowed", [
    ("editor", True), ("superuser", True), ("editor_elsewhere", False), ("moderator", False),
    ("council", False), ("resident", False), ("anonymous", False),
])
def test_update_agreement_per_role(world, role, allowed):
    agreement = world["agreements"]["Speeltuin opknappen"]
    response = _post(world, role, f"agreement:{agreement.pk}")
    agreement.refresh_from_db()
    if allowed:
        assert response.status_code == 302 and response["Location"] == STAFF_LIST
        assert (agreement.status, agreement.progress_note) == ("gedaan", "Klaar in november")
    else:
        assert response.status_code in (302, 403)
        if response.status_code == 302:
            assert "/login/" in response["Location"] or response["Location"].rstrip("/").endswith("/admin")
        assert (agreement.status, agreement.progress_note) == ("open", "")


@pytest.mark.parametrize("role, allowed", [
    ("editor", True), ("moderator", True), ("superuser", True), ("editor_elsewhere", False),
    ("council", False), ("resident", False), ("anonymous", False),
])
def test_update_initiative_execution_per_role(world, role, allowed):
    initiative = world["adopted"]
    response = _post(world, role, f"initiative:{initiative.pk}", status="bezig", who="Aannemer Groen BV", due_date="2027-03-01")
    initiative.refresh_from_db()
    if allowed:
        assert response.status_code == 302
        assert (initiative.execution_status, initiative.responsible, initiative.due_date) == ("bezig", "Aannemer Groen BV", datetime.date(2027, 3, 1))
        assert initiative.status == Status.OVERGENOMEN  # the public decision stays as it is
    else:
        assert response.status_code in (302, 403)
        assert (initiative.execution_status, initiative.responsible) == ("open", "Gemeente, team Groen")


def test_update_writes_the_audit_log_on_the_session_without_personal_data(world):
    agreement = world["agreements"]["Speeltuin opknappen"]
    editor = world["users"]["editor"]
    _post(world, "editor", f"agreement:{agreement.pk}", status="bezig", progress="Aannemer gevonden")
    entry = ModelLogEntry.objects.get(action="dialogues.agreement_update")
    assert entry.object_id == str(world["session"].pk) and entry.user_id == editor.pk
    assert entry.data["agreement"] == agreement.pk and entry.data["from_status"] == "open" and entry.data["to_status"] == "bezig"
    assert "@" not in str(entry.data) and "Woningcorporatie" not in str(entry.data)
    history = _client(world["users"]["superuser"]).get(f"/admin/dialogues/sessions/history/{world['session'].pk}/")
    assert history.status_code == 200
    assert "Afspraak bijgewerkt" in history.content.decode()


def test_update_writes_the_audit_log_on_the_initiative(world):
    initiative = world["adopted"]
    _post(world, "moderator", f"initiative:{initiative.pk}", status="bezig", progress="Boom besteld")
    entry = ModelLogEntry.objects.get(action="geo.initiative_execution_update")
    assert entry.object_id == str(initiative.pk) and entry.user_id == world["users"]["moderator"].pk
    assert entry.data["to_status"] == "bezig" and "@" not in str(entry.data)
    assert entry.content_type.model_class() is Initiative
    # Shown in the admin's site history (the initiative has no history view of its own yet).
    report = _client(world["users"]["superuser"]).get("/admin/reports/site-history/")
    assert report.status_code == 200 and "Uitvoering bijgewerkt" in report.content.decode()


def test_update_with_bad_values_says_why_and_changes_nothing(world):
    agreement = world["agreements"]["Speeltuin opknappen"]
    client = _client(world["users"]["editor"])
    response = client.post(UPDATE, {"key": f"agreement:{agreement.pk}", "status": "klaar", "progress": "", "next": STAFF_LIST}, follow=True)
    assert "Kies een status uit de lijst." in response.content.decode()
    response = client.post(UPDATE, {"key": f"agreement:{agreement.pk}", "status": "gedaan", "who": "", "next": STAFF_LIST}, follow=True)
    assert "Schrijf op wie de afspraak uitvoert." in response.content.decode()
    response = client.post(UPDATE, {"key": f"agreement:{agreement.pk}", "status": "gedaan", "due_date": "morgen", "next": STAFF_LIST}, follow=True)
    assert "Vul een datum in" in response.content.decode()
    agreement.refresh_from_db()
    assert agreement.status == "open"
    assert not ModelLogEntry.objects.filter(action="dialogues.agreement_update").exists()
    assert client.post(UPDATE, {"status": "gedaan"}).status_code == 400
    assert client.post(UPDATE, {"key": "agreement:abc", "status": "gedaan"}).status_code == 404
    assert client.post(UPDATE, {"key": "agreement:999999", "status": "gedaan"}).status_code == 404
    assert client.post(UPDATE, {"key": "enquete:1", "status": "gedaan"}).status_code == 404
    assert client.get(UPDATE).status_code == 405


def test_update_needs_csrf(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world["users"]["editor"])
    agreement = world["agreements"]["Speeltuin opknappen"]
    assert client.post(UPDATE, {"key": f"agreement:{agreement.pk}", "status": "gedaan"}).status_code == 403


def test_update_refuses_to_redirect_elsewhere(world):
    agreement = world["agreements"]["Speeltuin opknappen"]
    response = _post(world, "editor", f"agreement:{agreement.pk}", next="https://evil.example/")
    assert response["Location"] == STAFF_LIST


# --- queries: a fixed number however many commitments -------------------------------------------------


def _grow(world, n):
    """Give both projects ``n`` commitments in all, spread over sessions and initiatives."""
    here, elsewhere = world["here"], world["elsewhere"]
    existing = Agreement.objects.filter(outcome__published_at__isnull=False).count() + 1  # + the adopted initiative
    extra = max(0, n - existing)
    per_outcome = [{"what": f"Extra afspraak {i}", "who": "Gemeente", "due_date": days(i - 5)} for i in range(extra // 2)]
    outcome_with_agreements(here, per_outcome, title="Extra avond")
    for i in range(extra - extra // 2):
        adopted_initiative(elsewhere if i % 2 else here, title=f"Extra initiatief {i}", area_name=f"Wijk {i % 3}")


def _queries(client, url) -> int:
    client.get(url)  # warm caches (site root paths) as a running site has them
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx)


@pytest.mark.parametrize("url_name", ["public", "project", "staff"])
def test_query_count_does_not_grow_with_the_commitments(world, url_name):
    client = _client(world["users"]["superuser"] if url_name == "staff" else None)
    url = {"public": "/verantwoording/", "project": f"/projecten/{world['here'].pk}/verantwoording/", "staff": STAFF_LIST}[url_name]
    few = _queries(client, url)
    _grow(world, 30)
    many = _queries(client, url)
    html = client.get(url).content.decode()
    assert html.count('class="card commitment') + html.count('<tr class="commitment') >= (20 if url_name == "project" else 30)
    assert many == few, (few, many)
