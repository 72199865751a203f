"""The "Moderatoren" group: may use the admin and moderate, answer and manage initiatives."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GEO_CODENAMES = [
    "moderate_initiative", "view_initiative", "change_initiative",
    "add_theme", "change_theme", "delete_theme", "view_theme", "view_area",
]


def create_group(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Moderatoren")
    perms = list(Permission.objects.filter(content_type__app_label="geo", codename__in=GEO_CODENAMES))
    perms += list(Permission.objects.filter(content_type__app_label="wagtailadmin", codename="access_admin"))
    group.permissions.add(*perms)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Moderatoren").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("geo", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
