"""Email goes out through one door: rendered now, stored in the outbox, delivered by a job.

Retries. The database is the truth, RQ only carries the work: a delivery job tries a mail
once; on failure it records the error and sets ``next_attempt_at`` from ``RETRY_DELAYS``
(1 min, 5, 15, 30, 1 h, 2 h, 4 h, then every 6 h). The periodic sweep ``mail_retry_pending``
hands every due mail to the queue, in batches of ``SWEEP_BATCH``, including mail whose
first enqueue never reached Redis. RQ's own Retry is not used: a retry that lives only in
Redis is lost when Redis is flushed, and two schedules would fight. A mail still failing
``RETRY_WINDOW`` (3 days) after it was queued becomes FAILED and is not retried
automatically any more (a three-day-old reminder or confirmation is more confusing than
useful); administrators see it in the outbox in the admin and can "try again"
(``mail_retry``), which starts a new window.

Exactly-once. A mail goes PENDING -> SENDING (committed, with ``sending_started_at``, by
one conditional UPDATE, so of two workers only one claims it) -> SMTP -> SENT or back to
PENDING. What a crash can do in each window:

- before the claim commits: nothing happened; the mail is pending and the sweep resends it.
- after the claim, before or during the SMTP conversation, or after the server accepted but
  before SENT is written: the mail stays SENDING. We cannot know whether it left. After
  ``STUCK_AFTER`` (well beyond ``EMAIL_TIMEOUT``) the sweep marks it UNCERTAIN, which
  administrators see and can resend; it is never resent automatically.
- the connection drops after the final "." of DATA, before the server's reply: smtplib
  raises, we count it as a failure and retry, so the recipient may get it twice. SMTP
  cannot tell this case apart (RFC 1047); the stable Message-ID lets mail clients fold the
  duplicate.

Why at-most-once automatically: these windows last milliseconds and need a process crash,
while a duplicate reaches a resident with certainty once it happens. For a confirmation link
a duplicate is harmless but a missing one releases a held seat, so the uncertain state is not
hidden: it is listed next to failed mail for an administrator to resend in one click.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.mail import EmailMultiAlternatives
from django.core.mail.utils import DNS_NAME
from django.db import transaction
from django.db.models import F
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext

from .conf import site_config
from .jobs import enqueue
from .models import OutgoingMail

logger = logging.getLogger(__name__)

# Waits after the 1st, 2nd, ... failed attempt; after the last one, its value repeats.
RETRY_DELAYS = [
    timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=15), timedelta(minutes=30),
    timedelta(hours=1), timedelta(hours=2), timedelta(hours=4), timedelta(hours=6),
]
RETRY_WINDOW = timedelta(days=3)
# A SENDING mail older than this was interrupted (EMAIL_TIMEOUT is 20 s per socket operation).
STUCK_AFTER = timedelta(minutes=15)
SWEEP_BATCH = 500
MAIL_RETENTION_DAYS = 30

Status = OutgoingMail.Status


@dataclass(frozen=True)
class RenderedMail:
    subject: str
    text: str
    html: str = ""


def mail_render(*, template: str, context: dict, language: str | None = None) -> RenderedMail:
    """Render an email from ``<template>_subject.txt``, ``<template>.txt`` and, if present,
    ``<template>.html`` without storing it.

    For services that hold a lock: render before taking it, then store the result with
    ``mail_queue`` inside the same transaction, so the lock is not held while templates render.
    ``context["municipality_name"]`` (for the signature) is looked up once when not given."""
    if "municipality_name" not in context:
        context = {**context, "municipality_name": site_config().municipality_name}
    with translation.override(language or translation.get_language() or "nl"):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        text = render_to_string(f"{template}.txt", context)
        try:
            html = render_to_string(f"{template}.html", context)
        except TemplateDoesNotExist:  # text-only mail
            html = ""
    return RenderedMail(subject=subject, text=text, html=html)


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
    mail = mail_render(template=template, context=context, language=language)
    return mail_queue(to=to, subject=mail.subject, text=mail.text, html=mail.html, attachments=attachments)


def tidy_text(text: str) -> str:
    """At most one blank line in a row: email templates are built from blocks (projects/email/_base.txt)
    that often stay empty, and each leaves its line break behind."""
    return re.sub(r"\n[ \t]*\n(?:[ \t]*\n)+", "\n\n", text).strip() + "\n"


def mail_queue(*, to: str, subject: str, text: str, html: str = "", attachments: Iterable[dict] = ()) -> OutgoingMail:
    """Store an already rendered email in the outbox and deliver it after commit."""
    text = tidy_text(text)
    now = timezone.now()
    mail = OutgoingMail.objects.create(
        to=to, subject=subject[:300], body_text=text, body_html=html, attachments=list(attachments),
        created_at=now, queued_at=now, next_attempt_at=now,
    )
    enqueue(mail_deliver, mail.pk, queue="mail")
    return mail


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the ``attempts``-th failed attempt."""
    return RETRY_DELAYS[min(max(attempts, 1), len(RETRY_DELAYS)) - 1]


