"""Races on PostgreSQL: double clicks on "follow", two notify jobs for one update."""


import pytest
from django.core import mail

from projects import services
from projects.models import OutgoingMail, ProjectFollow, UpdateNotification
from tests.concurrency import run_concurrently
from tests.projects.factories import ProjectPageFactory, ProjectUpdatePageFactory, UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]




def test_simultaneous_follows_make_one_row(site):
    project, user = ProjectPageFactory(), UserFactory()
    errors = run_concurrently([lambda: services.follow_create(project=project, user=user)] * 6)
    assert errors == []
    assert ProjectFollow.objects.filter(project=project, user=user).count() == 1


def test_two_notify_jobs_send_each_mail_once(site, settings):
    settings.RQ_QUEUES = {name: {**conf, "ASYNC": False} for name, conf in settings.RQ_QUEUES.items()}
    project = ProjectPageFactory()
    followers = [UserFactory() for _ in range(3)]
    for user in followers:
        services.follow_create(project=project, user=user)
    update = ProjectUpdatePageFactory(parent=project)
    # The publication's own job already ran after commit; start from "not yet notified".
    UpdateNotification.objects.all().delete()
    OutgoingMail.objects.all().delete()
    mail.outbox.clear()

    errors = run_concurrently([lambda: services.update_notify_followers_job(update.pk)] * 4)
    assert errors == []
    assert UpdateNotification.objects.get(update=update).recipients == 3
    assert sorted(OutgoingMail.objects.values_list("to", flat=True)) == sorted(u.email for u in followers)
