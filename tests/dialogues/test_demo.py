"""seed_demo builds dialogue rounds in every state, through the services, and twice changes nothing."""

import io

import pytest
from django.core.management import call_command

from dialogues.models import Agreement, DialogueSession, Evaluation, Registration, SessionOutcome


def counts():
    return (DialogueSession.objects.count(), Registration.objects.count(), SessionOutcome.objects.count(),
            Agreement.objects.count(), Evaluation.objects.count())


@pytest.mark.django_db
def test_seed_demo_creates_sessions_in_every_state_idempotently(seeded_demo):
    first = counts()
    call_command("seed_demo", stdout=io.StringIO())
    assert counts() == first
    assert first[0] == 6
    assert set(DialogueSession.objects.values_list("status", flat=True)) == {"gepland", "afgelast", "gehouden"}
    assert Registration.objects.filter(status="waitlisted").exists()
    assert SessionOutcome.objects.filter(published_at__isnull=False).count() == 2
    assert Agreement.objects.filter(status="gedaan").exists() and Evaluation.objects.count() >= 10
    for session in DialogueSession.objects.all():
        seated = session.registrations.filter(status__in=["pending", "confirmed", "attended", "no_show"], walk_in=False).count()
        assert seated == session.seats_taken
