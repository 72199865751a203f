import datetime

import pytest
from django.utils import timezone

from dialogues import services
from dialogues.models import Agreement, Registration, SessionOutcome
from projects.sources import get_source
from tests.dialogues.factories import DialogueSessionFactory, registration_data
from tests.projects.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(round_page):
    start = timezone.now() - datetime.timedelta(days=3)
    session = DialogueSessionFactory(round=round_page, starts_at=start, ends_at=start + datetime.timedelta(hours=2))
    before = start - datetime.timedelta(days=2)
    regs = []
    for email, group, consent in (("a@example.org", "Bewoner", True), ("b@example.org", "Zorgaanbieders", False), ("c@example.org", "Bewoner", True)):
        reg = services.registration_create(session_id=session.pk, now=before, contact_consent=consent,
                                           **registration_data(email=email, stakeholder_group=group))
        regs.append(reg)
    services.registration_check_in(registration_id=regs[0].pk, attended=True)
    services.registration_check_in(registration_id=regs[1].pk, attended=True)
    services.registration_check_in(registration_id=regs[2].pk, attended=False)
    outcome = SessionOutcome.objects.create(session=session, summary="Een buurttuin.")
    outcome.themes.add("groen")
    outcome.save()
    Agreement.objects.create(outcome=outcome, what="Plan tuin maken", who="Gemeente", status="bezig")
    services.outcome_publish(outcome_id=outcome.pk)
    services.evaluation_submit(registration_id=regs[0].pk, heard=4, useful=5)
    services.evaluation_submit(registration_id=regs[1].pk, heard=2, useful=3)
    return session, regs


def test_source_is_registered():
    assert get_source("dialogues") is not None


def test_reach_counts_attendance_and_invitations_per_group(held, round_page):
    reach = get_source("dialogues").reach(round_page.get_parent().specific)
    assert reach.participants == 2
    assert reach.by_group == {"Bewoner": 1, "Zorgaanbieders": 1}
    assert reach.invited_by_group == {"Bewoner": 2, "Zorgaanbieders": 1}


def test_inputs_activities_and_evaluation(held, round_page):
    source = get_source("dialogues")
    project = round_page.get_parent().specific
    [item] = source.inputs(project)
    assert item.answer == "Een buurttuin." and item.themes == ("groen",)
    assert item.agreements[0]["status"] == "bezig"
    [activity] = source.activities(project)
    assert activity.held and activity.outcome_published_at is not None
    evaluation = source.evaluation(project)
    assert evaluation.responses == 2 and evaluation.averages == {"gehoord": 3.0, "nuttig": 4.0}
    assert source.project_has_records(project)


def test_participant_contacts_only_with_consent(held, round_page):
    contacts = get_source("dialogues").participant_contacts(round_page.get_parent().specific)
    assert [c.email for c in contacts] == ["a@example.org"]


def test_personal_sections_data_and_delete(session):
    user = UserFactory()
    registration = services.registration_create(session_id=session.pk, user=user, **registration_data(email=user.email))
    source = get_source("dialogues")
    [section] = source.personal_sections(user)
    assert section.template == "dialogues/my_registrations.html"
    assert source.personal_data(user)["registrations"][0]["email"] == user.email
    source.personal_data_delete(user)
    registration.refresh_from_db()
    session.refresh_from_db()
    assert registration.status == "cancelled" and registration.email == "" and registration.user is None
    assert session.seats_taken == 0
    assert Registration.objects.count() == 1  # counts kept
    assert source.personal_sections(user) == []


def test_signal_counts_themes_of_published_outcomes_by_session_date(held, django_assert_num_queries):
    session, _regs = held
    source = get_source("dialogues")
    day = datetime.timedelta(days=1)
    with django_assert_num_queries(1):
        [count] = source.signal_counts(since=session.starts_at, until=session.starts_at + day)
    assert (count.kind, count.kind_label, count.theme, count.area, count.count) == ("session", "Thema's uit bijeenkomsten", "groen", "", 1)
    assert source.signal_counts(since=session.starts_at - day, until=session.starts_at) == []  # until is exclusive
    services.outcome_unpublish(outcome_id=session.outcome.pk)
    assert source.signal_counts(since=session.starts_at, until=session.starts_at + day) == []


def test_a_theme_raised_only_in_a_session_filters_the_search(held, client):
    session, _regs = held
    response = client.get("/zoeken/", {"thema": "groen"})
    assert response.status_code == 200
    assert session.title in response.content.decode()
    services.outcome_unpublish(outcome_id=session.outcome.pk)
    assert session.title not in client.get("/zoeken/", {"thema": "groen"}).content.decode()


def test_themes_are_the_public_round_themes_and_outcome_tags(held, round_page, django_assert_num_queries):
    session, _regs = held
    source = get_source("dialogues")
    assert source.themes_are_tags is True
    with django_assert_num_queries(1):
        names = source.themes()
    assert names == ["groen", "Samen zorgen in de wijk"]
    services.outcome_unpublish(outcome_id=session.outcome.pk)
    assert "groen" not in source.themes()  # an unpublished outcome's tags stay unknown
    services.outcome_publish(outcome_id=session.outcome.pk)
    services.session_cancel(session_id=session.pk)
    assert source.themes() == ["Samen zorgen in de wijk"]
    round_page.unpublish()
    assert source.themes() == []


def test_a_session_tag_never_reorders_or_respells_the_listed_themes(held):
    from projects import sources
    from tests.geo.factories import ThemeFactory

    ThemeFactory(name="Verkeer", sort_order=1)
    ThemeFactory(name="Groen", sort_order=2)
    names = sources.themes()
    # geo's list first, in its order and spelling; the session's "groen" is that theme.
    assert names[:2] == ["Verkeer", "Groen"] and "groen" not in names
    assert sources.themes(tags=False) == ["Verkeer", "Groen"]
