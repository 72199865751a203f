"""Background jobs of projects: the nightly policy warnings."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from .conf import absolute_url
from .mail import mail_send
from .policy import report_dates_for, policy_for, project_warnings
from .selectors import project_list
from .sources import participation_for


def policy_warn_contacts(*, now: datetime.datetime | None = None) -> int:
    """Nightly: email each live project's contact person about policy deadlines that pass
    within the policy's warning window (initiatives to answer, sessions to announce...).
    Returns the number of emails queued."""
    now = now or timezone.now()
    projects = [p for p in project_list() if p.contact_email]
    if not projects:
        return 0
    data = participation_for(projects)
    report_dates = report_dates_for(p.pk for p in projects)
    sent = 0
    for project in projects:
        policy = policy_for(project)
        warnings = project_warnings(project, policy=policy, data=data[project.pk],
                                    report_dates=report_dates.get(project.pk, []), now=now)
        if not warnings:
            continue
        with transaction.atomic():
            mail_send(
                to=project.contact_email,
                template="projects/results/email/policy_warning",
                context={
                    "project": project,
                    "warnings": warnings,
                    "admin_url": absolute_url(reverse("wagtailadmin_pages:edit", args=[project.pk])),
                },
            )
        sent += 1
    return sent
