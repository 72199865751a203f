"""What concerns' writes change on cached pages (projects/page_cache.py): ``concerns`` for the
outcome pages, the project's tag for its page, ``figures`` for everything counted."""

from __future__ import annotations

from projects import page_cache

CONCERNS = "concerns"


def submission_tags(submission) -> list[str]:
    tags = [CONCERNS, page_cache.FIGURES]
    if submission.project_id:
        tags.append(page_cache.project_tag(submission.project_id))
    return tags


def track_writes() -> None:
    from .models import Concern, Submission

    page_cache.track(Submission, submission_tags)
    page_cache.track(Concern, lambda concern: submission_tags(concern.submission))
