"""The outbox: every email is stored first and delivered by a job that retries."""

from datetime import timedelta
from smtplib import SMTPException

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import transaction
from django.utils import timezone

import time_machine

from projects.mail import (
    RETRY_WINDOW,
    STUCK_AFTER,
    mail_deliver,
    mail_purge_old,
    mail_queue,
    mail_retry_pending,
    mail_send,
    message_id,
    retry_delay,
)
from projects.models import OutgoingMail

pytestmark = pytest.mark.django_db


class BrokenBackend(EmailBackend):
    """An SMTP server that is down."""

    def send_messages(self, messages):
        raise SMTPException("421 service not available")


def test_mail_is_stored_then_delivered_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        record = mail_queue(to="anna@example.org", subject="Hallo", text="Tekst", html="<p>Tekst</p>",
                            attachments=[{"filename": "a.ics", "content": "BEGIN:VCALENDAR", "mimetype": "text/calendar"}])
        assert mail.outbox == []  # nothing leaves before the transaction commits
    assert len(callbacks) == 1
    record.refresh_from_db()
    assert record.status == OutgoingMail.Status.SENT and record.attempts == 1
    (sent,) = mail.outbox
    assert sent.to == ["anna@example.org"] and sent.subject == "Hallo"
    assert sent.alternatives[0][1] == "text/html"
    assert sent.attachments[0][0] == "a.ics"


def test_rolled_back_transaction_sends_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                mail_queue(to="anna@example.org", subject="Hallo", text="Tekst")
                raise RuntimeError("the registration failed")
        except RuntimeError:
            pass
    assert OutgoingMail.objects.count() == 0
    assert mail.outbox == []


def test_mail_send_renders_templates_in_dutch(django_capture_on_commit_callbacks, settings):
    settings.LANGUAGE_CODE = "nl"
    with django_capture_on_commit_callbacks(execute=True):
        mail_send(to="b@example.org", template="projects/email/update",
                  context={"project": {"title": "Groen"}, "update": {"title": "Nieuws", "intro": "Intro"},
                           "update_url": "http://x/n/", "unsubscribe_url": "http://x/u/"})
    (sent,) = mail.outbox
    assert sent.subject == "Nieuws over Groen"
    assert "http://x/u/" in sent.body


