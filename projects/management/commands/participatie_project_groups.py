"""``manage.py participatie_project_groups``: give every existing project its own editor group."""

from django.core.management.base import BaseCommand

from projects.models import ProjectPage
from projects.services import project_editor_group_ensure, project_editor_group_get


class Command(BaseCommand):
    help = 'Give every project its editor group "Redactie <projecttitel>" (new projects get one when created). Safe to run again.'

    def handle(self, *args, **options):
        for project in ProjectPage.objects.order_by("path"):
            existed = project_editor_group_get(project) is not None
            group = project_editor_group_ensure(project=project)
            self.stdout.write(f"{project.title}: {group.name}" + ("" if existed else " (nieuw)"))
