import datetime

import pytest
from django.utils import timezone

from dialogues import services, tokens
from dialogues.models import DialogueSession, Evaluation, Registration, RegistrationStatus as S, SessionOutcome
from projects.models import OutgoingMail
from tests.dialogues.factories import DialogueSessionFactory, registration_data
from tests.projects.factories import UserFactory

pytestmark = pytest.mark.django_db


def register(session, **overrides):
    return services.registration_create(session_id=session.pk, **registration_data(**overrides))


def mails_to(email):
    return list(OutgoingMail.objects.filter(to=email).order_by("pk"))


def test_anonymous_registration_holds_a_seat_and_mails_a_confirm_link(session):
    registration = register(session)
    session.refresh_from_db()
    assert registration.status == S.PENDING
    assert registration.hold_expires_at > timezone.now()
    assert session.seats_taken_onsite == 1
    [mail] = mails_to("fatima@example.org")
    assert "/dialoog/bevestigen/" in mail.body_text and "/dialoog/afmelden/" in mail.body_text
    assert mail.body_html


def test_logged_in_resident_is_confirmed_in_one_step_with_ics(session):
    user = UserFactory()
    registration = register(session, email=user.email, user=user)
    assert registration.status == S.CONFIRMED
    [mail] = mails_to(user.email)
    assert mail.attachments[0]["filename"] == "bijeenkomst.ics"
    assert "BEGIN:VCALENDAR" in mail.attachments[0]["content"]


def test_confirm_turns_hold_into_seat_and_sends_calendar(session):
    registration = register(session)
    services.registration_confirm(registration_id=registration.pk)
    registration.refresh_from_db()
    assert registration.status == S.CONFIRMED and registration.hold_expires_at is None
    assert mails_to("fatima@example.org")[-1].attachments[0]["mimetype"] == "text/calendar"
    # Using the link twice is harmless.
    assert services.registration_confirm(registration_id=registration.pk).status == S.CONFIRMED


def test_full_session_puts_people_on_the_waiting_list_in_order():
    session = DialogueSessionFactory(capacity_onsite=1)
    register(session, email="a@example.org")
    second = register(session, email="b@example.org")
    third = register(session, email="c@example.org")
    assert (second.status, third.status) == (S.WAITLISTED, S.WAITLISTED)
    assert services.waitlist_position(second) == 1
    assert services.waitlist_position(third) == 2
    assert "nummer 2" in mails_to("c@example.org")[0].body_text
    session.refresh_from_db()
    assert session.seats_taken == 1


def test_full_session_without_waitlist_is_refused():
    session = DialogueSessionFactory(capacity_onsite=1)
    register(session, email="a@example.org")
    with pytest.raises(services.RegistrationError) as exc:
        services.registration_create(session_id=session.pk, join_waitlist=False, **registration_data(email="b@example.org"))
    assert exc.value.code == "full"


def test_duplicate_email_is_refused_case_insensitively(session):
    register(session, email="Fatima@Example.org")
    with pytest.raises(services.RegistrationError) as exc:
        register(session, email="fatima@example.ORG")
    assert exc.value.code == "duplicate" and exc.value.field == "email"


def test_after_cancelling_the_same_email_may_register_again(session):
    first = register(session)
    services.registration_cancel(registration_id=first.pk)
    again = register(session)
    assert again.status == S.PENDING


@pytest.mark.parametrize("change, code", [
    ({"status": "afgelast"}, "cancelled"),
    ({"registration_closes_at": timezone.now() - datetime.timedelta(hours=1)}, "closed"),
    ({"registration_opens_at": timezone.now() + datetime.timedelta(days=1)}, "not_yet"),
])
def test_closed_cancelled_or_not_yet_open_sessions_refuse(session, change, code):
    DialogueSession.objects.filter(pk=session.pk).update(**change)
    with pytest.raises(services.RegistrationError) as exc:
        register(session)
    assert exc.value.code == code
    assert not Registration.objects.exists()


def test_past_session_refuses():
    start = timezone.now() - datetime.timedelta(days=1)
    session = DialogueSessionFactory(starts_at=start, ends_at=start + datetime.timedelta(hours=2))
    with pytest.raises(services.RegistrationError) as exc:
        register(session)
    assert exc.value.code == "past"


def test_consent_is_required(session):
    with pytest.raises(services.RegistrationError) as exc:
        register(session, consent=False)
    assert exc.value.field == "consent"


