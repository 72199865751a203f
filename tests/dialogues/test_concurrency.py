"""Seats under contention (PostgreSQL: select_for_update does nothing on SQLite)."""


import pytest
from wagtail.models import ModelLogEntry

from dialogues import services
from dialogues.models import DialogueSession, Registration, RegistrationStatus as S
from tests.concurrency import run_concurrently
from tests.dialogues.factories import DialogueSessionFactory, registration_data
from tests.projects.factories import UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]




def test_thirty_people_for_ten_seats(site):
    session = DialogueSessionFactory(capacity_onsite=10)
    errors = run_concurrently([
        (lambda i=i: services.registration_create(session_id=session.pk, **registration_data(email=f"p{i}@example.org")))
        for i in range(30)
    ])
    assert errors == []
    session.refresh_from_db()
    assert Registration.objects.filter(status=S.PENDING).count() == 10
    assert Registration.objects.filter(status=S.WAITLISTED).count() == 20
    assert session.seats_taken_onsite == 10


def test_same_email_at_once_registers_once(site):
    session = DialogueSessionFactory(capacity_onsite=10)
    errors = run_concurrently([
        (lambda: services.registration_create(session_id=session.pk, **registration_data(email="Zelfde@example.org")))
        for _ in range(8)
    ])
    assert len(errors) == 7 and all(isinstance(e, services.RegistrationError) for e in errors)
    assert Registration.objects.count() == 1


def test_concurrent_cancel_and_register_keep_invariants(site):
    session = DialogueSessionFactory(capacity_onsite=5)
    first = [services.registration_create(session_id=session.pk, **registration_data(email=f"a{i}@example.org")) for i in range(8)]
    holders = [r for r in first if r.status == S.PENDING]
    targets = [(lambda r=r: services.registration_cancel(registration_id=r.pk)) for r in holders[:3]]
    targets += [(lambda i=i: services.registration_create(session_id=session.pk, **registration_data(email=f"b{i}@example.org"))) for i in range(6)]
    errors = run_concurrently(targets)
    assert errors == []
    session = DialogueSession.objects.get(pk=session.pk)
    seat_holders = Registration.objects.filter(status__in=[S.PENDING, S.CONFIRMED]).count()
    assert seat_holders == session.seats_taken_onsite == 5
    # Nobody lost: everyone not cancelled has a seat or a place in line.
    assert Registration.objects.exclude(status=S.CANCELLED).count() == 8 - 3 + 6
    # Those promoted were first in line: nobody waiting joined before a promoted person.
    promoted = Registration.objects.filter(promoted_at__isnull=False)
    waiting = Registration.objects.filter(status=S.WAITLISTED)
    if promoted and waiting:
        assert max(p.waitlisted_at for p in promoted) <= min(w.waitlisted_at for w in waiting)


def test_promotion_by_hand_racing_registrations_and_cancels_never_overbooks(site):
    staff = UserFactory(username="medewerker-race", is_superuser=True, is_staff=True)
    session = DialogueSessionFactory(capacity_onsite=3)
    first = [services.registration_create(session_id=session.pk, **registration_data(email=f"a{i}@example.org")) for i in range(7)]
    seated = [r for r in first if r.status == S.PENDING]
    waiting = [r for r in first if r.status == S.WAITLISTED]
    assert len(seated) == 3 and len(waiting) == 4
    targets = [(lambda r=r: services.waitlist_promote_by_hand(registration_id=r.pk, by=staff)) for r in waiting[:3]]
    targets += [(lambda i=i: services.registration_create(session_id=session.pk, **registration_data(email=f"b{i}@example.org")))
                for i in range(6)]
    targets += [(lambda: services.registration_cancel(registration_id=seated[0].pk, by=staff, notify=False))]
    errors = run_concurrently(targets)
    # A person promoted by the cancel before staff got to them is "no longer waiting": the only refusal allowed.
    assert all(isinstance(e, services.RegistrationError) and e.code == "status" for e in errors), errors
    session = DialogueSession.objects.get(pk=session.pk)
    holders = Registration.objects.filter(status__in=[S.PENDING, S.CONFIRMED]).count()
    assert holders == session.seats_taken_onsite <= session.capacity_onsite
    # Each promotion by hand that found the pool full added exactly one seat.
    raised = sum(1 for e in ModelLogEntry.objects.for_instance(session).filter(action="dialogues.waitlist_promote_by_hand")
                 if e.data["extra_seat"])
    assert session.capacity_onsite == 3 + raised
    assert all(Registration.objects.get(pk=r.pk).status == S.CONFIRMED for r in waiting[:3])
