"""The plugin renders inside any host base template that has Wagtail's four usual blocks.

The demo host's own templates/ folder is taken out of the template path and replaced by a
bare base.html, as a fresh `wagtail start` site would have: every public page of the apps must
still answer, bring the plugin's stylesheet, and keep screen-reader text inside .participatie.
"""

import json

import pytest
from django.conf import settings as django_settings

from tests.dialogues.factories import DialogueRoundPageFactory, DialogueSessionFactory
from tests.projects.factories import ProjectPageFactory, UserFactory

pytestmark = pytest.mark.django_db

BARE_BASE = (
    "<!DOCTYPE html><html><head><title>{% block title %}{% endblock %}</title>{% block extra_css %}{% endblock %}"
    "</head><body><p>BARE HOST</p>{% block content %}{% endblock %}{% block extra_js %}{% endblock %}</body></html>"
)


@pytest.fixture
def bare_host(settings, tmp_path):
    (tmp_path / "base.html").write_text(BARE_BASE)
    (tmp_path / "other_base.html").write_text(BARE_BASE.replace("BARE HOST", "OTHER HOST"))
    engine = dict(django_settings.TEMPLATES[0])
    engine["DIRS"] = [tmp_path]
    settings.TEMPLATES = [engine]
    return tmp_path


@pytest.fixture
def pages(site):
    project = ProjectPageFactory(
        title="Nieuwbouw Molenzoom",
        body=json.dumps([{"type": "text", "value": "<p>Er komen woningen.</p>"}]),
    )
    round_page = DialogueRoundPageFactory(parent=project)
    session = DialogueSessionFactory(round=round_page)
    return project, round_page, session


def assert_plugin_page(response, host="BARE HOST"):
    assert response.status_code == 200, response.status_code
    html = response.content.decode()
    assert host in html and "home/css/site.css" not in html  # the host's base, not the demo's
    assert "projects/participatie.css" in html
    assert '<div class="participatie">' in html
    return html


def test_public_pages_render_in_a_bare_host_base(client, bare_host, pages):
    project, round_page, session = pages
    assert "Er komen woningen." in assert_plugin_page(client.get(project.url))
    assert_plugin_page(client.get(round_page.url))
    assert_plugin_page(client.get(f"/dialoog/sessie/{session.pk}/aanmelden/"))
    assert_plugin_page(client.get(f"/projecten/{project.pk}/resultaten/"))
    assert_plugin_page(client.get(f"/projecten/{project.pk}/verslag/"))
    assert_plugin_page(client.get(f"/projecten/{project.pk}/verantwoording/"))
    assert_plugin_page(client.get("/verantwoording/"))
    assert_plugin_page(client.get("/initiatief/kaart/"))


def test_form_errors_render_beside_the_field_in_a_bare_host_base(client, bare_host, pages):
    _, _, session = pages
    response = client.post(f"/dialoog/sessie/{session.pk}/aanmelden/", {"name": "Jan de Boer", "email": "geen-adres"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "BARE HOST" in html and '<div class="participatie">' in html
    assert 'value="Jan de Boer"' in html  # nothing already given is lost
    assert 'aria-invalid="true"' in html or "field-error" in html


def test_logged_in_pages_render_in_a_bare_host_base(client, bare_host, pages):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert_plugin_page(client.get("/mijn/"))
    assert_plugin_page(client.get("/raad/"))


def test_base_template_setting_names_another_host_template(client, bare_host, pages, settings):
    settings.PARTICIPATIE = {**settings.PARTICIPATIE, "BASE_TEMPLATE": "other_base.html"}
    project, _, _ = pages
    assert_plugin_page(client.get(project.url), host="OTHER HOST")


def test_top3_pages_render_in_a_bare_host_base(client, bare_host, site):
    from tests.concerns.factories import AreaFactory, top3

    wijk = AreaFactory(code="WK999990", name="Kale wijk")
    top3(area=wijk, items=[("Groen", "Meer bomen.")])
    assert "Kale wijk" in assert_plugin_page(client.get("/wat-houdt-u-bezig/"))
    assert "Kale wijk" in assert_plugin_page(client.get("/wat-houdt-u-bezig/uitkomst/"))
    assert "Meer bomen." in assert_plugin_page(client.get(f"/wat-houdt-u-bezig/uitkomst/{wijk.code}/"))
