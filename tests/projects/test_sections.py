"""The "doe mee" / results / home extension point (projects.sections)."""

import datetime

import pytest
from django.template import engines
from wagtail import hooks

from projects.sections import HOME_SECTIONS_HOOK, PROJECT_SECTIONS_HOOK, PageSection, project_sections
from tests.projects.factories import ProjectPageFactory, phase

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def only_test_sections(monkeypatch):
    """Leave out the sections the real apps register, so these tests see only their own."""
    hooks.get_hooks(PROJECT_SECTIONS_HOOK)  # imports every app's wagtail_hooks first
    monkeypatch.setitem(hooks._hooks, PROJECT_SECTIONS_HOOK, [])
    monkeypatch.setitem(hooks._hooks, HOME_SECTIONS_HOOK, [])


@pytest.fixture
def section_templates(settings, tmp_path):
    """Templates an imaginary other app would ship."""
    folder = tmp_path / "templates" / "otherapp"
    folder.mkdir(parents=True)
    (folder / "sessions.html").write_text(
        "<h3>{{ section.title }}</h3><p>{{ sessions|join:', ' }} voor {{ page.title }}</p>"
    )
    (folder / "report.html").write_text("<h3>{{ section.title }}</h3><p>{{ summary }}</p>")
    (folder / "home.html").write_text("<h2>{{ section.title }}</h2><p>{{ count }} plekken vrij</p>")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], str(tmp_path / "templates")]}
    ]
    engines._engines = {}
    engines.__dict__.pop("templates", None)
    yield
    engines._engines = {}
    engines.__dict__.pop("templates", None)


def _sessions(*, project, request):
    if project.title == "Zonder sessies":
        return None
    return PageSection(key="sessions", title="Kom naar een bijeenkomst", template="otherapp/sessions.html",
                       context={"sessions": ["12 mei", "19 mei"]}, order=10)


def _report(*, project, request):
    return [PageSection(key="report", title="Het verslag", template="otherapp/report.html",
                        context={"summary": "Zo is uw inbreng gebruikt."}, slot="results")]


def test_project_page_shows_sections_from_other_apps_in_their_slots(client, home_page, section_templates):
    project = ProjectPageFactory(title="Molenzoom")
    with hooks.register_temporarily(PROJECT_SECTIONS_HOOK, _sessions), hooks.register_temporarily(PROJECT_SECTIONS_HOOK, _report):
        html = client.get(project.url).content.decode()
    doe_mee = html[html.index('id="doe-mee-heading"'):]
    assert "<h3>Kom naar een bijeenkomst</h3><p>12 mei, 19 mei voor Molenzoom</p>" in doe_mee
    # The follow block comes after the added sections inside "Doe mee".
    assert doe_mee.index("Kom naar een bijeenkomst") < doe_mee.index("Volg dit project")
    results = html[html.index('id="results-heading"'):]
    assert "Zo is uw inbreng gebruikt." in results


def test_no_results_heading_without_result_sections(client, home_page):
    project = ProjectPageFactory(title="Zonder sessies")
    with hooks.register_temporarily(PROJECT_SECTIONS_HOOK, _sessions):
        html = client.get(project.url).content.decode()
    assert 'id="results-heading"' not in html
    assert "Kom naar een bijeenkomst" not in html
    assert 'id="doe-mee-heading"' in html


def test_sections_sorted_by_order_then_key(rf, home_page):
    project = ProjectPageFactory()

    def many(*, project, request):
        return [
            PageSection(key="b", title="B", template="x.html", order=20),
            PageSection(key="a", title="A", template="x.html", order=20),
            PageSection(key="c", title="C", template="x.html", order=5),
        ]

    with hooks.register_temporarily(PROJECT_SECTIONS_HOOK, many):
        sections = project_sections(project=project, request=rf.get("/"))
    assert [s.key for s in sections["doe_mee"]] == ["c", "a", "b"]


def test_hook_returning_something_else_is_an_error(rf, home_page):
    project = ProjectPageFactory()
    with hooks.register_temporarily(PROJECT_SECTIONS_HOOK, lambda **kw: {"template": "x.html"}):
        with pytest.raises(TypeError):
            project_sections(project=project, request=rf.get("/"))


def test_home_page_shows_home_sections(client, home_page, section_templates):
    today = datetime.date.today()
    ProjectPageFactory(title="Loopt", phases=[phase("dialoog", "Gesprek", today, today + datetime.timedelta(days=5))])

    def home(*, page, request):
        return PageSection(key="sessions", title="Bijeenkomsten met plek", template="otherapp/home.html", context={"count": 7})

    with hooks.register_temporarily(HOME_SECTIONS_HOOK, home):
        html = client.get("/").content.decode()
    assert "<h2>Bijeenkomsten met plek</h2><p>7 plekken vrij</p>" in html
    assert html.index("Lopende projecten") < html.index("Bijeenkomsten met plek")
