"""Sweeps and email delivery with the real RQ worker against Redis."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from dialogues import services, tasks
from projects.jobs import enqueue
from projects.models import OutgoingMail
from tests.dialogues.factories import DialogueSessionFactory, registration_data
from tests.projects.factories import UserFactory

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def test_reminder_sweep_runs_on_the_worker_and_mail_is_delivered(site, rq_async):
    start = timezone.now() + datetime.timedelta(hours=10)
    session = DialogueSessionFactory(starts_at=start, ends_at=start + datetime.timedelta(hours=2))
    user = UserFactory(username="herinnering")
    services.registration_create(session_id=session.pk, user=user, **registration_data(email=user.email))
    rq_async()  # deliver the confirmation
    mail.outbox.clear()
    enqueue(tasks.send_reminders)
    rq_async()
    assert [m.subject for m in mail.outbox if m.to == [user.email]] == [f"Herinnering: {session.title}"]
    assert OutgoingMail.objects.filter(to=user.email, status="sent").count() == 2
    assert mail.outbox[0].attachments[0][0] == "bijeenkomst.ics"


def test_release_sweep_on_the_worker_promotes_and_mails(site, rq_async):
    session = DialogueSessionFactory(capacity_onsite=1)
    held = services.registration_create(session_id=session.pk, **registration_data(email="a@example.org"))
    services.registration_create(session_id=session.pk, **registration_data(email="b@example.org"))
    rq_async()
    mail.outbox.clear()
    at = held.hold_expires_at + datetime.timedelta(minutes=1)
    enqueue(services.registration_release_expired, now=at)
    rq_async()
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == ["a@example.org", "b@example.org"]