def test_online_and_onsite_pools_are_separate():
    session = DialogueSessionFactory(capacity_onsite=1, capacity_online=1, online_url="https://meet.example.org/x")
    onsite = register(session, email="a@example.org", attendance_mode="onsite")
    online = register(session, email="b@example.org", attendance_mode="online")
    waiting = register(session, email="c@example.org", attendance_mode="onsite")
    assert (onsite.status, online.status, waiting.status) == (S.PENDING, S.PENDING, S.WAITLISTED)
    session.refresh_from_db()
    assert (session.seats_taken_onsite, session.seats_taken_online) == (1, 1)
    # Cancelling the online seat does not promote someone waiting for on-site.
    services.registration_cancel(registration_id=online.pk)
    waiting.refresh_from_db()
    assert waiting.status == S.WAITLISTED


def test_unknown_mode_is_refused(session):
    with pytest.raises(services.RegistrationError) as exc:
        register(session, attendance_mode="online")
    assert exc.value.field == "attendance_mode"


def test_cancel_frees_the_seat_and_promotes_the_first_waiting_person():
    session = DialogueSessionFactory(capacity_onsite=1)
    first = register(session, email="a@example.org")
    second = register(session, email="b@example.org")
    register(session, email="c@example.org")
    services.registration_cancel(registration_id=first.pk)
    second.refresh_from_db()
    session.refresh_from_db()
    assert second.status == S.CONFIRMED and second.promoted_at is not None
    assert session.seats_taken == 1
    promoted_mail = mails_to("b@example.org")[-1]
    assert "plaats vrij" in promoted_mail.subject
    assert promoted_mail.attachments[0]["filename"] == "bijeenkomst.ics"
    assert Registration.objects.get(email="c@example.org").status == S.WAITLISTED


def test_cancelling_twice_or_after_the_start_is_refused(session):
    registration = register(session)
    services.registration_cancel(registration_id=registration.pk)
    with pytest.raises(services.RegistrationError) as exc:
        services.registration_cancel(registration_id=registration.pk)
    assert exc.value.code == "already"
    other = register(session, email="x@example.org")
    with pytest.raises(services.RegistrationError) as exc:
        services.registration_cancel(registration_id=other.pk, now=session.starts_at + datetime.timedelta(minutes=1))
    assert exc.value.code == "past"


def test_cancelling_a_waitlisted_registration_keeps_counters():
    session = DialogueSessionFactory(capacity_onsite=1)
    register(session, email="a@example.org")
    waiting = register(session, email="b@example.org")
    services.registration_cancel(registration_id=waiting.pk)
    session.refresh_from_db()
    assert session.seats_taken == 1


def test_raising_capacity_promotes_automatically():
    session = DialogueSessionFactory(capacity_onsite=1)
    register(session, email="a@example.org")
    b = register(session, email="b@example.org")
    c = register(session, email="c@example.org")
    services.session_update_capacity(session_id=session.pk, capacity_onsite=2, capacity_online=0)
    b.refresh_from_db(), c.refresh_from_db()
    assert (b.status, c.status) == (S.CONFIRMED, S.WAITLISTED)
    session.refresh_from_db()
    assert session.seats_taken_onsite == 2


def test_capacity_cannot_drop_below_seats_taken():
    session = DialogueSessionFactory(capacity_onsite=2)
    register(session, email="a@example.org")
    register(session, email="b@example.org")
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.session_update_capacity(session_id=session.pk, capacity_onsite=1, capacity_online=0)


def test_release_of_unconfirmed_registrations_gives_the_seat_to_the_next():
    session = DialogueSessionFactory(capacity_onsite=1)
    held = register(session, email="a@example.org")
    waiting = register(session, email="b@example.org")
    assert services.registration_release_expired(now=timezone.now()) == 0  # not yet expired
    released = services.registration_release_expired(now=held.hold_expires_at + datetime.timedelta(minutes=1))
    assert released == 1
    held.refresh_from_db(), waiting.refresh_from_db()
    assert held.status == S.CANCELLED
    assert waiting.status == S.CONFIRMED
    assert "vervallen" in mails_to("a@example.org")[-1].subject
    with pytest.raises(services.RegistrationError) as exc:
        services.registration_confirm(registration_id=held.pk)
    assert exc.value.code == "expired"


def test_confirmed_registrations_are_never_released(session):
    registration = register(session)
    services.registration_confirm(registration_id=registration.pk)
    assert services.registration_release_expired(now=timezone.now() + datetime.timedelta(days=3)) == 0


