"""Writes about Top-3 concerns. Views, the admin, the source and the demo call these.

A resident's Top-3 is committed with its confirmation mail in one transaction (the outbox
delivers after commit), so neither Redis nor the mail server can lose it.
"""

from __future__ import annotations

import datetime
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from geo.models import Area, Theme
from projects.conf import absolute_url
from projects.mail import mail_send
from projects.sources import memory_changed

from . import tokens
from .models import MAX_CONCERNS, SENTENCE_MAX, Concern, Submission, SubmissionStatus
from .selectors import memory_key, submission_contact_email, user_can_moderate, user_verified_email


def _concerns_validate(concerns) -> list[tuple[Theme, str]]:
    cleaned = [(theme, " ".join((text or "").split())) for theme, text in concerns]
    if not cleaned:
        raise ValidationError({"concerns": _("Noem ten minste één onderwerp dat u bezighoudt.")})
    if len(cleaned) > MAX_CONCERNS:
        raise ValidationError({"concerns": _("U kunt hoogstens drie onderwerpen noemen.")})
    for theme, text in cleaned:
        if theme is None or not text:
            raise ValidationError({"concerns": _("Kies bij elk onderwerp een thema en schrijf er één zin bij.")})
        if len(text) > SENTENCE_MAX:
            raise ValidationError({"concerns": _("Schrijf per onderwerp hoogstens %(n)s tekens.") % {"n": SENTENCE_MAX}})
    return cleaned


@transaction.atomic
def submission_create(
    *, area: Area, concerns, user=None, email: str = "", keep_informed: bool = False, project=None,
) -> Submission:
    """Store a resident's Top-3 (``concerns``: up to three (theme, sentence) pairs).

    Logged in with a verified email: it goes to moderation at once. Otherwise ``email`` is
    needed; the Top-3 is stored now and waits for the click on the link mailed to it."""
    cleaned = _concerns_validate(concerns)
    verified = bool(user_verified_email(user))
    email = "" if verified else (email or "").strip()
    if not verified and not email:
        raise ValidationError({"email": _("Vul uw e-mailadres in. Dan sturen wij u een link om te bevestigen.")})
    submission = Submission(
        area=area, project=project, user=user if getattr(user, "is_authenticated", False) else None, email=email,
        keep_informed=keep_informed, status=SubmissionStatus.PENDING if verified else SubmissionStatus.UNCONFIRMED,
    )
    submission.full_clean()
    submission.save()
    Concern.objects.bulk_create(
        [Concern(submission=submission, position=i, theme=theme, text=text) for i, (theme, text) in enumerate(cleaned, start=1)]
    )
    if not verified:
        mail_send(
            to=email, template="concerns/email/confirm",
            context={"submission": submission, "concerns": cleaned, "url": tokens.confirm_link(submission.pk)},
        )
    return submission


@transaction.atomic
def submission_confirm(*, submission_id: int) -> Submission:
    """The click on the emailed link: the Top-3 enters moderation. Clicking again changes nothing."""
    submission = Submission.objects.select_for_update().get(pk=submission_id)
    if submission.status == SubmissionStatus.UNCONFIRMED:
        submission.status, submission.email_confirmed_at = SubmissionStatus.PENDING, timezone.now()
        submission.save(update_fields=["status", "email_confirmed_at"])
    return submission


def _moderator_check(user, submission: Submission) -> None:
    # The admin checks too; this makes every caller (views, jobs, the demo) obey the same rule.
    if not user_can_moderate(user, submission):
        raise PermissionDenied(_("U mag deze top-3 niet modereren."))


def _forget_contact_unless_consented(submission: Submission) -> None:
    # Someone not logged in gave an email only to confirm and to hear the outcome of moderation;
    # without consent to hear more it is not needed any more once that mail is queued.
    if not submission.user_id and not submission.keep_informed and submission.email:
        submission.email = ""
        submission.save(update_fields=["email"])


@transaction.atomic
def submission_publish(*, submission: Submission, moderator) -> Submission:
    """Make the Top-3 count in the public results and tell the resident (verified email only)."""
    _moderator_check(moderator, submission)
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    if submission.status not in (SubmissionStatus.PENDING, SubmissionStatus.REJECTED):
        raise ValidationError({"status": _("Deze top-3 kan nu niet gepubliceerd worden.")})
    previous = submission.status
    submission.status, submission.rejection_reason = SubmissionStatus.PUBLISHED, ""
    submission.published_at = submission.published_at or timezone.now()
    submission.save(update_fields=["status", "rejection_reason", "published_at"])
    log(instance=submission, action="concerns.submission_publish", user=moderator, data={"submission": submission.pk, "from": previous})
    memory_changed([memory_key(submission.area_id)])
    to = submission_contact_email(submission)
    if to:
        mail_send(to=to, template="concerns/email/published", context={
            "submission": submission, "url": absolute_url(reverse("concerns:results_area", args=[submission.area.code])),
        })
    _forget_contact_unless_consented(submission)
    return submission


@transaction.atomic
def submission_reject(*, submission: Submission, moderator, reason: str) -> Submission:
    """Keep the Top-3 out of the results (or take it out again) and tell the resident why."""
    _moderator_check(moderator, submission)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Schrijf op waarom deze top-3 is afgewezen.")})
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    if submission.status not in (SubmissionStatus.PENDING, SubmissionStatus.PUBLISHED):
        raise ValidationError({"status": _("Deze top-3 kan nu niet afgewezen worden.")})
    previous = submission.status
    submission.status, submission.rejection_reason = SubmissionStatus.REJECTED, reason
    submission.save(update_fields=["status", "rejection_reason"])
    # The reason stays on the record; the log keeps only what happened (it outlives personal data).
    log(instance=submission, action="concerns.submission_reject", user=moderator, data={"submission": submission.pk, "from": previous})
    if previous == SubmissionStatus.PUBLISHED:
        memory_changed([memory_key(submission.area_id)])
    to = submission_contact_email(submission)
    if to:
        mail_send(to=to, template="concerns/email/rejected", context={"submission": submission, "reason": reason})
    _forget_contact_unless_consented(submission)
    return submission


def user_submissions(user):
    """The user's Top-3's: by account, or sent without logging in from one of their verified addresses."""
    from allauth.account.models import EmailAddress

    emails = list(EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True))
    condition = Q(user=user)
    if emails:
        condition |= Q(user__isnull=True, email__in=emails, email_confirmed_at__isnull=False)
    return Submission.objects.filter(condition)


@transaction.atomic
def personal_data_erase(*, user) -> int:
    """AVG: detach the user and their email from their Top-3's. Published ones stay counted,
    anonymously (the public texts never held who wrote them): all of them under one new random
    ``erased_participant`` key, so a resident with several Top-3's still counts as one
    participant in a project's reach, as before the erasure. Unconfirmed ones, which nobody
    vouched for, are removed. Returns how many were kept anonymously."""
    mine = user_submissions(user)
    Submission.objects.filter(pk__in=mine.filter(status=SubmissionStatus.UNCONFIRMED).values("pk")).delete()
    return Submission.objects.filter(pk__in=list(mine.values_list("pk", flat=True))).update(
        user=None, email="", keep_informed=False, erased_participant=uuid.uuid4(),
    )


def unconfirmed_purge(*, days: int = 30) -> int:
    """Retention: Top-3's whose email was never confirmed are removed after ``days`` days."""
    cutoff = timezone.now() - datetime.timedelta(days=days)
    _total, per_model = Submission.objects.filter(status=SubmissionStatus.UNCONFIRMED, created_at__lt=cutoff).delete()
    return per_model.get(Submission._meta.label, 0)
