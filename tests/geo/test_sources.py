import pytest

from geo import services
from geo.models import Moderation, Support
from projects.sources import ParticipationSource, get_source
from tests.geo.factories import AreaFactory, InitiativeFactory, square
from tests.projects.factories import ProjectPageFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def source():
    return get_source("initiatives")


@pytest.fixture
def setup(site, moderator):
    project = ProjectPageFactory()
    noord = AreaFactory(name="Noord", geometry=square(5.10, 52.03, 5.24, 52.06))
    zuid = AreaFactory(name="Zuid", geometry=square(5.10, 51.99, 5.24, 52.0299))
    anna, bob, carla = UserFactory(username="anna"), UserFactory(username="bob"), UserFactory(username="carla")
    first = InitiativeFactory(project=project, submitter=anna, area=noord, keep_informed=True)
    second = InitiativeFactory(project=project, submitter=bob, area=zuid)
    InitiativeFactory(project=project, submitter=carla, moderation=Moderation.PENDING)  # not counted
    services.support_add(initiative=first, user=bob, keep_informed=True)
    services.support_add(initiative=first, user=carla, keep_informed=False)
    services.support_add(initiative=second, user=anna)
    services.initiative_set_status(initiative=first, to_status="overgenomen", answer="Komt er.", by=moderator)
    return project, first, second, anna, bob, carla


def test_is_registered_and_implements_protocol(source):
    assert isinstance(source, ParticipationSource)


def test_reach_counts_unique_people(source, setup):
    project, *_ = setup
    reach = source.reach(project)
    assert reach.participants == 3  # anna, bob, carla: each once
    assert reach.by_group == {"Bewoner": 3}
    assert reach.by_area == {"Noord": 2, "Zuid": 1}  # anna and carla by initiative "first", bob by his own in Zuid
    assert "anna" not in repr(reach)


def test_inputs_with_answers(source, setup):
    project, first, second, *_ = setup
    items = {i.title: i for i in source.inputs(project)}
    assert set(items) == {first.title, second.title}
    assert items[first.title].status == "overgenomen" and items[first.title].answer == "Komt er."
    assert items[first.title].supporters == 2 and items[first.title].area == "Noord"
    assert source.activities(project) == [] and source.evaluation(project).responses == 0
    assert source.project_has_records(project) and not source.project_has_records(ProjectPageFactory())


def test_participant_contacts_only_with_consent(source, setup):
    project, _first, _second, anna, bob, carla = setup
    assert sorted(p.email for p in source.participant_contacts(project)) == sorted([anna.email, bob.email])


def test_personal_sections_and_data(source, setup, client):
    _project, first, _second, anna, *_ = setup
    sections = source.personal_sections(anna)
    assert sections[0].template == "geo/my_initiatives.html"
    assert first.title in [i.title for i in sections[0].context["my_initiatives"]]
    data = source.personal_data(anna)
    assert data["initiatives"][0]["title"] == first.title and len(data["supports"]) == 1
    client.force_login(anna)
    html = client.get("/mijn/").content.decode()
    assert "Mijn initiatieven" in html and first.title in html


def test_personal_data_delete(source, setup):
    _project, first, second, anna, *_ = setup
    source.personal_data_delete(anna)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.submitter is None and first.moderation == Moderation.PUBLISHED
    assert second.support_count == Support.objects.filter(initiative=second).count() == 1
    assert source.personal_data(anna) == {"initiatives": [], "supports": [], "reports": [], "reactions": []}
    assert source.personal_sections(anna) == []


def test_bulk_methods_agree_and_use_fixed_queries(source, setup, django_assert_num_queries):
    project, *_ = setup
    other = ProjectPageFactory()
    InitiativeFactory(project=other)
    with django_assert_num_queries(2):
        reach = source.reach_many([project, other])
    with django_assert_num_queries(1):
        inputs = source.inputs_many([project, other])
    assert reach[project.pk] == source.reach(project) and reach[other.pk].participants == 0
    assert inputs[project.pk] == source.inputs(project) and len(inputs[other.pk]) == 1


# --- what lives: areas, themes and signal counts ------------------------------------------------


def test_areas_and_themes_for_what_lives(source, site):
    from tests.geo.factories import ThemeFactory

    AreaFactory(code="BU09990101", name="Centrum-Oost", kind="buurt")
    AreaFactory(code="WK099901", name="Centrum")
    ThemeFactory(name="Verkeer", sort_order=2)
    ThemeFactory(name="Groen", sort_order=1)
    assert [(a.code, a.name, a.kind) for a in source.areas()] == [
        ("BU09990101", "Centrum-Oost", "buurt"), ("WK099901", "Centrum", "wijk")]
    from projects import sources

    assert [a.code for a in sources.areas()] == ["WK099901", "BU09990101"]  # wijken first
    assert source.themes()[:2] == ["Groen", "Verkeer"]


def test_signal_counts_initiatives_and_supports_in_the_period(source, setup, django_assert_num_queries):
    import datetime

    from django.utils import timezone

    _project, first, second, *_ = setup
    now = timezone.now()
    with django_assert_num_queries(3):
        counts = source.signal_counts(since=now - datetime.timedelta(days=1), until=now + datetime.timedelta(seconds=1))
    by_kind = {(c.kind, c.area, c.theme): c for c in counts}
    noord, zuid = first.area.code, second.area.code
    initiative = by_kind[("initiative", noord, first.theme.name)]
    assert (initiative.count, initiative.awaiting, initiative.answered, initiative.kind_label) == (1, 1, 1, "Initiatieven")
    assert by_kind[("initiative", zuid, second.theme.name)].answered == 0
    supports = by_kind[("support", noord, first.theme.name)]
    assert (supports.count, supports.awaiting, supports.kind_label) == (2, 0, "Steunbetuigingen")
    assert sum(c.count for c in counts if c.kind == "initiative") == 2  # the pending one is not counted
    assert source.signal_counts(since=now - datetime.timedelta(days=2), until=now - datetime.timedelta(days=1)) == []
