import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F

from dialogues.models import DialogueSession, Registration
from tests.dialogues.factories import DialogueSessionFactory

pytestmark = pytest.mark.django_db


def test_seat_counter_can_never_exceed_capacity(session):
    with pytest.raises(IntegrityError), transaction.atomic():
        DialogueSession.objects.filter(pk=session.pk).update(seats_taken_onsite=F("capacity_onsite") + 1)


def test_one_active_registration_per_email_in_the_database(session):
    Registration.objects.create(session=session, email="A@example.org", stakeholder_group="Bewoner", status="confirmed")
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(session=session, email="a@EXAMPLE.org", stakeholder_group="Bewoner", status="waitlisted")
    # A cancelled one does not count, and anonymised (blank) addresses never clash.
    Registration.objects.create(session=session, email="a@example.org", stakeholder_group="Bewoner", status="cancelled")
    Registration.objects.create(session=session, email="", stakeholder_group="Bewoner", status="attended")
    Registration.objects.create(session=session, email="", stakeholder_group="Bewoner", status="attended")


def test_session_must_end_after_it_starts(session):
    session.ends_at = session.starts_at - datetime.timedelta(minutes=1)
    with pytest.raises(ValidationError) as exc:
        session.full_clean()
    assert "ends_at" in exc.value.message_dict


def test_session_needs_a_place_or_a_link(round_page):
    session = DialogueSessionFactory.build(round=round_page, venue="", online_url="", capacity_onsite=0)
    with pytest.raises(ValidationError) as exc:
        session.full_clean()
    assert "venue" in exc.value.message_dict


def test_registration_state(session):
    assert session.registration_state() == "open"
    assert session.registration_state(session.starts_at + datetime.timedelta(minutes=1)) == "past"


def test_deleting_the_round_page_is_protected(session):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        session.round.delete()
