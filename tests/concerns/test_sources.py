import datetime

import pytest
from django.utils import timezone

from concerns.models import SubmissionStatus
from concerns.sources import ConcernSource
from projects import sources
from projects.sources import ParticipationSource, get_source
from tests.concerns.factories import AreaFactory, top3, top3_via_services
from tests.projects.factories import ProjectPageFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def source():
    return get_source("concerns")


@pytest.fixture
def setup(site, moderator):
    project = ProjectPageFactory()
    noord = AreaFactory(code="WK999911", name="Noord")
    zuid = AreaFactory(code="WK999912", name="Zuid")
    anna, bob = UserFactory(username="anna"), UserFactory(username="bob")
    first = top3_via_services(area=noord, items=[("Groen", "Meer bomen."), ("Verkeer", "Te hard.")], user=anna,
                              moderator=moderator, project=project, keep_informed=True)
    top3_via_services(area=zuid, items=[("Groen", "Park vies.")], user=anna, moderator=moderator, project=project)  # anna again
    second = top3_via_services(area=zuid, items=[("Spelen", "Geen speeltuin.")], user=bob, moderator=moderator, project=project)
    by_mail = top3(area=zuid, items=[("Groen", "Bankjes.")], email="carla@example.org", project=project, keep_informed=True)
    top3(area=noord, items=[("Groen", "Wacht.")], user=bob, project=project, status=SubmissionStatus.PENDING)
    top3(area=noord, items=[("Groen", "Nee.")], project=project, status=SubmissionStatus.REJECTED)
    return project, noord, zuid, anna, bob, first, second, by_mail


def test_is_registered_and_implements_protocol(source):
    assert isinstance(source, ParticipationSource) and isinstance(source, ConcernSource)
    assert source.key == "concerns" and str(source.label) == "Top-3 van zorgen"


def test_reach_counts_each_resident_once(source, setup):
    project, *_ = setup
    reach = source.reach(project)
    assert reach.participants == 3  # anna (twice), bob, carla; pending and rejected not counted
    assert reach.by_group == {"Bewoner": 3}
    assert reach.by_area == {"Noord": 1, "Zuid": 2}  # anna in the wijk of her first Top-3
    assert "anna" not in repr(reach) and "carla" not in repr(reach)


def test_inputs_are_published_concerns_that_await_no_answer(source, setup):
    project, *_ = setup
    items = source.inputs(project)
    assert [i.title for i in items] == ["Meer bomen.", "Te hard.", "Park vies.", "Geen speeltuin.", "Bankjes."]
    first = items[0]
    assert (first.kind, first.kind_label, first.awaits_answer, first.area, first.themes) == ("top3", "Top-3-zorg", False, "Noord", ("Groen",))
    assert first.url == "/wat-houdt-u-bezig/uitkomst/WK999911/" and first.status_label == "Gepubliceerd"
    assert source.activities(project) == [] and source.evaluation(project).responses == 0


def test_project_has_records(source, setup):
    project, *_ = setup
    assert source.project_has_records(project) and not source.project_has_records(ProjectPageFactory())


def test_participant_contacts_consented_and_verified_only(source, setup):
    project, _noord, zuid, anna, *_rest = setup
    top3(area=zuid, items=[("Groen", "x")], email="nooit@example.org", project=project, keep_informed=True,
         status=SubmissionStatus.UNCONFIRMED)
    assert [p.email for p in source.participant_contacts(project)] == sorted([anna.email, "carla@example.org"])


def test_personal_sections_and_data(source, setup):
    _project, _noord, _zuid, anna, *_rest = setup
    [section] = source.personal_sections(anna)
    assert section.template == "concerns/my_concerns.html" and len(section.context["my_submissions"]) == 2
    data = source.personal_data(anna)
    assert [t["concerns"][0]["text"] for t in data["top3"]] == ["Park vies.", "Meer bomen."]
    assert data["top3"][0]["status"] == "published"
    assert source.personal_sections(UserFactory(username="niemand")) == []


def test_personal_data_delete_keeps_anonymous_counts(source, setup):
    project, _noord, _zuid, anna, *_rest = setup
    before = source.reach(project)
    source.personal_data_delete(anna)
    assert source.personal_data(anna) == {"top3": []} and source.personal_sections(anna) == []
    after = source.reach(project)
    # Anna's two Top-3's still count as one resident, in the wijk of her first: anonymously.
    assert after == before and after.participants == 3 and after.by_area == {"Noord": 1, "Zuid": 2}
    assert len(source.inputs(project)) == 5
    assert anna.email not in [p.email for p in source.participant_contacts(project)]


