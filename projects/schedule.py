"""Periodic jobs, defined by the apps themselves (an extension point).

An app registers its sweeps in its ``AppConfig.ready()``::

    from projects.schedule import periodic_job
    periodic_job("dialogues_send_reminders", send_reminders, queue="default", every=timedelta(minutes=15))
    periodic_job("mail_purge_old", mail_purge_old, queue="default", daily_at=time(3, 30))

``every`` runs a job at that interval; ``daily_at`` once a day at that local time (``TIME_ZONE``).
Each job is a sweep that reads the database (reminders due, seats to release, mail still
pending) rather than one scheduled job per record, so a missed run is simply done by the next.

Two ways to run the schedule, both reading the last runs from ``JobRun`` rows (so "due"
survives restarts and two schedulers never run the same job twice):

- ``manage.py participatie_scheduler`` (long-running, next to ``rqworker``): every tick it
  enqueues due jobs on their RQ queue. When Redis is unreachable it runs them in-process
  instead, so seats are still released and mail retried during an outage; it never exits
  on a connection error.
- ``manage.py participatie_run_jobs`` (for cron or a Kubernetes CronJob): runs every due
  job once, in-process, and exits.
"""

from __future__ import annotations

import datetime
import logging
import traceback
from dataclasses import dataclass
from typing import Callable

from django.db.models import Q
from django.utils import timezone

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    func: Callable[[], object]
    queue: str
    every: datetime.timedelta | None = None
    daily_at: datetime.time | None = None

    def next_run_after(self, last_started: datetime.datetime | None, now: datetime.datetime) -> datetime.datetime:
        """When this job is due next, given when it last started (None: never)."""
        if self.every is not None:
            return now if last_started is None else last_started + self.every
        # Never run: the latest daily time at or before now counts as missed, so it runs once now.
        reference = last_started if last_started is not None else now - datetime.timedelta(days=1)
        local = timezone.localtime(reference)
        candidate = timezone.make_aware(datetime.datetime.combine(local.date(), self.daily_at))
        if candidate <= reference:
            candidate = timezone.make_aware(
                datetime.datetime.combine(local.date() + datetime.timedelta(days=1), self.daily_at)
            )
        return candidate

    def is_due(self, last_started: datetime.datetime | None, now: datetime.datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.next_run_after(last_started, now) <= now


_jobs: dict[str, PeriodicJob] = {}


def periodic_job(
    name: str,
    func: Callable[[], object],
    *,
    queue: str = "default",
    every: datetime.timedelta | None = None,
    daily_at: datetime.time | None = None,
) -> PeriodicJob:
    """Register ``func`` (called without arguments) to run periodically; give exactly one of
    ``every`` or ``daily_at``. ``name`` is stable: it keys the job's last run in the database."""
    if (every is None) == (daily_at is None):
        raise ValueError("Give exactly one of every= or daily_at=")
    if every is not None and every <= datetime.timedelta(0):
        raise ValueError("every= must be positive")
    job = PeriodicJob(name=name, func=func, queue=queue, every=every, daily_at=daily_at)
    _jobs[name] = job
    return job


def job_list() -> list[PeriodicJob]:
    return list(_jobs.values())


def job_get(name: str) -> PeriodicJob:
    try:
        return _jobs[name]
    except KeyError:
        raise KeyError(f"No periodic job named {name!r}; known: {', '.join(sorted(_jobs))}") from None


def job_claim(job: PeriodicJob, *, now: datetime.datetime | None = None, force: bool = False) -> bool:
    """Mark ``job`` as started now if it is due (or ``force``). True for exactly one caller:
    the UPDATE is conditional on the start time it read, so a second scheduler that read the
    same row updates nothing (works the same on SQLite and PostgreSQL)."""
    from .models import JobRun

    now = now or timezone.now()
    run, _ = JobRun.objects.get_or_create(name=job.name)
    if not force and not job.is_due(run.started_at, now):
        return False
    seen = Q(started_at__isnull=True) if run.started_at is None else Q(started_at=run.started_at)
    return bool(
        JobRun.objects.filter(seen, name=job.name).update(started_at=now, finished_at=None, error="")
    )


def job_execute(name: str) -> None:
    """Run a claimed job and record its finish or error. This is what the queue runs."""
    from .models import JobRun

    job = job_get(name)
    error = ""
    try:
        job.func()
    except Exception:  # noqa: BLE001 - one failing sweep must not stop the others; the row shows it
        logger.exception("Periodic job %s failed", name)
        error = traceback.format_exc()[-4000:]
    JobRun.objects.filter(name=name).update(finished_at=timezone.now(), error=error)


def jobs_run_due(*, names: list[str] | None = None, force: bool = False) -> list[str]:
    """Claim and run, in-process, every due job (or just ``names``); return the names run."""
    ran = []
    for job in [job_get(n) for n in names] if names else job_list():
        if job_claim(job, force=force):
            job_execute(job.name)
            ran.append(job.name)
    return ran