def test_session_cancel_emails_everyone_with_a_calendar_cancellation():
    session = DialogueSessionFactory(capacity_onsite=1)
    register(session, email="a@example.org")
    register(session, email="b@example.org")
    cancelled = register(session, email="c@example.org")
    services.registration_cancel(registration_id=cancelled.pk)
    OutgoingMail.objects.all().delete()
    services.session_cancel(session_id=session.pk, message="De zaal is niet beschikbaar.")
    assert sorted(OutgoingMail.objects.values_list("to", flat=True)) == ["a@example.org", "b@example.org"]
    mail = OutgoingMail.objects.get(to="a@example.org")
    assert "De zaal is niet beschikbaar." in mail.body_text
    assert "METHOD:CANCEL" in mail.attachments[0]["content"] and "STATUS:CANCELLED" in mail.attachments[0]["content"]
    session.refresh_from_db()
    assert session.sequence == 1 and session.is_cancelled


def test_moving_a_session_bumps_sequence_mails_and_rearms_reminders(session):
    registration = register(session)
    services.registration_confirm(registration_id=registration.pk)
    Registration.objects.filter(pk=registration.pk).update(reminder_sent_at=timezone.now())
    OutgoingMail.objects.all().delete()
    new_start = session.starts_at + datetime.timedelta(days=2)
    services.session_update(session_id=session.pk, data={"starts_at": new_start, "ends_at": new_start + datetime.timedelta(hours=2)})
    session.refresh_from_db()
    registration.refresh_from_db()
    assert session.sequence == 1
    assert registration.reminder_sent_at is None
    [mail] = OutgoingMail.objects.all()
    assert "Gewijzigd" in mail.subject and "SEQUENCE:1" in mail.attachments[0]["content"]


def test_small_time_change_keeps_reminder_flag(session):
    registration = register(session)
    sent = timezone.now()
    Registration.objects.filter(pk=registration.pk).update(reminder_sent_at=sent)
    services.session_update(session_id=session.pk, data={"starts_at": session.starts_at + datetime.timedelta(minutes=30),
                                                         "ends_at": session.ends_at + datetime.timedelta(minutes=30)})
    registration.refresh_from_db()
    assert registration.reminder_sent_at is not None


def test_reminders_go_to_seat_holders_within_24_hours_once():
    start = timezone.now() + datetime.timedelta(hours=20)
    soon = DialogueSessionFactory(starts_at=start, ends_at=start + datetime.timedelta(hours=2), capacity_onsite=5)
    later = DialogueSessionFactory(capacity_onsite=5)  # a week away
    user = UserFactory()
    confirmed = register(soon, email=user.email, user=user)
    cancelled = register(soon, email="weg@example.org", user=UserFactory())
    services.registration_cancel(registration_id=cancelled.pk)
    register(later, email=user.email, user=user)
    OutgoingMail.objects.all().delete()
    assert services.reminders_send() == 1
    assert list(OutgoingMail.objects.values_list("to", flat=True)) == [user.email]
    assert "Herinnering" in OutgoingMail.objects.get().subject
    confirmed.refresh_from_db()
    assert confirmed.reminder_sent_at is not None
    assert services.reminders_send() == 0


def test_reminder_follows_a_moved_session():
    start = timezone.now() + datetime.timedelta(hours=20)
    session = DialogueSessionFactory(starts_at=start, ends_at=start + datetime.timedelta(hours=2))
    user = UserFactory()
    register(session, email=user.email, user=user)
    new_start = start + datetime.timedelta(days=3)
    services.session_update(session_id=session.pk, data={"starts_at": new_start, "ends_at": new_start + datetime.timedelta(hours=2)})
    assert services.reminders_send() == 0
    assert services.reminders_send(now=new_start - datetime.timedelta(hours=5)) == 1


def attended_session(n=2):
    start = timezone.now() - datetime.timedelta(days=1)
    session = DialogueSessionFactory(starts_at=start - datetime.timedelta(days=7), ends_at=start - datetime.timedelta(days=7) + datetime.timedelta(hours=2))
    regs = []
    for i in range(n):
        reg = services.registration_create(session_id=session.pk, now=session.starts_at - datetime.timedelta(days=3),
                                           **registration_data(email=f"p{i}@example.org", stakeholder_group="Bewoner" if i else "Zorgaanbieders"))
        regs.append(services.registration_check_in(registration_id=reg.pk, attended=True))
    return session, regs


