"""Staff actions on one registration (cancel, on behalf, promote by hand), the time rules for
attendance and outcomes, evaluation now, the cancellation email and the audit log."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone
from wagtail.models import ModelLogEntry

from dialogues import services
from dialogues.models import DialogueSession, Registration, RegistrationStatus as S, SessionOutcome
from projects.models import OutgoingMail
from tests.dialogues.factories import DialogueSessionFactory, registration_data
from tests.projects.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(site):
    return UserFactory(username="medewerker", is_superuser=True, is_staff=True)


def _actions(session):
    return list(ModelLogEntry.objects.for_instance(session).order_by("pk").values_list("action", flat=True))


def _full_session(capacity=2, waiting=2):
    session = DialogueSessionFactory(capacity_onsite=capacity)
    seated = [services.registration_create(session_id=session.pk, **registration_data(email=f"zit{i}@example.org", name=f"Zit {i}"))
              for i in range(capacity)]
    waiters = [services.registration_create(session_id=session.pk, **registration_data(email=f"wacht{i}@example.org", name=f"Wacht {i}"))
               for i in range(waiting)]
    assert all(r.status == S.WAITLISTED for r in waiters)
    return session, seated, waiters


# --- cancel by staff ---------------------------------------------------------------------------

def test_staff_cancel_frees_the_seat_for_the_first_waiting_mails_and_logs(staff):
    session, seated, waiters = _full_session()
    OutgoingMail.objects.all().delete()
    services.registration_cancel(registration_id=seated[0].pk, by=staff, notify=True)
    session.refresh_from_db()
    assert Registration.objects.get(pk=seated[0].pk).status == S.CANCELLED
    assert Registration.objects.get(pk=waiters[0].pk).status == S.CONFIRMED
    assert Registration.objects.get(pk=waiters[1].pk).status == S.WAITLISTED
    assert session.seats_taken_onsite == 2
    mails = {m.to: m for m in OutgoingMail.objects.all()}
    assert set(mails) == {"zit0@example.org", "wacht0@example.org"}
    assert "De organisatie heeft uw aanmelding" in mails["zit0@example.org"].body_text
    entry = ModelLogEntry.objects.for_instance(session).get(action="dialogues.registration_cancel")
    assert entry.user == staff and entry.data == {"registration_id": seated[0].pk, "previous_status": "pending", "mailed": True}
    assert "zit0@example.org" not in str(entry.data)


def test_staff_cancel_without_mail_and_of_waiting_and_pending_ones(staff):
    session, seated, waiters = _full_session()
    OutgoingMail.objects.all().delete()
    services.registration_cancel(registration_id=waiters[1].pk, by=staff, notify=False)
    assert Registration.objects.get(pk=waiters[1].pk).status == S.CANCELLED
    assert not OutgoingMail.objects.exists()
    assert seated[1].status == S.PENDING
    services.registration_cancel(registration_id=seated[1].pk, by=staff, notify=False)
    session.refresh_from_db()
    assert session.seats_taken_onsite == 2  # the first waiting took the seat
    assert list(OutgoingMail.objects.values_list("to", flat=True)) == ["wacht0@example.org"]
    with pytest.raises(services.RegistrationError, match="al afgezegd"):
        services.registration_cancel(registration_id=seated[1].pk, by=staff)


def test_resident_cancel_is_confirmed_by_email(session):
    registration = services.registration_create(session_id=session.pk, **registration_data())
    OutgoingMail.objects.all().delete()
    services.registration_cancel(registration_id=registration.pk)
    mail = OutgoingMail.objects.get()
    assert mail.to == "fatima@example.org" and mail.subject.startswith("U bent afgemeld")
    assert "U heeft zich afgemeld voor deze bijeenkomst" in mail.body_text and "Dat is gelukt" in mail.body_html
    assert _actions(session) == []  # a resident's own cancel is no staff action


def test_released_seat_gets_the_release_mail_not_the_cancel_confirmation(session):
    registration = services.registration_create(session_id=session.pk, **registration_data())
    OutgoingMail.objects.all().delete()
    services.registration_release_expired(now=registration.hold_expires_at + datetime.timedelta(minutes=1))
    assert list(OutgoingMail.objects.values_list("subject", flat=True)) == [f"Uw aanmelding is vervallen: {session.title}"]


# --- on behalf -----------------------------------------------------------------------------------

def test_on_behalf_is_confirmed_at_once_records_consent_to_staff_and_logs(staff, session):
    OutgoingMail.objects.all().delete()
    registration = services.registration_create_on_behalf(
        session_id=session.pk, by=staff, name="Henk de Vries", email="henk@example.org", phone="0301234567",
        stakeholder_group="Bewoner", needs=["rolstoel"], consent_given_to_staff=True,
    )
    session.refresh_from_db()
    assert registration.status == S.CONFIRMED and registration.confirmed_at is not None
    assert registration.consent and registration.registered_by == staff and registration.hold_expires_at is None
    assert session.seats_taken_onsite == 1
    mail = OutgoingMail.objects.get()
    assert mail.to == "henk@example.org" and "/dialoog/bevestig/" not in mail.body_text  # no confirm link
    assert _actions(session) == ["dialogues.registration_on_behalf"]


def test_on_behalf_without_email_sends_nothing_and_needs_consent(staff, session):
    OutgoingMail.objects.all().delete()
    with pytest.raises(services.RegistrationError) as exc:
        services.registration_create_on_behalf(session_id=session.pk, by=staff, name="Truus", stakeholder_group="Bewoner",
                                               consent_given_to_staff=False)
    assert exc.value.field == "consent_given_to_staff"
    first = services.registration_create_on_behalf(session_id=session.pk, by=staff, name="Truus", phone="06 1",
                                                   stakeholder_group="Bewoner", consent_given_to_staff=True)
    second = services.registration_create_on_behalf(session_id=session.pk, by=staff, name="Piet", stakeholder_group="Bewoner",
                                                    consent_given_to_staff=True)
    assert first.status == second.status == S.CONFIRMED and first.email == second.email == ""
    assert not OutgoingMail.objects.exists()


def test_on_behalf_when_full_waiting_list_or_refusal_as_staff_choose(staff):
    session, seated, waiters = _full_session(capacity=1, waiting=0)
    waiting = services.registration_create_on_behalf(session_id=session.pk, by=staff, name="A", stakeholder_group="Bewoner",
                                                     consent_given_to_staff=True, waitlist_when_full=True)
    assert waiting.status == S.WAITLISTED
    with pytest.raises(services.RegistrationError) as exc:
        services.registration_create_on_behalf(session_id=session.pk, by=staff, name="B", stakeholder_group="Bewoner",
                                               consent_given_to_staff=True, waitlist_when_full=False)
    assert exc.value.code == "full" and "wachtlijst" in exc.value.message
    assert Registration.objects.filter(name="B").count() == 0


def test_on_behalf_works_after_registration_closed_but_not_for_a_past_session(staff):
    session = DialogueSessionFactory(registration_closes_at=timezone.now() - datetime.timedelta(hours=1))
    registration = services.registration_create_on_behalf(session_id=session.pk, by=staff, name="Laat", stakeholder_group="Bewoner",
                                                          consent_given_to_staff=True)
    assert registration.status == S.CONFIRMED
    with pytest.raises(services.RegistrationError, match="al geweest"):
        services.registration_create_on_behalf(session_id=session.pk, by=staff, name="Te laat", stakeholder_group="Bewoner",
                                               consent_given_to_staff=True, now=session.starts_at)


# --- promote by hand -----------------------------------------------------------------------------

def test_promote_by_hand_raises_the_full_pools_capacity_by_one_and_mails(staff):
    session, seated, waiters = _full_session(capacity=2, waiting=2)
    OutgoingMail.objects.all().delete()
    chosen = waiters[1]  # not the first in line: staff choose
    assert services.promotion_needs_extra_seat(Registration.objects.select_related("session").get(pk=chosen.pk))
    services.waitlist_promote_by_hand(registration_id=chosen.pk, by=staff)
    session.refresh_from_db()
    assert (session.capacity_onsite, session.seats_taken_onsite) == (3, 3)
    assert Registration.objects.get(pk=chosen.pk).status == S.CONFIRMED
    assert Registration.objects.get(pk=waiters[0].pk).status == S.WAITLISTED
    assert list(OutgoingMail.objects.values_list("to", flat=True)) == ["wacht1@example.org"]
    entry = ModelLogEntry.objects.for_instance(session).get(action="dialogues.waitlist_promote_by_hand")
    assert entry.data == {"registration_id": chosen.pk, "attendance_mode": "onsite", "extra_seat": True, "capacity": 3}


def test_promote_by_hand_refuses_an_extra_seat_staff_were_not_told_about(staff):
    session, seated, waiters = _full_session(capacity=1, waiting=1)
    with pytest.raises(services.RegistrationError, match="geen plaats meer vrij"):
        services.waitlist_promote_by_hand(registration_id=waiters[0].pk, by=staff, allow_extra_seat=False)
    session.refresh_from_db()
    assert session.capacity_onsite == 1 and Registration.objects.get(pk=waiters[0].pk).status == S.WAITLISTED
    with pytest.raises(services.RegistrationError, match="niet \\(meer\\) op de wachtlijst"):
        services.waitlist_promote_by_hand(registration_id=seated[0].pk, by=staff)


def test_capacity_error_points_to_what_staff_can_do(staff):
    session, seated, waiters = _full_session(capacity=2, waiting=0)
    session.refresh_from_db()
    session.capacity_onsite = 1
    with pytest.raises(ValidationError) as exc:
        session.full_clean()
    message = " ".join(exc.value.message_dict["capacity_onsite"])
    assert "Kies minstens 2 plaatsen" in message and "Afzeggen" in message


# --- time rules ----------------------------------------------------------------------------------

def test_check_in_no_show_and_walk_in_open_an_hour_before_the_start(session, settings):
    registration = services.registration_create(session_id=session.pk, **registration_data())
    early = session.starts_at - datetime.timedelta(minutes=61)
    with time_machine.travel(early, tick=False):
        with pytest.raises(services.RegistrationError, match="kan pas vanaf") as exc:
            services.registration_check_in(registration_id=registration.pk, attended=True)
        assert exc.value.code == "too_early"
        with pytest.raises(services.RegistrationError, match="kan pas vanaf"):
            services.registration_add_walk_in(session_id=session.pk, stakeholder_group="Bewoner", name="Kees")
    assert Registration.objects.get(pk=registration.pk).status == S.PENDING
    with time_machine.travel(session.starts_at - datetime.timedelta(minutes=60), tick=False):
        services.registration_check_in(registration_id=registration.pk, attended=False)
        services.registration_add_walk_in(session_id=session.pk, stakeholder_group="Bewoner", name="Kees")
    assert Registration.objects.get(pk=registration.pk).status == S.NO_SHOW
    # The window is a setting.
    settings.PARTICIPATIE = {**settings.PARTICIPATIE, "CHECK_IN_OPENS_MINUTES": 120}
    with time_machine.travel(early, tick=False):
        services.registration_check_in(registration_id=registration.pk, attended=True)
    assert Registration.objects.get(pk=registration.pk).status == S.ATTENDED


def test_outcome_is_published_only_after_the_session_ended(session, staff):
    outcome = SessionOutcome.objects.create(session=session, summary="Samen een buurttuin.")
    with time_machine.travel(session.ends_at - datetime.timedelta(minutes=1), tick=False):
        with pytest.raises(services.RegistrationError, match="als de bijeenkomst voorbij is") as exc:
            services.outcome_publish(outcome_id=outcome.pk, by=staff)
        assert exc.value.code == "not_ended"
    session.refresh_from_db()
    outcome.refresh_from_db()
    assert outcome.published_at is None and session.status == "gepland"  # the round page does not say "Geweest"
    with time_machine.travel(session.ends_at, tick=False):
        services.outcome_publish(outcome_id=outcome.pk, by=staff)
        services.outcome_unpublish(outcome_id=outcome.pk, by=staff)
    assert _actions(session) == ["dialogues.outcome_publish", "dialogues.outcome_unpublish"]


def test_mark_held_only_once_started(session, staff):
    with pytest.raises(services.RegistrationError, match="nog niet begonnen"):
        services.session_mark_held(session_id=session.pk, by=staff)
    services.session_mark_held(session_id=session.pk, by=staff, now=session.starts_at)
    session.refresh_from_db()
    assert session.status == "gehouden" and _actions(session) == ["dialogues.session_mark_held"]


# --- evaluation now ------------------------------------------------------------------------------

def _attended(session, n):
    regs = [services.registration_create(session_id=session.pk, **registration_data(email=f"e{i}@example.org", name=f"Deelnemer {i}"))
            for i in range(n)]
    for registration in regs:
        services.registration_check_in(registration_id=registration.pk, attended=True, now=session.starts_at)
    return regs


def test_evaluation_now_only_after_the_end_then_once_and_the_sweep_adds_nothing(session, staff):
    regs = _attended(session, 2)
    OutgoingMail.objects.all().delete()
    with pytest.raises(services.RegistrationError, match="voorbij"):
        services.evaluation_invitations_send(session_id=session.pk, by=staff, now=session.ends_at - datetime.timedelta(minutes=5))
    assert services.evaluation_invitations_pending(session) == 2
    assert services.evaluation_invitations_send(session_id=session.pk, by=staff, now=session.ends_at) == 2
    assert sorted(OutgoingMail.objects.values_list("to", flat=True)) == ["e0@example.org", "e1@example.org"]
    assert services.evaluation_invitations_pending(session) == 0
    assert services.evaluation_invitations_send(session_id=session.pk, by=staff, now=session.ends_at) == 0
    assert services.evaluations_request(now=session.ends_at + datetime.timedelta(hours=1)) == 0
    entry = ModelLogEntry.objects.for_instance(session).get(action="dialogues.evaluation_send")
    assert entry.data == {"invited": 2, "by_hand": True} and entry.user == staff
    assert all(r.evaluation_sent_at == session.ends_at for r in Registration.objects.filter(pk__in=[r.pk for r in regs]))


def test_the_hourly_sweep_goes_through_the_same_per_session_function(session):
    _attended(session, 1)
    other = DialogueSessionFactory(starts_at=session.starts_at, ends_at=session.ends_at)
    _attended(other, 2)
    assert services.evaluations_request(now=session.ends_at + datetime.timedelta(minutes=30)) == 3
    for s, n in ((session, 1), (other, 2)):
        entry = ModelLogEntry.objects.for_instance(s).get(action="dialogues.evaluation_send")
        assert entry.data == {"invited": n, "by_hand": False} and entry.user is None


def test_session_cancel_and_message_are_logged_without_personal_data(session, staff):
    services.registration_create(session_id=session.pk, **registration_data())
    services.session_message_send(session_id=session.pk, subject="Parkeren", body="Achter het gebouw, bel 0612345678.", by=staff)
    services.session_cancel(session_id=session.pk, message="Ziek", by=staff)
    entries = list(ModelLogEntry.objects.for_instance(session).order_by("pk"))
    assert [e.action for e in entries] == ["dialogues.message_send", "dialogues.session_cancel"]
    assert entries[0].data == {"recipients": 1, "subject": "Parkeren"} and entries[1].data == {"mailed": 1}
    assert all("fatima" not in str(e.data) and "0612345678" not in str(e.data) for e in entries)
    assert DialogueSession.objects.get(pk=session.pk).is_cancelled
