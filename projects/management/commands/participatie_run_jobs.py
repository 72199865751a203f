"""Run every due periodic job once, in-process, and exit: for cron or a Kubernetes CronJob."""

from django.core.management.base import BaseCommand, CommandError

from projects.schedule import job_get, jobs_run_due


class Command(BaseCommand):
    help = "Run every periodic job that is due, once, in this process (for cron instead of the scheduler)."

    def add_arguments(self, parser):
        parser.add_argument("--job", action="append", dest="jobs", metavar="NAME", help="only this job (repeatable)")
        parser.add_argument("--force", action="store_true", help="run even if not due (with --job)")

    def handle(self, *args, jobs=None, force=False, **options):
        if force and not jobs:
            raise CommandError("--force needs --job NAME: forcing every job at once is never what you want.")
        try:
            for name in jobs or ():
                job_get(name)
        except KeyError as exc:
            raise CommandError(exc.args[0]) from exc
        ran = jobs_run_due(names=jobs, force=force)
        self.stdout.write(f"Ran {len(ran)} job(s): {', '.join(ran) or '-'}")
