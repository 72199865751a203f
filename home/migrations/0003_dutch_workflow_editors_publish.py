"""The demo's publishing default: editors publish; two-person approval is there to switch on.

Wagtail's migrations make a workflow "Moderators approval" on the root page, approved by the
group "Moderators", which has nobody in it here, and give "Editors" no publish right, so every
publish needed the superuser. The demo municipality lets editors publish: the group "Editors"
(all projects) publishes and locks pages, and each project's own group "Redactie …" does so on
its project (projects.services.project_editor_group_ensure). The workflow gets a Dutch name,
its task is done by "Editors", and it is detached from the pages; a municipality that wants
two-person approval assigns it to pages again (see the README, "Who can do what").
"""

from django.db import migrations

OLD_NAME = "Moderators approval"
NEW_NAME = "Goedkeuring door een tweede redacteur"


def forwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Page = apps.get_model("wagtailcore", "Page")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    Task = apps.get_model("wagtailcore", "Task")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")

    editors = Group.objects.filter(name="Editors").first()
    root = Page.objects.filter(depth=1).order_by("path").first()
    if editors is not None and root is not None:
        for codename in ("publish_page", "lock_page"):
            permission = Permission.objects.filter(content_type__app_label="wagtailcore", codename=codename).first()
            if permission is not None:
                GroupPagePermission.objects.get_or_create(group=editors, page=root, permission=permission)
    for workflow in Workflow.objects.filter(name=OLD_NAME):
        workflow.name = NEW_NAME
        workflow.save(update_fields=["name"])
        WorkflowPage.objects.filter(workflow=workflow).delete()
    for task in GroupApprovalTask.objects.filter(name=OLD_NAME):
        Task.objects.filter(pk=task.pk).update(name=NEW_NAME)
        if editors is not None:
            task.groups.set([editors])


def backwards(apps, schema_editor):
    """Keep the rights and names: pages may have been published under them since."""


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0002_create_homepage"),
        ("wagtailcore", "0048_add_default_workflows"),
        ("wagtailcore", "0094_alter_page_locale"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
