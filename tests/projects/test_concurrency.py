"""Races on PostgreSQL: double clicks on "follow", two notify jobs for one update."""

import threading

import pytest
from django.core import mail
from django.db import connection

from projects import services
from projects.models import OutgoingMail, ProjectFollow, UpdateNotification
from tests.projects.factories import ProjectPageFactory, ProjectUpdatePageFactory, UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _fresh_content_types():
    """A transactional test's flush recreates content types with new ids; forget the old ones."""
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()


def _run_together(target, n=6):
    barrier = threading.Barrier(n)
    errors = []

    def worker():
        try:
            barrier.wait()
            target()
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


def test_simultaneous_follows_make_one_row(site):
    project, user = ProjectPageFactory(), UserFactory()
    errors = _run_together(lambda: services.follow_create(project=project, user=user))
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

    errors = _run_together(lambda: services.update_notify_followers_job(update.pk), n=4)
    assert errors == []
    assert UpdateNotification.objects.get(update=update).recipients == 3
    assert sorted(OutgoingMail.objects.values_list("to", flat=True)) == sorted(u.email for u in followers)
