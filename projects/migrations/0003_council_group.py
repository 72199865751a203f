"""The "Raadsleden" group: council members read the council view and may not edit anything."""

from django.db import migrations

COUNCIL_GROUP = "Raadsleden"


def create_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    group, _created = Group.objects.get_or_create(name=COUNCIL_GROUP)
    group.permissions.clear()  # read-only: no admin access, no edit rights


def noop(apps, schema_editor):
    """Keep the group on reverse: users may already be in it."""


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0002_policy_results_reports"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_group, noop)]
