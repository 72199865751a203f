"""A project's own editors: the editor group per project (who may publish), decisions scoped to
the projects a user may edit (per role), and the audit log of the project's staff writes."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import RequestFactory
from django.utils import timezone
from wagtail import hooks
from wagtail.models import GroupCollectionPermission, GroupPagePermission, ModelLogEntry, PageLogEntry

from projects.models import Decision
from projects.services import project_editor_group_ensure, project_editor_group_get
from tests.projects.factories import ProjectPageFactory, UserFactory, phase
from tests.projects.sources_fake import contact, fake_source, only_fake_sources  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db

DECISIONS = "/admin/decisions/"


@pytest.fixture
def projects(site):
    day = timezone.localdate()
    a = ProjectPageFactory(title="Stationsgebied", phases=[phase("dialoog", "Dialoog", day, day), phase("besluitvorming", "Besluit", day, day)])
    b = ProjectPageFactory(title="Molenzoom", phases=[phase("dialoog", "Gesprekken", day, day)])
    return a, b


@pytest.fixture
def users(projects):
    a, b = projects
    editor_a = UserFactory(username="redacteur.a")
    editor_a.groups.add(project_editor_group_ensure(project=a))
    editor_b = UserFactory(username="redacteur.b")
    editor_b.groups.add(project_editor_group_ensure(project=b))
    all_projects = UserFactory(username="redacteur.alle", is_staff=True)
    all_projects.groups.add(Group.objects.get(name="Editors"))
    moderator = UserFactory(username="moderator", is_staff=True)
    moderator.groups.add(Group.objects.get(name="Moderatoren"))
    council = UserFactory(username="raadslid")
    council.groups.add(Group.objects.get(name="Raadsleden"))
    return {
        "editor_a": editor_a, "editor_b": editor_b, "all_projects": all_projects, "moderator": moderator,
        "council": council, "resident": UserFactory(username="bewoner"),
        "superuser": UserFactory(username="beheerder", is_staff=True, is_superuser=True),
    }


@pytest.fixture
def decisions(projects):
    a, b = projects
    day = timezone.localdate()
    return (Decision.objects.create(project=a, title="Het stationsplein wordt groen", decided_on=day, reasoning="x", published=True),
            Decision.objects.create(project=b, title="Het sportveld blijft open", decided_on=day, reasoning="y"))


def _refused(response) -> bool:
    """Wagtail answers a refused admin request with a redirect to the dashboard and a message
    (``wagtail.admin.auth.permission_denied``), or a 403 for a script."""
    return response.status_code == 403 or (response.status_code == 302 and response["Location"] == "/admin/")


def _data(project, phase_obj=None, title="Een nieuw besluit"):
    return {"project": project.pk, "phase": phase_obj.pk if phase_obj else "", "title": title,
            "decided_on": "2026-11-20", "reasoning": "Zo vroegen de bewoners.", "published": "on"}


# --- the editor group per project -------------------------------------------------------------


def _rows():
    return (Group.objects.count(), GroupPagePermission.objects.count(), GroupCollectionPermission.objects.count())


def test_group_service_gives_publish_rights_on_one_project_only(projects):
    a, b = projects
    group = project_editor_group_ensure(project=a)
    assert group.name == "Redactie Stationsgebied"
    assert set(GroupPagePermission.objects.filter(group=group).values_list("page_id", "permission__codename")) == {
        (a.pk, "add_page"), (a.pk, "change_page"), (a.pk, "publish_page"), (a.pk, "lock_page")}
    assert group.permissions.filter(codename="access_admin").exists()
    user = UserFactory()
    user.groups.add(group)
    assert user.has_perm("wagtailadmin.access_admin")
    assert a.permissions_for_user(user).can_publish() and a.permissions_for_user(user).can_lock()
    assert not b.permissions_for_user(user).can_edit()
    # Images for their pages: upload and choose.
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.permissions import policy_registry

    images = policy_registry.get_by_type(get_image_model())
    documents = policy_registry.get_by_type(get_document_model())

    assert images.user_has_permission(user, "add") and images.user_has_permission(user, "choose")
    assert documents.user_has_permission(user, "add") and documents.user_has_permission(user, "choose")


def test_group_service_is_idempotent_and_survives_a_renamed_project(projects):
    a, _b = projects
    group = project_editor_group_ensure(project=a)
    before = _rows()
    a.title = "Stationsgebied Noord"
    a.save_revision().publish()
    assert project_editor_group_ensure(project=a).pk == group.pk
    assert _rows() == before
    assert PageLogEntry.objects.filter(page=a, action="projects.editor_group_create").count() == 1


def test_two_projects_with_the_same_title_get_two_groups(site):
    first, second = ProjectPageFactory(title="Speeltuin"), ProjectPageFactory(title="Speeltuin")
    one, two = project_editor_group_ensure(project=first), project_editor_group_ensure(project=second)
    assert one.pk != two.pk and one.name == "Redactie Speeltuin" and two.name == f"Redactie Speeltuin ({second.pk})"


def test_a_new_project_gets_its_group_through_wagtails_hook(site):
    project = ProjectPageFactory(title="Nieuw plein")
    assert project_editor_group_get(project) is None
    request = RequestFactory().post("/admin/pages/add/")
    request.user = UserFactory(is_superuser=True, is_staff=True)
    for hook in hooks.get_hooks("after_create_page"):
        assert hook(request, project) is None  # never answers instead of Wagtail
    group = project_editor_group_get(project)
    assert group is not None and group.name == "Redactie Nieuw plein"
    entry = PageLogEntry.objects.get(page=project, action="projects.editor_group_create")
    assert entry.user_id == request.user.pk and entry.data == {"group_id": group.pk}


def test_a_copied_project_gets_a_group_of_its_own(projects):
    a, _b = projects
    original = project_editor_group_ensure(project=a)
    copy = a.copy(update_attrs={"title": "Stationsgebied (kopie)", "slug": "stationsgebied-kopie"})
    request = RequestFactory().post("/admin/pages/copy/")
    request.user = UserFactory(is_superuser=True, is_staff=True)
    for hook in hooks.get_hooks("after_copy_page"):
        assert hook(request, a, copy) is None
    group = project_editor_group_get(copy.specific)
    assert group is not None and group.pk != original.pk and group.name == "Redactie Stationsgebied (kopie)"


def test_management_command_gives_existing_projects_their_group(projects):
    out = io.StringIO()
    call_command("participatie_project_groups", stdout=out)
    assert "Stationsgebied: Redactie Stationsgebied (nieuw)" in out.getvalue()
    before = _rows()
    out = io.StringIO()
    call_command("participatie_project_groups", stdout=out)
    assert _rows() == before and "(nieuw)" not in out.getvalue()


def test_project_editor_publishes_their_project_in_the_admin(client, projects, users):
    a, b = projects
    client.force_login(users["editor_a"])
    page = client.get(f"/admin/pages/{a.pk}/edit/")
    assert page.status_code == 200 and 'name="action-publish"' in page.content.decode()
    assert client.get(f"/admin/pages/{b.pk}/edit/").status_code in (302, 403)


def test_editors_of_all_projects_publish_and_no_workflow_blocks_them(projects, users):
    from wagtail.models import Workflow

    a, b = projects
    for project in (a, b):
        assert project.permissions_for_user(users["all_projects"]).can_publish()
    workflow = Workflow.objects.get(name="Goedkeuring door een tweede redacteur")
    assert not workflow.workflow_pages.exists() and a.get_workflow() is None
    assert list(workflow.tasks.get().specific.groups.values_list("name", flat=True)) == ["Editors"]


# --- decisions, per role -------------------------------------------------------------------


@pytest.mark.parametrize("who, sees", [
    ("editor_a", {"Het stationsplein wordt groen"}),
    ("editor_b", {"Het sportveld blijft open"}),
    ("all_projects", {"Het stationsplein wordt groen", "Het sportveld blijft open"}),
    ("superuser", {"Het stationsplein wordt groen", "Het sportveld blijft open"}),
])
def test_decision_list_shows_only_the_users_projects(client, users, decisions, who, sees):
    client.force_login(users[who])
    html = client.get(DECISIONS).content.decode()
    assert {d.title for d in decisions if d.title in html} == sees


@pytest.mark.parametrize("who", ["moderator", "council", "resident", "anonymous"])
def test_decisions_are_closed_to_who_edits_no_project(client, users, decisions, projects, who):
    if who != "anonymous":
        client.force_login(users[who])
    a, _b = projects
    for response in (client.get(DECISIONS), client.get(DECISIONS + "new/"),
                     client.get(f"{DECISIONS}edit/{decisions[0].pk}/"),
                     client.post(DECISIONS + "new/", _data(a)),
                     client.post(f"{DECISIONS}delete/{decisions[0].pk}/")):
        if who == "moderator":  # in the admin, but no project: refused
            assert _refused(response)
        else:  # not in the admin at all: to the login
            assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
        assert b"Het stationsplein wordt groen" not in response.content
    assert Decision.objects.count() == 2 and Decision.objects.filter(title="Een nieuw besluit").count() == 0


def test_list_speaks_dutch(client, users, decisions):
    client.force_login(users["all_projects"])
    html = client.get(DECISIONS).content.decode()
    assert "Gepubliceerd" in html and "Concept" in html
    assert "True" not in html and "False" not in html


def test_project_editor_adds_a_decision_to_their_project_only(client, users, projects):
    a, b = projects
    client.force_login(users["editor_a"])
    form = client.get(DECISIONS + "new/").content.decode()
    # The project field offers only their project; the phases come grouped per project.
    assert "Stationsgebied" in form and "Molenzoom" not in form
    assert "Stationsgebied – Dialoog" in form and "Gesprekken" not in form
    assert "data-phases-by-project" in form and "projects/decision_form.js" in form
    dialogue = a.phases.get(title="Dialoog")
    response = client.post(DECISIONS + "new/", _data(a, dialogue))
    assert response.status_code == 302
    decision = Decision.objects.get(title="Een nieuw besluit")
    assert decision.project_id == a.pk and decision.phase_id == dialogue.pk
    # Another project, or a phase of another project: refused next to the field, nothing saved.
    response = client.post(DECISIONS + "new/", _data(b, title="Fout project"))
    assert response.status_code == 200 and "Selecteer een geldige keuze" in response.content.decode()
    response = client.post(DECISIONS + "new/", _data(a, b.phases.get(), title="Foute fase"))
    assert response.status_code == 200 and "Selecteer een geldige keuze" in response.content.decode()
    assert not Decision.objects.filter(title__in=["Fout project", "Foute fase"]).exists()


def test_phase_of_another_project_is_refused_with_a_dutch_reason(client, users, projects):
    a, b = projects
    client.force_login(users["superuser"])  # sees every phase, so the model's own rule answers
    response = client.post(DECISIONS + "new/", _data(a, b.phases.get()))
    assert response.status_code == 200
    assert "Deze fase hoort bij een ander project." in response.content.decode()
    assert not Decision.objects.exists()


def test_project_editor_edits_and_deletes_only_their_projects_decisions(client, users, decisions, projects):
    a, b = projects
    own, other = decisions
    client.force_login(users["editor_a"])
    assert client.get(f"{DECISIONS}edit/{own.pk}/").status_code == 200
    assert _refused(client.get(f"{DECISIONS}edit/{other.pk}/"))
    assert _refused(client.post(f"{DECISIONS}edit/{other.pk}/", _data(b, title="Overschreven")))
    assert _refused(client.get(f"{DECISIONS}history/{other.pk}/"))
    assert _refused(client.get(f"{DECISIONS}usage/{other.pk}/"))
    assert _refused(client.post(f"{DECISIONS}delete/{other.pk}/"))
    other.refresh_from_db()
    assert other.title == "Het sportveld blijft open"
    response = client.post(f"{DECISIONS}edit/{own.pk}/", _data(a, title="Het stationsplein wordt een park"))
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.title == "Het stationsplein wordt een park"
    # Moving one's decision to a project one cannot edit is refused too.
    response = client.post(f"{DECISIONS}edit/{own.pk}/", _data(b))
    assert response.status_code == 200 and Decision.objects.get(pk=own.pk).project_id == a.pk
    assert client.post(f"{DECISIONS}delete/{own.pk}/").status_code == 302
    assert not Decision.objects.filter(pk=own.pk).exists()


def test_decision_writes_are_in_its_admin_history(client, users, projects):
    a, _b = projects
    client.force_login(users["editor_a"])
    client.post(DECISIONS + "new/", _data(a))
    decision = Decision.objects.get()
    client.post(f"{DECISIONS}edit/{decision.pk}/", _data(a, title="Een gewijzigd besluit"))
    actions = list(ModelLogEntry.objects.filter(object_id=str(decision.pk)).order_by("timestamp", "pk")
                   .values_list("action", "user_id"))
    assert actions == [("wagtail.create", users["editor_a"].pk), ("wagtail.edit", users["editor_a"].pk)]
    html = client.get(f"{DECISIONS}history/{decision.pk}/").content.decode()
    assert "Aangemaakt" in html and "Gewijzigd" in html
    client.post(f"{DECISIONS}delete/{decision.pk}/")
    assert ModelLogEntry.objects.filter(object_id=str(decision.pk), action="wagtail.delete").exists()


# --- audit log of report adoption and results publication ----------------------------------------


def test_report_adoption_and_results_publication_in_the_project_history(
        client, users, projects, fake_source, django_capture_on_commit_callbacks, settings, tmp_path):  # noqa: F811
    settings.MEDIA_ROOT = tmp_path
    a, _b = projects
    fake_source.set(a, contacts=[contact("ann@example.org", "Ann"), contact("bob@example.org")])
    client.force_login(users["editor_a"])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/admin/participatie/project/{a.pk}/vaststellen/").status_code == 302
        assert client.post(f"/admin/participatie/project/{a.pk}/publiceren/", {"expected_number": "0"}).status_code == 302
    freeze = PageLogEntry.objects.get(page=a, action="projects.report_freeze")
    publish = PageLogEntry.objects.get(page=a, action="projects.results_publish")
    assert freeze.user_id == publish.user_id == users["editor_a"].pk
    assert freeze.data == {"version": 1}
    assert publish.data == {"number": 1, "recipients": 2}  # counts, never an address
    html = client.get(f"/admin/pages/{a.pk}/history/").content.decode()
    assert "Versie 1 van het participatieverslag vastgesteld" in html
    assert "Resultaten gepubliceerd (publicatie 1), 2 personen gemaild" in html
    assert "ann@example.org" not in html