def test_failing_mail_server_keeps_the_mail_pending_and_never_raises(settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "tests.projects.test_mail.BrokenBackend"
    with django_capture_on_commit_callbacks(execute=True):
        record = mail_queue(to="anna@example.org", subject="Hallo", text="Tekst")
    record.refresh_from_db()
    assert record.status == OutgoingMail.Status.PENDING
    assert record.attempts == 1 and "421" in record.last_error
    assert record.next_attempt_at - timezone.now() > timedelta(seconds=50)  # first retry after a minute

    # Not due yet: the sweep leaves it alone.
    assert mail_retry_pending() == 0
    # The sweep hands it over again once it is due and the server is back.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        with django_capture_on_commit_callbacks(execute=True):
            assert mail_retry_pending() == 1
    record.refresh_from_db()
    assert record.status == OutgoingMail.Status.SENT and record.attempts == 2
    assert len(mail.outbox) == 1 and mail.outbox[0].extra_headers["Message-ID"] == message_id(record)


def test_retry_intervals_grow_to_six_hours():
    waits = [retry_delay(n) for n in range(1, 12)]
    assert waits[:7] == [timedelta(minutes=m) for m in (1, 5, 15, 30, 60, 120, 240)]
    assert set(waits[7:]) == {timedelta(hours=6)}
    assert waits == sorted(waits)


def test_delivery_gives_up_only_after_the_retry_window(settings):
    settings.EMAIL_BACKEND = "tests.projects.test_mail.BrokenBackend"
    start = timezone.now() - RETRY_WINDOW + timedelta(minutes=1)
    record = OutgoingMail.objects.create(to="a@example.org", subject="s", body_text="t", queued_at=start,
                                         next_attempt_at=start, attempts=20)
    assert mail_deliver(record.pk) is False
    record.refresh_from_db()
    assert record.status == OutgoingMail.Status.PENDING and record.attempts == 21
    with time_machine.travel(record.next_attempt_at + timedelta(seconds=1)):
        mail_deliver(record.pk)
    record.refresh_from_db()
    assert record.status == OutgoingMail.Status.FAILED and record.next_attempt_at is None
    assert "421" in record.last_error
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        assert mail_retry_pending() == 0  # failed mail waits for an administrator


def test_a_mail_is_not_tried_before_it_is_due():
    record = OutgoingMail.objects.create(to="a@example.org", subject="s", body_text="t",
                                         next_attempt_at=timezone.now() + timedelta(minutes=5))
    assert mail_deliver(record.pk) is False
    assert mail.outbox == [] and OutgoingMail.objects.get(pk=record.pk).attempts == 0


def test_an_interrupted_delivery_becomes_uncertain_and_is_not_resent():
    started = timezone.now() - STUCK_AFTER - timedelta(seconds=1)
    stuck = OutgoingMail.objects.create(to="a@example.org", subject="s", body_text="t", attempts=1,
                                        status=OutgoingMail.Status.SENDING, sending_started_at=started)
    busy = OutgoingMail.objects.create(to="b@example.org", subject="s", body_text="t", attempts=1,
                                       status=OutgoingMail.Status.SENDING, sending_started_at=timezone.now())
    assert mail_retry_pending() == 0
    stuck.refresh_from_db()
    busy.refresh_from_db()
    assert stuck.status == OutgoingMail.Status.UNCERTAIN and "onbekend" in stuck.last_error
    assert busy.status == OutgoingMail.Status.SENDING  # still within the SMTP timeout
    assert mail_deliver(stuck.pk) is False and mail.outbox == []


def test_the_sweep_works_in_bounded_batches_oldest_due_first(django_capture_on_commit_callbacks):
    now = timezone.now()
    mails = [OutgoingMail.objects.create(to=f"p{i}@example.org", subject="s", body_text="t",
                                         next_attempt_at=now - timedelta(minutes=10 - i)) for i in range(5)]
    with django_capture_on_commit_callbacks(execute=True):
        assert mail_retry_pending(batch=3) == 3
    assert sorted(m.to[0] for m in mail.outbox) == [m.to for m in mails[:3]]
    with django_capture_on_commit_callbacks(execute=True):
        assert mail_retry_pending(batch=3) == 2
    assert len(mail.outbox) == 5


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_delivering_the_same_mail_send_it_once():
    from tests.concurrency import run_concurrently

    record = OutgoingMail.objects.create(to="a@example.org", subject="s", body_text="t")
    results = []
    errors = run_concurrently([lambda: results.append(mail_deliver(record.pk)) for _ in range(4)])
    assert errors == []
    assert sorted(results) == [False, False, False, True]
    assert len(mail.outbox) == 1
    record.refresh_from_db()
    assert record.status == OutgoingMail.Status.SENT and record.attempts == 1


def test_sent_mail_is_not_delivered_twice():
    record = OutgoingMail.objects.create(to="a@example.org", subject="s", body_text="t", status=OutgoingMail.Status.SENT)
    mail_deliver(record.pk)
    assert mail.outbox == []


def test_old_sent_mail_is_purged_but_pending_mail_is_kept():
    old = timezone.now() - timedelta(days=40)
    OutgoingMail.objects.create(to="a@example.org", subject="s", body_text="t", status=OutgoingMail.Status.SENT, created_at=old)
    pending = OutgoingMail.objects.create(to="b@example.org", subject="s", body_text="t", created_at=old)
    recent = OutgoingMail.objects.create(to="c@example.org", subject="s", body_text="t", status=OutgoingMail.Status.SENT)
    assert mail_purge_old() == 1
    assert set(OutgoingMail.objects.values_list("pk", flat=True)) == {pending.pk, recent.pk}


@pytest.mark.redis
def test_with_redis_the_worker_delivers_and_the_database_holds_the_retry(rq_async, settings, django_capture_on_commit_callbacks):
    import django_rq
    from rq.registry import ScheduledJobRegistry

    with django_capture_on_commit_callbacks(execute=True):
        ok = mail_queue(to="anna@example.org", subject="Bevestiging", text="Tekst")
    queue = django_rq.get_queue("mail")
    assert queue.count == 1 and mail.outbox == []  # queued in Redis, not sent in the request
    rq_async()
    ok.refresh_from_db()
    assert ok.status == OutgoingMail.Status.SENT and len(mail.outbox) == 1

    settings.EMAIL_BACKEND = "tests.projects.test_mail.BrokenBackend"
    with django_capture_on_commit_callbacks(execute=True):
        failing = mail_queue(to="bert@example.org", subject="Herinnering", text="Tekst")
    rq_async()
    failing.refresh_from_db()
    assert failing.status == OutgoingMail.Status.PENDING and failing.attempts == 1
    # The next attempt is in the database, not in Redis: a flush cannot lose it.
    assert failing.next_attempt_at > timezone.now() and ScheduledJobRegistry(queue=queue).count == 0


def test_redis_down_does_not_break_the_request(settings, django_capture_on_commit_callbacks):
    settings.RQ_QUEUES = {name: {"URL": "redis://127.0.0.1:1/0", "ASYNC": True} for name in ("default", "mail")}
    with django_capture_on_commit_callbacks(execute=True):
        record = mail_queue(to="anna@example.org", subject="Hallo", text="Tekst")
    record.refresh_from_db()
    assert record.status == OutgoingMail.Status.PENDING  # kept for the sweep