def test_each_erased_resident_counts_once_under_a_random_key_of_their_own(source, setup, moderator):
    from concerns.models import Submission

    project, _noord, zuid, anna, bob, *_rest = setup
    top3_via_services(area=zuid, items=[("Verkeer", "Drempels.")], user=bob, moderator=moderator, project=project)  # bob twice
    before = source.reach(project)
    source.personal_data_delete(anna)
    source.personal_data_delete(bob)
    assert source.reach(project) == before  # anna, bob, carla
    anna_keys = set(Submission.objects.filter(concerns__text__in=["Meer bomen.", "Park vies."]).values_list("erased_participant", flat=True))
    bob_keys = set(Submission.objects.filter(concerns__text__in=["Geen speeltuin.", "Drempels.", "Wacht."]).values_list("erased_participant", flat=True))
    assert len(anna_keys) == 1 and len(bob_keys) == 1 and anna_keys != bob_keys and None not in anna_keys | bob_keys
    # The key is random (nothing of who they were goes into it) and shown nowhere public.
    [key] = anna_keys
    assert key.version == 4
    assert not Submission.objects.filter(user__in=[anna, bob]).exists()
    assert str(key) not in repr(source.reach(project)) + repr(source.inputs(project))


def test_a_submission_without_any_contact_counts_once_on_its_own(source, setup):
    project, _noord, zuid, *_rest = setup
    before = source.reach(project).participants
    top3(area=zuid, items=[("Groen", "Zonder adres.")], project=project)  # contact forgotten after moderation
    top3(area=zuid, items=[("Groen", "Ook zonder.")], project=project)
    assert source.reach(project).participants == before + 2


def test_bulk_methods_agree_and_use_fixed_queries(source, setup, django_assert_num_queries):
    project, noord, *_ = setup
    other = ProjectPageFactory()
    top3(area=noord, items=[("Groen", "Elders.")], project=other)
    with django_assert_num_queries(1):
        reach = source.reach_many([project, other])
    with django_assert_num_queries(1):
        inputs = source.inputs_many([project, other])
    with django_assert_num_queries(0):
        assert source.activities_many([project, other]) == {project.pk: [], other.pk: []}
        source.evaluation_many([project, other])
    assert reach[project.pk] == source.reach(project) and reach[other.pk].participants == 1
    assert inputs[project.pk] == source.inputs(project) and len(inputs[other.pk]) == 1
    assert sources.participation_for([project])[project.pk].reach["concerns"].participants == 3


def test_signal_counts_by_theme_and_area_published_only_by_submission_date(source, setup, django_assert_num_queries):
    _project, noord, zuid, *_ = setup
    old = top3(area=noord, items=[("Groen", "Vorig jaar.")], created_at=timezone.now() - datetime.timedelta(days=400))
    top3(area=noord, items=[("Groen", "Zonder project.")])  # input without a project counts too
    now = timezone.now()
    with django_assert_num_queries(1):
        counts = source.signal_counts(since=now - datetime.timedelta(days=30), until=now + datetime.timedelta(minutes=1))
    found = {(c.theme, c.area): c.count for c in counts}
    assert found == {("Groen", noord.code): 2, ("Verkeer", noord.code): 1, ("Groen", zuid.code): 2, ("Spelen", zuid.code): 1}
    assert {(c.kind, c.kind_label, c.source, c.awaiting, c.answered) for c in counts} == {("top3", "Top-3-antwoorden", "concerns", 0, 0)}
    earlier = source.signal_counts(since=old.created_at - datetime.timedelta(days=1), until=old.created_at + datetime.timedelta(days=1))
    assert [(c.theme, c.count) for c in earlier] == [("Groen", 1)]
    assert any(c.source == "concerns" for c in sources.signal_counts(since=now - datetime.timedelta(days=1), until=now + datetime.timedelta(minutes=1)))


def test_memory_documents_per_wijk_without_names(source, setup):
    _project, noord, zuid, anna, *_ = setup
    docs = {d.key: d for d in source.memory_documents()}
    assert set(docs) == {f"top3:{noord.pk}", f"top3:{zuid.pk}"}
    doc = docs[f"top3:{noord.pk}"]
    assert doc.kind == "top3" and doc.area == noord.code and doc.url == "/wat-houdt-u-bezig/uitkomst/WK999911/"
    assert "Meer bomen." in doc.body and "Wacht." not in doc.body and "Nee." not in doc.body
    assert set(doc.themes) == {"Groen", "Verkeer"} and doc.title == "Wat bewoners bezighoudt in Noord"
    assert all(anna.email not in d.body and "carla" not in d.body for d in docs.values())
    assert [d.key for d in source.memory_documents(keys=[f"top3:{zuid.pk}", "top3:0", "anders:1"])] == [f"top3:{zuid.pk}"]
    assert list(source.memory_documents(keys=["anders:1"])) == []
    assert sources.memory_kind_labels()["top3"] == "Top-3 van een wijk"


def test_rejecting_a_published_top3_takes_it_out_of_the_memory(source, setup, moderator):
    from concerns import services

    _project, _noord, zuid, _anna, _bob, _first, second, _by_mail = setup
    services.submission_reject(submission=second, moderator=moderator, reason="Toch niet.")
    [doc] = source.memory_documents(keys=[f"top3:{zuid.pk}"])
    assert "Geen speeltuin." not in doc.body and "Park vies." in doc.body
