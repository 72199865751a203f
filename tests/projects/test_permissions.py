"""Who may do what: anonymous, resident, editor, for following and for the admin."""

import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from wagtail.models import GroupPagePermission, Page

from projects.models import ProjectFollow, ProjectPage
from projects.sources import register, unregister
from tests.projects.factories import ProjectPageFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(home_page):
    return ProjectPageFactory(title="Groen Schoneveld")


@pytest.fixture
def editor():
    group, _ = Group.objects.get_or_create(name="Editors")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    for codename in ("add_page", "change_page", "delete_page", "publish_page"):
        GroupPagePermission.objects.get_or_create(
            group=group, page=Page.get_first_root_node(), permission=Permission.objects.get(codename=codename, content_type__app_label="wagtailcore"),
        )
    user = UserFactory(is_staff=True)
    user.groups.add(group)
    return user


@pytest.fixture
def resident():
    return UserFactory()


@pytest.mark.parametrize("who, follows", [("anonymous", False), ("resident", True), ("editor", True)])
def test_follow(client, project, request, who, follows):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    response = client.post(reverse("projects:follow", args=[project.pk]))
    assert response.status_code == 302
    assert ProjectFollow.objects.exists() is follows
    if not follows:
        assert response["Location"].startswith("/account/login/")


def test_unfollow_needs_login_and_only_touches_own_follow(client, project, resident):
    other = UserFactory()
    ProjectFollow.objects.create(project=project, user=other)
    response = client.post(reverse("projects:unfollow", args=[project.pk]))
    assert response.status_code == 302 and response["Location"] == f"/account/login/?next={project.url}"
    client.force_login(resident)
    client.post(reverse("projects:unfollow", args=[project.pk]))
    assert ProjectFollow.objects.filter(user=other).exists()


@pytest.mark.parametrize("who, status", [("anonymous", 302), ("resident", 302), ("editor", 200)])
def test_admin_edit_screen(client, project, request, who, status):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("wagtailadmin_pages:edit", args=[project.pk]))
    assert response.status_code == status
    if status == 302:
        assert "/admin/login/" in response["Location"]


def test_editor_sees_tabs_and_the_map_widget(client, project, editor):
    client.force_login(editor)
    html = client.get(reverse("wagtailadmin_pages:edit", args=[project.pk])).content.decode()
    for tab in ("Inhoud", "Participatie", "Vindbaarheid"):
        assert re.search(rf'role="tab"[^>]*>\s*(<[^>]+>\s*)*{tab}\s*<', html), tab
    assert '<label for="id_area"' in html and '<textarea id="id_area"' in html and 'id="id_area-map"' in html
    assert "leaflet/leaflet.js" in html and "leaflet/draw/leaflet.draw.js" in html


def test_editor_sees_follower_count_but_no_followers(client, project, editor):
    anna = UserFactory(email="anna.follower@example.org")
    ProjectFollow.objects.create(project=project, user=anna)
    client.force_login(editor)
    html = client.get(reverse("wagtailadmin_pages:edit", args=[project.pk])).content.decode()
    assert "1 inwoner volgt dit project" in html
    assert "anna.follower@example.org" not in html and anna.username not in html


def test_editor_saves_a_drawn_area_as_geojson(client, project, editor):
    from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

    client.force_login(editor)
    area = {"type": "Polygon", "coordinates": [[[5.15, 52.02], [5.17, 52.02], [5.17, 52.03], [5.15, 52.02]]]}
    data = nested_form_data({
        "title": project.title, "slug": project.slug, "summary": project.summary,
        "body": streamfield([]), "phases": inline_formset([]), "stakeholder_groups": inline_formset([]), "criteria": inline_formset([]),
        "ladder_level": "adviseren", "area": __import__("json").dumps(area),
    })
    response = client.post(reverse("wagtailadmin_pages:edit", args=[project.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    latest = ProjectPage.objects.get(pk=project.pk).get_latest_revision_as_object()
    assert latest.area == area


def test_admin_rejects_an_invalid_area_with_a_dutch_message(client, project, editor):
    from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

    client.force_login(editor)
    bowtie = {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}
    data = nested_form_data({
        "title": project.title, "slug": project.slug, "summary": project.summary,
        "body": streamfield([]), "phases": inline_formset([]), "stakeholder_groups": inline_formset([]), "criteria": inline_formset([]),
        "ladder_level": "adviseren", "area": __import__("json").dumps(bowtie),
    })
    response = client.post(reverse("wagtailadmin_pages:edit", args=[project.pk]), data)
    assert response.status_code == 200
    assert "De vorm op de kaart is niet geldig" in response.content.decode()


class _Records:
    key = "test-records"
    label = "Bijeenkomsten"

    def project_has_records(self, project):
        return True


def test_delete_refused_for_project_with_followers(client, project, editor):
    ProjectFollow.objects.create(project=project, user=UserFactory())
    client.force_login(editor)
    url = reverse("wagtailadmin_pages:delete", args=[project.pk])
    response = client.post(url, follow=True)
    assert ProjectPage.objects.filter(pk=project.pk).exists()
    html = response.content.decode()
    assert "niet verwijderen" in html and "1 volger" in html and "depubliceren" in html
    # The index above it cannot be deleted either (it would take the project along).
    client.post(reverse("wagtailadmin_pages:delete", args=[project.get_parent().pk]))
    assert ProjectPage.objects.filter(pk=project.pk).exists()


def test_delete_refused_for_project_with_source_records(client, project, editor):
    register(_Records())
    try:
        client.force_login(editor)
        response = client.post(reverse("wagtailadmin_pages:delete", args=[project.pk]), follow=True)
    finally:
        unregister("test-records")
    assert ProjectPage.objects.filter(pk=project.pk).exists()
    assert "inbreng van inwoners (Bijeenkomsten)" in response.content.decode()


def test_bulk_delete_refused_too(client, project, editor):
    ProjectFollow.objects.create(project=project, user=UserFactory())
    client.force_login(editor)
    url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", "delete")) + f"?id={project.pk}"
    client.post(url)
    assert ProjectPage.objects.filter(pk=project.pk).exists()


def test_delete_allowed_without_records(client, project, editor):
    client.force_login(editor)
    client.post(reverse("wagtailadmin_pages:delete", args=[project.pk]))
    assert not ProjectPage.objects.filter(pk=project.pk).exists()
