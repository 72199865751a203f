"""Top-3's for tests, made through the services (the rules apply) or directly when only counts matter."""

from __future__ import annotations

from concerns import services
from concerns.models import Concern, Submission, SubmissionStatus
from tests.geo.factories import AreaFactory, ThemeFactory  # noqa: F401


def top3(*, area, items, user=None, email="", project=None, status=SubmissionStatus.PUBLISHED, keep_informed=False,
         created_at=None, confirmed=True) -> Submission:
    """A Top-3 in ``status`` straight in the database: ``items`` are (theme name, sentence)."""
    from django.utils import timezone

    now = created_at or timezone.now()
    submission = Submission.objects.create(
        area=area, project=project, user=user, email=email, keep_informed=keep_informed, status=status, created_at=now,
        email_confirmed_at=now if (email and confirmed and status != SubmissionStatus.UNCONFIRMED) else None,
        published_at=now if status == SubmissionStatus.PUBLISHED else None,
    )
    for i, (theme, text) in enumerate(items, start=1):
        Concern.objects.create(submission=submission, position=i, theme=ThemeFactory(name=theme), text=text)
    return submission


def top3_via_services(*, area, items, user, moderator, project=None, keep_informed=False) -> Submission:
    submission = services.submission_create(
        area=area, concerns=[(ThemeFactory(name=t), text) for t, text in items], user=user, project=project,
        keep_informed=keep_informed,
    )
    return services.submission_publish(submission=submission, moderator=moderator)
