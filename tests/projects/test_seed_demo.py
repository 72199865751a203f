import io

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from wagtail.models import Site

from home.models import SiteSettings
from projects.conf import site_config
from projects.geometry import geometry_bbox, geometry_validate
from projects.models import PLAN_QUESTIONS, ProjectFollow, ProjectPage, ProjectUpdatePage
from projects.selectors import project_list_with_phase

# Not transactional: the groups and permissions that migrations create stay, as after
# `manage.py migrate` on a fresh machine.
pytestmark = pytest.mark.django_db


def _row_counts():
    return {model._meta.label: model.objects.count() for model in apps.get_models() if model._meta.managed}


@pytest.fixture
def seeded(seeded_demo):
    # Seeded once per run and copied back per test (tests/conftest.py): same database.
    return seeded_demo


def test_second_run_changes_nothing(seeded):
    before = _row_counts()
    call_command("seed_demo", stdout=io.StringIO())
    after = _row_counts()
    assert {k: (before[k], after[k]) for k in before if before[k] != after[k]} == {}


def test_demo_municipality_on_real_geography(seeded):
    config = site_config(site=Site.objects.get(is_default_site=True))
    assert config.municipality_name == "Gemeente Lindewaard"
    assert config.contains(52.028, 5.168)  # Houten
    settings_obj = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    for page in (settings_obj.privacy_page, settings_obj.accessibility_page, settings_obj.policy_page):
        assert page is not None and page.live
    assert "bewaren" in settings_obj.privacy_page.specific.body  # AVG retention text


def test_three_projects_complete_and_in_different_phases(seeded):
    projects = {p.slug: p for p in project_list_with_phase()}
    assert set(projects) == {"nieuwbouw-molenzoom", "samen-zorgen-in-de-hoven", "groen-schoneveld"}
    current_kinds = {p.current_phase.kind for p in projects.values()}
    assert len(current_kinds) == 3 and not any(p.is_finished for p in projects.values())
    config = site_config()
    for project in ProjectPage.objects.all():
        assert all(getattr(project, name).strip() for name, _label in PLAN_QUESTIONS)
        assert project.stakeholder_groups.count() >= 3
        assert project.contact_name and project.contact_email
        geometry_validate(project.area)
        min_lon, min_lat, max_lon, max_lat = geometry_bbox(project.area)
        assert config.contains(min_lat, min_lon) and config.contains(max_lat, max_lon)
        assert ProjectUpdatePage.objects.child_of(project).live().exists()


def test_demo_accounts(seeded):
    User = get_user_model()
    for email in ("bewoner@example.org", "redacteur@example.org", "redacteur.molenzoom@example.org",
                  "raadslid@example.org", "admin@example.org"):
        user = User.objects.get(email=email)
        assert user.check_password("participatie-demo")
        assert EmailAddress.objects.filter(user=user, email=email, verified=True, primary=True).exists()
        assert email in seeded  # printed at the end
    editor = User.objects.get(email="redacteur@example.org")
    assert editor.groups.filter(name="Editors").exists() and editor.has_perm("wagtailadmin.access_admin")
    projects = {p.slug: p for p in ProjectPage.objects.all()}
    assert all(p.permissions_for_user(editor).can_publish() for p in projects.values())  # editor of all projects
    one = User.objects.get(email="redacteur.molenzoom@example.org")
    assert list(one.groups.values_list("name", flat=True)) == ["Redactie Nieuwbouw Molenzoom"]
    assert one.has_perm("wagtailadmin.access_admin") and not one.is_superuser
    assert projects["nieuwbouw-molenzoom"].permissions_for_user(one).can_publish()
    assert not projects["samen-zorgen-in-de-hoven"].permissions_for_user(one).can_edit()
    assert not projects["groen-schoneveld"].permissions_for_user(one).can_edit()
    # Every demo project has its own editor group.
    assert {g for g in Group.objects.filter(name__startswith="Redactie ").values_list("name", flat=True)} == {
        "Redactie Nieuwbouw Molenzoom", "Redactie Samen zorgen in De Hoven", "Redactie Groen Schoneveld"}
    council = User.objects.get(email="raadslid@example.org")
    assert council.groups.filter(name="Raadsleden").exists() and not council.has_perm("wagtailadmin.access_admin")
    assert User.objects.get(email="admin@example.org").is_superuser
    assert ProjectFollow.objects.filter(user__email="bewoner@example.org").count() == 1


def test_demo_pages_render(seeded, client):
    for project in ProjectPage.objects.all():
        response = client.get(project.url)
        assert response.status_code == 200
        assert project.contact_name in response.content.decode()
    assert client.get("/").status_code == 200
    assert client.get("/projecten/").status_code == 200
