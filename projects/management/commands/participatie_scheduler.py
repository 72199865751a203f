"""The long-running scheduler: every tick, put due periodic jobs on their RQ queue.

Redis being unreachable is expected now and then (a restart, a failover): the scheduler logs
one line when it goes and one when it is back, and meanwhile runs due jobs in this process,
so seat holds are still released and mail is still retried. It never exits on a connection
error; SIGTERM or SIGINT stop it after the current tick.
"""

from __future__ import annotations

import logging
import signal
import threading

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from projects.conf import plugin_setting
from projects.jobs import queue_is_async
from projects.schedule import job_claim, job_execute, job_list

logger = logging.getLogger("projects.scheduler")


class Command(BaseCommand):
    help = "Run the periodic jobs forever: enqueue due jobs on RQ, or run them here when Redis is away."

    def add_arguments(self, parser):
        parser.add_argument("--tick", type=float, default=None, help="seconds between ticks (default: SCHEDULER_TICK_SECONDS)")

    def handle(self, *args, tick=None, **options):
        tick = float(tick if tick is not None else plugin_setting("SCHEDULER_TICK_SECONDS"))
        stop = threading.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stop.set())
        self.redis_down = False
        logger.info("Scheduler started: %d jobs, a tick every %.1f s", len(job_list()), tick)
        while not stop.is_set():
            try:
                self.tick()
            except Exception:  # noqa: BLE001 - e.g. the database restarting: try again next tick
                logger.exception("Scheduler tick failed; trying again in %.1f s", tick)
            stop.wait(tick)
        logger.info("Scheduler stopped")

    def tick(self):
        close_old_connections()
        for job in job_list():
            if job_claim(job):
                self.dispatch(job)

    def dispatch(self, job):
        if not queue_is_async(job.queue):
            job_execute(job.name)
            return
        import django_rq
        from redis.exceptions import RedisError

        try:
            django_rq.get_queue(job.queue).enqueue(job_execute, job.name)
        except RedisError as exc:
            if not self.redis_down:
                logger.warning("Redis unreachable (%s): running due jobs in the scheduler until it is back", exc)
                self.redis_down = True
            job_execute(job.name)
            return
        if self.redis_down:
            logger.warning("Redis is back: due jobs go to the queues again")
            self.redis_down = False
        logger.info("Enqueued %s on %s", job.name, job.queue)
