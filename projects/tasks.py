"""Background jobs of projects: the nightly policy warnings and the sweeps that finish
work a lost job left undone (a PDF not rendered, a publication not mailed)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from .conf import absolute_url
from .jobs import enqueue
from .mail import mail_send
from .models import ParticipationReport, ResultsPublication
from .policy import policy_for, project_warnings, report_dates_for
from .reports import report_pdf_render, results_publication_mail
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


def results_sweep(*, older_than: datetime.timedelta = datetime.timedelta(minutes=10)) -> int:
    """Periodic: hand frozen reports without a PDF and publications not yet mailed (Redis was
    down, the worker restarted) to the queue again. Both jobs are idempotent."""
    cutoff = timezone.now() - older_than
    reports = list(ParticipationReport.objects.filter(pdf="", vastgesteld_at__lt=cutoff).values_list("pk", flat=True)[:50])
    publications = list(ResultsPublication.objects.filter(mailed_at__isnull=True, published_at__lt=cutoff)
                        .values_list("pk", flat=True)[:50])
    for pk in reports:
        enqueue(report_pdf_render, pk)
    for pk in publications:
        enqueue(results_publication_mail, pk)
    return len(reports) + len(publications)
