"""``manage.py seed_demo``: demo content for Gemeente Lindewaard. Idempotent."""

from django.core.management.base import BaseCommand

from home.demo import dialogues as demo_dialogues
from home.demo import geo as demo_geo
from home.demo import projects as demo_projects


class Command(BaseCommand):
    help = "Load demo content (Gemeente Lindewaard). Running it twice changes nothing."

    def handle(self, *args, **options):
        self.stdout.write("Demo-inhoud laden...")
        projects = demo_projects.seed(stdout=self.stdout)
        demo_dialogues.seed(stdout=self.stdout, projects=projects)
        demo_geo.seed(stdout=self.stdout, projects=projects)
        self.stdout.write(self.style.SUCCESS("Klaar. Demo-accounts (wachtwoord: %s):" % demo_projects.DEMO_PASSWORD))
        for email, role, *_rest in demo_projects.DEMO_ACCOUNTS:
            self.stdout.write(f"  {email:<24} {role}")
