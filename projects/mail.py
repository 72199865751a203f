"""Email goes out through one door: rendered now, stored in the outbox, delivered by a job."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import timedelta

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone, translation
from rq import Retry

from .jobs import enqueue
from .models import OutgoingMail

logger = logging.getLogger(__name__)

# Backoff between delivery attempts by the worker (seconds).
RETRY_INTERVALS = [30, 120, 600, 1800, 3600]
MAX_ATTEMPTS = 8
MAIL_RETENTION_DAYS = 30


def mail_send(
    *,
    to: str,
    template: str,
    context: dict,
    attachments: Iterable[dict] = (),
    language: str | None = None,
) -> OutgoingMail:
    """Queue an email built from ``<template>_subject.txt``, ``<template>.txt`` and, if present,
    ``<template>.html``. Call inside the transaction that creates the record it is about:
    the mail is stored with it and delivered after commit."""
    with translation.override(language or translation.get_language() or "nl"):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        text = render_to_string(f"{template}.txt", context)
        try:
            html = render_to_string(f"{template}.html", context)
        except TemplateDoesNotExist:  # text-only mail
            html = ""
    return mail_queue(to=to, subject=subject, text=text, html=html, attachments=attachments)


def mail_queue(*, to: str, subject: str, text: str, html: str = "", attachments: Iterable[dict] = ()) -> OutgoingMail:
    """Store an already rendered email in the outbox and deliver it after commit."""
    mail = OutgoingMail.objects.create(
        to=to, subject=subject[:300], body_text=text, body_html=html, attachments=list(attachments)
    )
    enqueue(mail_deliver, mail.pk, queue="mail", retry=Retry(max=len(RETRY_INTERVALS), interval=RETRY_INTERVALS))
    return mail


def mail_deliver(mail_id: int) -> None:
    """Deliver one stored email. Raises on failure (after recording it) so RQ retries."""
    error: Exception | None = None
    with transaction.atomic():
        mail = (
            OutgoingMail.objects.select_for_update(skip_locked=True)
            .filter(pk=mail_id, status=OutgoingMail.Status.PENDING)
            .first()
        )
        if mail is None:  # already sent, given up, or being sent by another worker
            return
        message = EmailMultiAlternatives(subject=mail.subject, body=mail.body_text, to=[mail.to])
        if mail.body_html:
            message.attach_alternative(mail.body_html, "text/html")
        for attachment in mail.attachments:
            message.attach(attachment["filename"], attachment["content"], attachment.get("mimetype", "text/plain"))
        mail.attempts += 1
        try:
            message.send()
        except Exception as exc:  # noqa: BLE001 - any transport error: record and retry
            error = exc
            mail.last_error = str(exc)[:2000]
            if mail.attempts >= MAX_ATTEMPTS:
                mail.status = OutgoingMail.Status.FAILED
        else:
            mail.status = OutgoingMail.Status.SENT
            mail.sent_at = timezone.now()
            mail.last_error = ""
        mail.save(update_fields=["attempts", "status", "sent_at", "last_error"])
    if error is not None:
        logger.warning("Mail %s not delivered (attempt %s): %s", mail_id, mail.attempts, error)
        raise error


def mail_retry_pending(*, older_than: timedelta = timedelta(minutes=5)) -> int:
    """Periodic sweep: hand pending mail that no job delivered (Redis was down, the worker
    restarted) to the queue again. Returns how many were handed over."""
    cutoff = timezone.now() - older_than
    ids = list(
        OutgoingMail.objects.filter(status=OutgoingMail.Status.PENDING, created_at__lt=cutoff)
        .values_list("pk", flat=True)[:500]
    )
    for pk in ids:
        enqueue(mail_deliver, pk, queue="mail")
    return len(ids)


def mail_purge_old(*, days: int = MAIL_RETENTION_DAYS) -> int:
    """Retention: remove sent and failed mail (addresses, content) after ``days`` days."""
    cutoff = timezone.now() - timedelta(days=days)
    deleted, _ = OutgoingMail.objects.exclude(status=OutgoingMail.Status.PENDING).filter(created_at__lt=cutoff).delete()
    return deleted
