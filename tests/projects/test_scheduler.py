"""The schedule shipped with the plugin: due-ness, claiming, the run_jobs command, and a
scheduler process that keeps running through a Redis restart."""

from __future__ import annotations

import datetime
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from projects import schedule
from projects.models import JobRun
from projects.schedule import PeriodicJob, job_claim, job_get, job_list, jobs_run_due

AMS = timezone.get_fixed_timezone(60)  # Europe/Amsterdam in winter
ROOT = Path(__file__).resolve().parents[2]


def at(y, m, d, hh, mm=0):
    return datetime.datetime(y, m, d, hh, mm, tzinfo=AMS)


def test_the_apps_define_the_jobs_that_used_to_live_in_the_host():
    names = {job.name for job in job_list()}
    assert names == {
        "mail_retry_pending", "mail_purge_old", "policy_warn_contacts", "projects_results_sweep",
        "dialogues_release_unconfirmed", "dialogues_send_reminders", "dialogues_request_evaluations",
        "dialogues_purge_registrations", "geo_map_cells_rebuild", "concerns_unconfirmed_purge",
    }
    assert job_get("mail_retry_pending").queue == "mail"
    assert job_get("dialogues_release_unconfirmed").every == datetime.timedelta(minutes=5)
    assert job_get("mail_purge_old").daily_at == datetime.time(3, 30)


def test_an_interval_job_is_due_when_never_run_and_after_its_interval():
    job = PeriodicJob("x", print, "default", every=datetime.timedelta(minutes=5))
    now = at(2026, 1, 10, 12)
    assert job.is_due(None, now)
    assert not job.is_due(now - datetime.timedelta(minutes=4, seconds=59), now)
    assert job.is_due(now - datetime.timedelta(minutes=5), now)


def test_a_daily_job_runs_once_per_day_at_its_local_time():
    job = PeriodicJob("x", print, "default", daily_at=datetime.time(3, 30))
    ran = at(2026, 1, 10, 3, 30)
    assert not job.is_due(ran, at(2026, 1, 10, 23, 59))
    assert not job.is_due(ran, at(2026, 1, 11, 3, 29))
    assert job.is_due(ran, at(2026, 1, 11, 3, 30))
    # Never run: the latest 03:30 counts as missed, so it runs now and then tomorrow at 03:30.
    assert job.is_due(None, at(2026, 1, 10, 9))
    assert job.next_run_after(at(2026, 1, 10, 9), at(2026, 1, 10, 9)) == at(2026, 1, 11, 3, 30)


def test_periodic_job_wants_exactly_one_timing():
    with pytest.raises(ValueError):
        schedule.periodic_job("bad", print)
    with pytest.raises(ValueError):
        schedule.periodic_job("bad", print, every=datetime.timedelta(minutes=1), daily_at=datetime.time(1))


@pytest.fixture
def counted_job():
    calls = []
    job = schedule.periodic_job("test_counted", lambda: calls.append(1), every=datetime.timedelta(minutes=10))
    yield job, calls
    schedule._jobs.pop("test_counted")


@pytest.mark.django_db
def test_claim_is_won_once_until_the_job_is_due_again(counted_job):
    job, _ = counted_job
    with time_machine.travel(at(2026, 1, 10, 12), tick=False):
        assert job_claim(job) is True
        assert job_claim(job) is False
    with time_machine.travel(at(2026, 1, 10, 12, 10), tick=False):
        assert job_claim(job) is True


@pytest.mark.django_db
def test_a_second_scheduler_that_read_the_same_row_loses_the_claim(counted_job):
    job, _ = counted_job
    JobRun.objects.create(name=job.name, started_at=at(2026, 1, 10, 11))
    stale = JobRun.objects.get(name=job.name)
    with time_machine.travel(at(2026, 1, 10, 12), tick=False):
        assert job_claim(job) is True
        # The other scheduler read the row before our UPDATE; its conditional UPDATE matches nothing.
        assert JobRun.objects.filter(name=job.name, started_at=stale.started_at).update(started_at=timezone.now()) == 0


@pytest.mark.django_db
def test_run_jobs_runs_each_due_job_once_and_records_it(counted_job):
    job, calls = counted_job
    with time_machine.travel(at(2026, 1, 10, 12), tick=False):
        call_command("participatie_run_jobs")
        call_command("participatie_run_jobs")
    assert calls == [1]
    run = JobRun.objects.get(name=job.name)
    assert run.finished_at is not None and run.error == ""
    assert JobRun.objects.filter(finished_at__isnull=False).count() == len(job_list())
    with time_machine.travel(at(2026, 1, 10, 12, 11), tick=False):
        assert "test_counted" in jobs_run_due()
    assert calls == [1, 1]


