import datetime

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from wagtail.models import ModelLogEntry

from concerns import services
from concerns.models import Submission, SubmissionStatus
from projects import sources
from tests.concerns.factories import AreaFactory, ThemeFactory, top3
from tests.projects.factories import ProjectPageFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def wijk(site):
    return AreaFactory(code="WK999901", name="Oosterpark")


def test_verified_resident_goes_to_moderation_at_once_without_mail(wijk, resident):
    submission = services.submission_create(area=wijk, concerns=[(ThemeFactory(name="Groen"), "  Te weinig   bomen. ")], user=resident)
    assert submission.status == SubmissionStatus.PENDING and submission.email == ""
    assert [c.text for c in submission.concerns.all()] == ["Te weinig bomen."]
    assert mail.outbox == []


def test_anonymous_is_stored_unconfirmed_and_mailed_a_link(wijk, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        submission = services.submission_create(area=wijk, concerns=[(ThemeFactory(name="Verkeer"), "Er wordt te hard gereden.")], email="anna@example.org")
    assert submission.status == SubmissionStatus.UNCONFIRMED and submission.user is None
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["anna@example.org"]
    assert "/wat-houdt-u-bezig/bevestigen/" in mail.outbox[0].body and "Er wordt te hard gereden." in mail.outbox[0].body
    confirmed = services.submission_confirm(submission_id=submission.pk)
    assert confirmed.status == SubmissionStatus.PENDING and confirmed.email_confirmed_at is not None
    again = services.submission_confirm(submission_id=submission.pk)
    assert again.email_confirmed_at == confirmed.email_confirmed_at


@pytest.mark.parametrize("concerns, field", [
    ([], "concerns"),
    ([("Groen", "a")] * 4, "concerns"),
    ([("Groen", "x" * 201)], "concerns"),
    ([("Groen", "   ")], "concerns"),
])
def test_invalid_concerns_are_refused_with_a_dutch_message(wijk, resident, concerns, field):
    with pytest.raises(ValidationError) as exc:
        services.submission_create(area=wijk, concerns=[(ThemeFactory(name=t), s) for t, s in concerns], user=resident)
    assert field in exc.value.message_dict
    assert Submission.objects.count() == 0


def test_anonymous_needs_an_email(wijk):
    with pytest.raises(ValidationError) as exc:
        services.submission_create(area=wijk, concerns=[(ThemeFactory(name="Groen"), "Bomen.")])
    assert "email" in exc.value.message_dict


def test_unverified_account_confirms_by_mail_like_anonymous(wijk, django_capture_on_commit_callbacks):
    user = UserFactory(username="nietbevestigd", verified=False)
    with django_capture_on_commit_callbacks(execute=True):
        submission = services.submission_create(area=wijk, concerns=[(ThemeFactory(name="Groen"), "Bomen.")], user=user, email=user.email)
    assert submission.status == SubmissionStatus.UNCONFIRMED and submission.user == user
    assert mail.outbox[0].to == [user.email]


def test_publish_logs_tells_the_resident_and_updates_the_memory(wijk, resident, moderator, django_capture_on_commit_callbacks):
    changed = []
    sources.memory_listen(changed.extend)
    try:
        submission = services.submission_create(area=wijk, concerns=[(ThemeFactory(name="Groen"), "Bomen.")], user=resident)
        with django_capture_on_commit_callbacks(execute=True):
            services.submission_publish(submission=submission, moderator=moderator)
    finally:
        sources._memory_listeners.remove(changed.extend)
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.PUBLISHED and submission.published_at is not None
    assert changed == [f"top3:{wijk.pk}"]
    entry = ModelLogEntry.objects.get(action="concerns.submission_publish")
    assert entry.user == moderator and entry.data == {"submission": submission.pk, "from": "pending"}
    assert resident.email not in str(entry.data)
    assert [m.to for m in mail.outbox] == [[resident.email]] and "telt mee" in mail.outbox[0].subject


def test_reject_needs_a_reason_and_forgets_an_email_without_consent(wijk, moderator, django_capture_on_commit_callbacks):
    submission = top3(area=wijk, items=[("Groen", "Bomen.")], email="piet@example.org", status=SubmissionStatus.PENDING)
    with pytest.raises(ValidationError):
        services.submission_reject(submission=submission, moderator=moderator, reason=" ")
    with django_capture_on_commit_callbacks(execute=True):
        services.submission_reject(submission=submission, moderator=moderator, reason="Dit gaat over een persoon.")
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.REJECTED and submission.email == ""
    assert mail.outbox[0].to == ["piet@example.org"] and "Dit gaat over een persoon." in mail.outbox[0].body
    entry = ModelLogEntry.objects.get(action="concerns.submission_reject")
    assert "persoon" not in str(entry.data)


def test_unconfirmed_email_gets_no_moderation_mail(wijk, moderator, django_capture_on_commit_callbacks):
    # Confirmation is what makes an address verified; an unconfirmed one reaches the queue only
    # through a bug, and must not be mailed even then.
    submission = top3(area=wijk, items=[("Groen", "Bomen.")], email="x@example.org", status=SubmissionStatus.PENDING, confirmed=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.submission_publish(submission=submission, moderator=moderator)
    assert mail.outbox == []


def test_editor_moderates_only_own_project(wijk, moderator):
    from tests.dialogues.test_permissions import editor_for

    project, other = ProjectPageFactory(), ProjectPageFactory()
    editor = editor_for(project, "top3")
    mine = top3(area=wijk, items=[("Groen", "Bomen.")], project=project, status=SubmissionStatus.PENDING)
    theirs = top3(area=wijk, items=[("Groen", "Bomen.")], project=other, status=SubmissionStatus.PENDING)
    loose = top3(area=wijk, items=[("Groen", "Bomen.")], status=SubmissionStatus.PENDING)
    services.submission_publish(submission=mine, moderator=editor)
    for submission in (theirs, loose):
        with pytest.raises(PermissionDenied):
            services.submission_publish(submission=submission, moderator=editor)
    services.submission_publish(submission=loose, moderator=moderator)


def test_personal_data_erase_keeps_published_counts_and_drops_unconfirmed(wijk, resident):
    published = top3(area=wijk, items=[("Groen", "Bomen.")], user=resident, keep_informed=True)
    by_mail = top3(area=wijk, items=[("Groen", "Bankjes.")], email=resident.email, keep_informed=True)
    unconfirmed = top3(area=wijk, items=[("Groen", "Struiken.")], user=resident, status=SubmissionStatus.UNCONFIRMED)
    services.personal_data_erase(user=resident)
    published.refresh_from_db()
    by_mail.refresh_from_db()
    assert (published.user, published.email, published.keep_informed) == (None, "", False)
    assert (by_mail.email, by_mail.status) == ("", SubmissionStatus.PUBLISHED)
    assert not Submission.objects.filter(pk=unconfirmed.pk).exists()


def test_unconfirmed_purge_after_thirty_days(wijk):
    old = top3(area=wijk, items=[("Groen", "Bomen.")], email="a@example.org", status=SubmissionStatus.UNCONFIRMED)
    with time_machine.travel(old.created_at + datetime.timedelta(days=29), tick=False):
        assert services.unconfirmed_purge() == 0
    with time_machine.travel(old.created_at + datetime.timedelta(days=31), tick=False):
        assert services.unconfirmed_purge() == 1
    assert not Submission.objects.exists()
