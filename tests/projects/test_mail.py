"""The outbox: every email is stored first and delivered by a job that retries."""

from datetime import timedelta
from smtplib import SMTPException

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import transaction
from django.utils import timezone

from projects.mail import MAX_ATTEMPTS, mail_deliver, mail_purge_old, mail_queue, mail_retry_pending, mail_send
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

    # The sweep hands it over again once the server is back.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    OutgoingMail.objects.filter(pk=record.pk).update(created_at=timezone.now() - timedelta(minutes=10))
    with django_capture_on_commit_callbacks(execute=True):
        assert mail_retry_pending() == 1
    record.refresh_from_db()
    assert record.status == OutgoingMail.Status.SENT
    assert len(mail.outbox) == 1


def test_delivery_gives_up_after_max_attempts(settings):
    settings.EMAIL_BACKEND = "tests.projects.test_mail.BrokenBackend"
    record = OutgoingMail.objects.create(to="a@example.org", subject="s", body_text="t", attempts=MAX_ATTEMPTS - 1)
    with pytest.raises(SMTPException):
        mail_deliver(record.pk)
    record.refresh_from_db()
    assert record.status == OutgoingMail.Status.FAILED


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
def test_with_redis_the_worker_delivers_and_retries_with_backoff(rq_async, settings, django_capture_on_commit_callbacks):
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
    # RQ scheduled a retry with backoff instead of dropping the job.
    assert ScheduledJobRegistry(queue=queue).count == 1


def test_redis_down_does_not_break_the_request(settings, django_capture_on_commit_callbacks):
    settings.RQ_QUEUES = {name: {"URL": "redis://127.0.0.1:1/0", "ASYNC": True} for name in ("default", "mail")}
    with django_capture_on_commit_callbacks(execute=True):
        record = mail_queue(to="anna@example.org", subject="Hallo", text="Tekst")
    record.refresh_from_db()
    assert record.status == OutgoingMail.Status.PENDING  # kept for the sweep