def message_id(mail: OutgoingMail) -> str:
    """The same Message-ID on every attempt, so a duplicate can be recognised."""
    return f"<outbox.{mail.pk}.{int(mail.created_at.timestamp())}@{DNS_NAME}>"


def _message(mail: OutgoingMail) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=mail.subject, body=mail.body_text, to=[mail.to], headers={"Message-ID": message_id(mail)}
    )
    if mail.body_html:
        message.attach_alternative(mail.body_html, "text/html")
    for attachment in mail.attachments:
        message.attach(attachment["filename"], attachment["content"], attachment.get("mimetype", "text/plain"))
    return message


def mail_deliver(mail_id: int) -> bool:
    """Try to deliver one stored email once; returns whether it was sent.

    Does nothing unless the mail is pending and due, so a job queued twice (by the sweep and
    by the original enqueue, or by two sweeps) sends once. Never raises for a transport
    error: the error and the next attempt are recorded on the mail instead."""
    now = timezone.now()
    with transaction.atomic():
        claimed = OutgoingMail.objects.filter(pk=mail_id, status=Status.PENDING, next_attempt_at__lte=now).update(
            status=Status.SENDING, sending_started_at=now, attempts=F("attempts") + 1
        )
    if not claimed:  # sent, given up, not due yet, or being sent by another worker
        return False
    mail = OutgoingMail.objects.get(pk=mail_id)
    try:
        _message(mail).send()
    except Exception as exc:  # noqa: BLE001 - any transport error: record and schedule a retry
        failed_at = timezone.now()
        gives_up = failed_at - mail.queued_at >= RETRY_WINDOW
        OutgoingMail.objects.filter(pk=mail_id, status=Status.SENDING).update(
            status=Status.FAILED if gives_up else Status.PENDING,
            last_error=str(exc)[:2000] or exc.__class__.__name__,
            next_attempt_at=None if gives_up else failed_at + retry_delay(mail.attempts),
            sending_started_at=None,
        )
        logger.warning("Mail %s not delivered (attempt %s%s): %s", mail_id, mail.attempts,
                       ", giving up" if gives_up else "", exc)
        return False
    OutgoingMail.objects.filter(pk=mail_id, status=Status.SENDING).update(
        status=Status.SENT, sent_at=timezone.now(), last_error="", next_attempt_at=None, sending_started_at=None
    )
    return True


def mail_retry_pending(*, now: datetime | None = None, batch: int = SWEEP_BATCH) -> int:
    """Periodic sweep: mark interrupted deliveries uncertain, and hand every pending mail whose
    next attempt is due to the queue (oldest due first, at most ``batch``). Returns how many
    were handed over."""
    now = now or timezone.now()
    stuck = OutgoingMail.objects.filter(status=Status.SENDING, sending_started_at__lt=now - STUCK_AFTER).update(
        status=Status.UNCERTAIN, next_attempt_at=None,
        last_error=gettext("Versturen is onderbroken; onbekend of de e-mail is aangekomen."),
    )
    if stuck:
        logger.error("%s mail(s) interrupted while sending, marked uncertain", stuck)
    ids = list(
        OutgoingMail.objects.filter(status=Status.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at").values_list("pk", flat=True)[:batch]
    )
    for pk in ids:
        enqueue(mail_deliver, pk, queue="mail")
    return len(ids)


RETRYABLE = (Status.FAILED, Status.UNCERTAIN, Status.PENDING)


def mail_retry(*, mail_ids: Iterable[int], user) -> int:
    """An administrator's "try again": failed, uncertain or waiting mail becomes due now, with
    a new retry window. Checks the ``projects.retry_outgoingmail`` permission and writes the
    audit log. Returns how many mails were handed over."""
    from django.core.exceptions import PermissionDenied
    from wagtail.log_actions import log

    if not user.has_perm("projects.retry_outgoingmail"):
        raise PermissionDenied
    now = timezone.now()
    with transaction.atomic():
        mails = list(OutgoingMail.objects.select_for_update().filter(pk__in=list(mail_ids), status__in=RETRYABLE))
        for mail in mails:
            previous = mail.status
            mail.status, mail.queued_at, mail.next_attempt_at, mail.sending_started_at = Status.PENDING, now, now, None
            mail.save(update_fields=["status", "queued_at", "next_attempt_at", "sending_started_at"])
            log(instance=mail, action="projects.mail_retry", user=user, data={"previous_status": previous})
            enqueue(mail_deliver, mail.pk, queue="mail")
    return len(mails)


def mail_purge_old(*, days: int = MAIL_RETENTION_DAYS) -> int:
    """Retention: remove sent and failed mail (addresses, content) after ``days`` days."""
    cutoff = timezone.now() - timedelta(days=days)
    deleted, _ = (
        OutgoingMail.objects.filter(status__in=[Status.SENT, Status.FAILED, Status.UNCERTAIN])
        .filter(created_at__lt=cutoff).delete()
    )
    return deleted
