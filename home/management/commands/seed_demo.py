"""``manage.py seed_demo``: demo content for Gemeente Lindewaard. Idempotent."""

import logging

from django.core.management.base import BaseCommand
from django.test.utils import override_settings

from home.demo import concerns as demo_concerns
from home.demo import dialogues as demo_dialogues
from home.demo import geo as demo_geo
from home.demo import memory as demo_memory
from home.demo import projects as demo_projects
from home.demo import reactions as demo_reactions
from home.demo import success as demo_success
from home.demo import what_lives as demo_what_lives


class Command(BaseCommand):
    help = "Load demo content (Gemeente Lindewaard). Running it twice changes nothing."

    def handle(self, *args, **options):
        self.stdout.write("Demo-inhoud laden...")
        # Wagtail runs a task (search index, references) per saved page and logs each at INFO,
        # and logs every page created, edited and published: hundreds of lines that would hide
        # the demo logins below.
        loggers = [logging.getLogger(name) for name in ("django_tasks", "wagtail")]
        levels = [logger.level for logger in loggers]
        for logger in loggers:
            logger.setLevel(logging.WARNING)
        # The demo's notifications go to made-up residents; printed by the console backend they
        # would bury the logins too. They still pass through the outbox, into memory.
        try:
            with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
                projects = demo_projects.seed(stdout=self.stdout)
                demo_dialogues.seed(stdout=self.stdout, projects=projects)
                demo_geo.seed(stdout=self.stdout, projects=projects)
                demo_success.seed(stdout=self.stdout, projects=projects)
                demo_concerns.seed(stdout=self.stdout, projects=projects)
                demo_reactions.seed(stdout=self.stdout)
                demo_what_lives.seed(stdout=self.stdout)
                demo_memory.seed(stdout=self.stdout)  # last: the search indexes what the others made
        finally:
            for logger, level in zip(loggers, levels):
                logger.setLevel(level)
        self.stdout.write(self.style.SUCCESS("Klaar. Demo-accounts (wachtwoord: %s):" % demo_projects.DEMO_PASSWORD))
        for email, role, *_rest in demo_projects.DEMO_ACCOUNTS:
            self.stdout.write(f"  {email:<24} {role}")
