"""Wagtail's "Editors" group may add, change and view decisions (published on the results page)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAMES = ["add_decision", "change_decision", "view_decision"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("projects")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name="Editors").first()
    if group is not None:  # a host site without Wagtail's default groups keeps its own setup
        group.permissions.add(*Permission.objects.filter(content_type__app_label="projects", codename__in=CODENAMES))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name="Editors").first()
    if group is not None:
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="projects", codename__in=CODENAMES))


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0004_results_publication_mailed_at"),
        ("wagtailcore", "0002_initial_data"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