@pytest.mark.django_db
def test_run_jobs_force_one_job_and_record_its_error():
    def broken():
        raise RuntimeError("kapot")

    schedule.periodic_job("test_broken", broken, every=datetime.timedelta(hours=1))
    try:
        call_command("participatie_run_jobs", "--job", "test_broken")
        call_command("participatie_run_jobs", "--job", "test_broken", "--force")
        run = JobRun.objects.get(name="test_broken")
        assert "kapot" in run.error and run.finished_at is not None
        assert JobRun.objects.count() == 1  # only the job asked for
    finally:
        schedule._jobs.pop("test_broken")


def test_run_jobs_rejects_unknown_names_and_force_without_job():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No periodic job"):
        call_command("participatie_run_jobs", "--job", "nope")
    with pytest.raises(CommandError, match="--force needs --job"):
        call_command("participatie_run_jobs", "--force")


# --- The fault test: the scheduler process through a Redis restart -------------------------

REDIS_PORT = 7313


def _start_redis(tmp_path, port=REDIS_PORT):
    proc = subprocess.Popen(
        [shutil.which("redis-server"), "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise RuntimeError("redis-server did not start")


def _stop(proc):
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _wait_for(predicate, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def _subprocess_env(redis_url, settings_module="tests.projects.scheduler_settings"):
    db = connection.settings_dict
    env = {**os.environ, "REDIS_URL": redis_url, "DJANGO_SETTINGS_MODULE": settings_module}
    env["DATABASE_URL"] = f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    env["PYTHONPATH"] = str(ROOT)
    return env


@pytest.mark.redis
@pytest.mark.postgres
def test_scheduler_and_worker_keep_running_through_a_redis_restart(transactional_db, tmp_path):
    import redis
    from rq import Queue

    redis_url = f"redis://127.0.0.1:{REDIS_PORT}/0"
    server = _start_redis(tmp_path)
    env = _subprocess_env(redis_url)
    log = open(tmp_path / "scheduler.log", "w+")
    worker_log = open(tmp_path / "worker.log", "w+")
    scheduler = subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), "participatie_scheduler", "--tick", "0.3"],
        env=env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT,
    )
    worker = None
    try:
        conn = redis.Redis.from_url(redis_url)
        mail_queue = Queue("mail", connection=conn)
        # First tick: every job is due (never run) and lands on its queue.
        assert _wait_for(lambda: mail_queue.count >= 1), (tmp_path / "scheduler.log").read_text()

        _stop(server)
        # While Redis is away the due job runs in the scheduler itself: make one due again.
        JobRun.objects.filter(name="dialogues_release_unconfirmed").update(started_at=timezone.now() - datetime.timedelta(hours=1))
        assert _wait_for(lambda: JobRun.objects.get(name="dialogues_release_unconfirmed").finished_at is not None)
        time.sleep(1.5)  # a few ticks against a closed port
        assert scheduler.poll() is None, "the scheduler exited during the Redis outage"

        server = _start_redis(tmp_path)  # empty: --save "" keeps nothing
        conn = redis.Redis.from_url(redis_url)
        mail_queue = Queue("mail", connection=conn)
        JobRun.objects.filter(name="mail_retry_pending").update(started_at=timezone.now() - datetime.timedelta(hours=1))
        assert _wait_for(lambda: mail_queue.count >= 1), "no job was enqueued after Redis came back"
        assert scheduler.poll() is None

        # The worker: started against Redis, Redis restarts, it still runs the job afterwards.
        worker = subprocess.Popen(
            [sys.executable, str(ROOT / "manage.py"), "rqworker", "default", "mail", "--with-scheduler"],
            env=env, stdout=worker_log, stderr=subprocess.STDOUT, cwd=ROOT,
        )
        assert _wait_for(lambda: JobRun.objects.get(name="mail_retry_pending").finished_at is not None, 30)
        _stop(server)
        time.sleep(2)
        server = _start_redis(tmp_path)
        JobRun.objects.filter(name="mail_retry_pending").update(
            started_at=timezone.now() - datetime.timedelta(hours=1), finished_at=None
        )
        assert _wait_for(lambda: JobRun.objects.get(name="mail_retry_pending").finished_at is not None, 60), (
            "the worker did not run a job after the Redis restart\n" + (tmp_path / "worker.log").read_text()
        )
        assert worker.poll() is None and scheduler.poll() is None

        scheduler.send_signal(15)
        assert scheduler.wait(10) == 0, "SIGTERM should stop the scheduler cleanly"
        text = (tmp_path / "scheduler.log").read_text()
        assert "Traceback" not in text, text
        assert text.count("Redis unreachable") <= 2, "one log line per outage, not one per tick"
    finally:
        for proc in (scheduler, worker):
            if proc is not None:
                _stop(proc)
        _stop(server)
        log.close()
        worker_log.close()