def test_evaluation_invitations_after_the_session_once():
    session, regs = attended_session(2)
    no_show = services.registration_create(session_id=session.pk, now=session.starts_at - datetime.timedelta(days=3),
                                           **registration_data(email="nope@example.org"))
    services.registration_check_in(registration_id=no_show.pk, attended=False)
    OutgoingMail.objects.all().delete()
    assert services.evaluations_request() == 2
    assert sorted(OutgoingMail.objects.values_list("to", flat=True)) == ["p0@example.org", "p1@example.org"]
    assert "/dialoog/evaluatie/" in OutgoingMail.objects.first().body_text
    session.refresh_from_db()
    assert session.evaluation_requested_at is not None
    assert services.evaluations_request() == 0


def test_evaluation_submit_once_and_only_for_attendees():
    session, regs = attended_session(1)
    evaluation = services.evaluation_submit(registration_id=regs[0].pk, heard=4, useful=5, comment="Fijn gesprek")
    assert evaluation.session == session
    with pytest.raises(services.RegistrationError):
        services.evaluation_submit(registration_id=regs[0].pk, heard=4, useful=5)
    other = DialogueSessionFactory()
    pending = register(other)
    with pytest.raises(services.RegistrationError):
        services.evaluation_submit(registration_id=pending.pk, heard=3, useful=3)


def test_walk_in_counts_for_attendance_not_seats(session):
    walk_in = services.registration_add_walk_in(session_id=session.pk, stakeholder_group="Zorgaanbieders", name="Kees",
                                                now=session.starts_at)
    session.refresh_from_db()
    assert walk_in.status == S.ATTENDED and walk_in.walk_in
    assert session.seats_taken == 0


def test_outcome_publish_mails_attendees_once():
    session, regs = attended_session(2)
    outcome = SessionOutcome.objects.create(session=session, summary="We gaan samen een buurttuin maken.")
    OutgoingMail.objects.all().delete()
    services.outcome_publish(outcome_id=outcome.pk)
    assert OutgoingMail.objects.count() == 2
    services.outcome_publish(outcome_id=outcome.pk)
    assert OutgoingMail.objects.count() == 2
    session.refresh_from_db()
    assert session.status == "gehouden"


def test_retention_anonymises_after_the_round_ended(settings):
    session, regs = attended_session(2)
    services.evaluation_submit(registration_id=regs[0].pk, heard=5, useful=4)
    settings.PARTICIPATIE = {**settings.PARTICIPATIE, "REGISTRATION_RETENTION_MONTHS": 1}
    assert services.retention_purge() == 0
    assert services.retention_purge(now=timezone.now() + datetime.timedelta(days=40)) == 2
    for reg in Registration.objects.all():
        assert (reg.name, reg.email, reg.phone) == ("", "", "")
        assert reg.stakeholder_group and reg.status == S.ATTENDED
    assert Evaluation.objects.count() == 1


def test_session_with_registrations_cannot_be_deleted(session):
    register(session)
    with pytest.raises(services.RegistrationError):
        services.session_delete(session_id=session.pk)
    assert DialogueSession.objects.filter(pk=session.pk).exists()
    empty = DialogueSessionFactory()
    services.session_delete(session_id=empty.pk)
    assert not DialogueSession.objects.filter(pk=empty.pk).exists()


def test_message_goes_to_active_registrations(session):
    register(session, email="a@example.org")
    gone = register(session, email="b@example.org")
    services.registration_cancel(registration_id=gone.pk)
    OutgoingMail.objects.all().delete()
    assert services.session_message_send(session_id=session.pk, subject="Parkeren", body="Parkeer achter het gebouw.") == 1
    mail = OutgoingMail.objects.get()
    assert mail.subject == "Parkeren" and "achter het gebouw" in mail.body_text


def test_mail_failure_does_not_lose_the_registration(session, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "tests.dialogues.test_services.BrokenBackend"
    with django_capture_on_commit_callbacks(execute=True):
        registration = register(session)
    assert Registration.objects.filter(pk=registration.pk, status=S.PENDING).exists()
    assert OutgoingMail.objects.get().status == "pending"


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP down")


def test_tokens_are_purpose_bound_and_tamper_proof(session):
    registration = register(session)
    token = tokens.make_token(registration.pk, "cancel")
    assert tokens.read_token(token, "cancel") == registration.pk
    assert tokens.read_token(token, "confirm") is None
    assert tokens.read_token(token[:-2] + "xx", "cancel") is None
