"""Fault test (issue 9, 4c): a real SMTP server refuses mail for hours, then accepts.

The server is aiosmtpd in this process, on a port of the 7500-7599 range; it answers 451 to
every recipient while ``refusing`` is set. Time travels (time_machine) instead of sleeping.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from email import message_from_bytes

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from dialogues import services as dialogue_services
from projects.mail import RETRY_WINDOW, mail_queue, mail_retry_pending
from projects.models import OutgoingMail
from tests.smtp import smtp_server
from tests.dialogues.factories import DialogueRoundPageFactory, DialogueSessionFactory, registration_data
from tests.projects.factories import UserFactory

pytestmark = pytest.mark.django_db

SMTP_PORT = 7541


class RefusingThenAccepting:
    def __init__(self):
        self.refusing = True
        self.refused = 0
        self.received: list = []  # (Message-ID, recipient)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refusing:
            self.refused += 1
            return "451 4.3.0 Tijdelijk niet beschikbaar"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content)
        for rcpt in envelope.rcpt_tos:
            self.received.append((message["Message-ID"], rcpt))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp(settings):
    with smtp_server(settings, RefusingThenAccepting(), port=SMTP_PORT) as handler:
        yield handler


@pytest.fixture
def session(site):
    return DialogueSessionFactory(round=DialogueRoundPageFactory())


def _queue_mails(session, callbacks):
    with callbacks(execute=True):
        for i in range(3):
            dialogue_services.registration_create(session_id=session.pk, **registration_data(email=f"bewoner{i}@example.org"))
        mail_queue(to="redactie@example.org", subject="Nieuw initiatief", text="Er is een initiatief ingediend.")
    return list(OutgoingMail.objects.order_by("pk"))


def _sweep_every(step: timedelta, until: timedelta, start, callbacks):
    moment = start
    while moment < start + until:
        moment += step
        with time_machine.travel(moment, tick=False), callbacks(execute=True):
            mail_retry_pending()
    return moment


def test_two_hours_of_refusal_then_every_mail_arrives_exactly_once(smtp, session, django_capture_on_commit_callbacks):
    start = timezone.now()
    mails = _queue_mails(session, django_capture_on_commit_callbacks)
    assert len(mails) == 4 and smtp.refused >= 4  # each tried right after commit, refused
    moment = _sweep_every(timedelta(minutes=5), timedelta(hours=2), start, django_capture_on_commit_callbacks)
    statuses = Counter(OutgoingMail.objects.values_list("status", flat=True))
    assert statuses == {OutgoingMail.Status.PENDING: 4} and smtp.received == []
    assert all(m.attempts >= 5 for m in OutgoingMail.objects.all())  # kept trying, with growing waits

    smtp.refusing = False
    _sweep_every(timedelta(minutes=15), timedelta(hours=5), moment, django_capture_on_commit_callbacks)
    counts = Counter(smtp.received)
    assert sorted(rcpt for _, rcpt in counts) == sorted(m.to for m in mails)
    assert set(counts.values()) == {1}  # exactly once per Message-ID and recipient
    assert set(OutgoingMail.objects.values_list("status", flat=True)) == {OutgoingMail.Status.SENT}


def test_past_three_days_the_mail_fails_shows_in_the_admin_and_is_retried_once(
    smtp, session, client, django_capture_on_commit_callbacks
):
    start = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        mail_queue(to="bewoner@example.org", subject="Bevestig uw aanmelding", text="Link")
    _sweep_every(timedelta(hours=1), RETRY_WINDOW + timedelta(hours=7), start, django_capture_on_commit_callbacks)
    mail = OutgoingMail.objects.get()
    assert mail.status == OutgoingMail.Status.FAILED and "451" in mail.last_error
    assert smtp.received == []

    smtp.refusing = False
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    listing = client.get(reverse("outbox:index"), {"status": "failed"})
    assert listing.status_code == 200
    html = listing.content.decode()
    assert "Bevestig uw aanmelding" in html and "bewoner@example.org" in html and "451" in html
    assert "Opnieuw proberen" in html
    confirm = client.get(reverse("outbox:retry"), {"id": mail.pk})
    assert confirm.status_code == 200 and "Bevestig uw aanmelding" in confirm.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("outbox:retry"), {"id": mail.pk})
    assert response.status_code == 302
    mail.refresh_from_db()
    assert mail.status == OutgoingMail.Status.SENT
    assert len(smtp.received) == 1 and smtp.received[0][1] == "bewoner@example.org"
    entry = ModelLogEntry.objects.get(action="projects.mail_retry")
    assert entry.user == admin and entry.object_id == str(mail.pk)
    # Trying a sent mail again does nothing.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("outbox:retry"), {"id": mail.pk})
    assert len(smtp.received) == 1


@pytest.mark.redis
def test_with_a_real_worker_the_job_and_the_sweep_together_send_each_mail_once(
    smtp, session, rq_async, django_capture_on_commit_callbacks
):
    import django_rq

    start = timezone.now()
    mails = _queue_mails(session, django_capture_on_commit_callbacks)
    assert django_rq.get_queue("mail").count == 4
    rq_async()  # the first attempt, refused
    assert set(OutgoingMail.objects.values_list("attempts", flat=True)) == {1}

    smtp.refusing = False
    with time_machine.travel(start + timedelta(minutes=2), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert mail_retry_pending() == 4
            assert mail_retry_pending() == 4  # a second sweep before the worker ran: jobs twice
        with django_capture_on_commit_callbacks(execute=True):
            # and the original job path once more (a job RQ re-queued after a worker restart)
            for mail in mails:
                django_rq.get_queue("mail").enqueue("projects.mail.mail_deliver", mail.pk)
        assert django_rq.get_queue("mail").count == 12
        rq_async()
    counts = Counter(smtp.received)
    assert len(counts) == 4 and set(counts.values()) == {1}
    assert set(OutgoingMail.objects.values_list("status", flat=True)) == {OutgoingMail.Status.SENT}


@pytest.mark.parametrize("role, sees_list, may_retry", [
    ("resident", False, False),
    ("editor", False, False),
    ("viewer", True, False),
    ("outbox_admin", True, True),
    ("superuser", True, True),
])
def test_outbox_permissions_per_role(role, sees_list, may_retry, client, django_capture_on_commit_callbacks):
    from django.contrib.auth.models import Group

    mail = OutgoingMail.objects.create(to="prive@example.org", subject="Onderwerp", body_text="Geheime tekst",
                                       status=OutgoingMail.Status.FAILED, next_attempt_at=None)
    admin_access = Permission.objects.get(codename="access_admin")
    user = UserFactory(is_staff=role != "resident", is_superuser=role == "superuser")
    if role == "editor":
        group, _ = Group.objects.get_or_create(name="Editors")
        group.permissions.add(admin_access)
        user.groups.add(group)
    if role in ("viewer", "outbox_admin"):
        user.user_permissions.add(admin_access, Permission.objects.get(codename="view_outgoingmail"))
    if role == "outbox_admin":
        user.user_permissions.add(Permission.objects.get(codename="retry_outgoingmail"))
    client.force_login(user)

    listing = client.get(reverse("outbox:index"))
    inspect = client.get(reverse("outbox:inspect", args=[mail.pk]))
    if sees_list:
        assert listing.status_code == 200 and "prive@example.org" in listing.content.decode()
        assert inspect.status_code == 200 and "Geheime tekst" in inspect.content.decode()
    else:
        assert listing.status_code in (302, 403) and "prive@example.org" not in listing.content.decode()
        assert inspect.status_code in (302, 403) and "Geheime tekst" not in inspect.content.decode()
    # Nobody edits or deletes mail in the admin.
    assert client.get(reverse("outbox:edit", args=[mail.pk])).status_code in (302, 403)
    assert client.post(reverse("outbox:delete", args=[mail.pk])).status_code in (302, 403)
    assert OutgoingMail.objects.filter(pk=mail.pk).exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("outbox:retry"), {"id": mail.pk})
    mail.refresh_from_db()
    if may_retry:
        assert response.status_code == 302 and mail.status == OutgoingMail.Status.SENT
    else:
        assert response.status_code in (302, 403) and mail.status == OutgoingMail.Status.FAILED


def test_a_malformed_retry_request_is_a_400(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert client.post(reverse("outbox:retry"), {"id": "abc"}).status_code == 400
    assert client.post(reverse("outbox:retry")).status_code == 400
