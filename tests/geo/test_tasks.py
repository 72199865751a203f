import pytest
from django.core import mail

from geo import services, tasks
from geo.models import Initiative
from projects.models import OutgoingMail
from tests.geo.factories import InitiativeFactory
from tests.projects.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_notify_job_for_missing_change_does_nothing():
    assert tasks.status_change_notify(987654) == 0


def test_notify_skips_erased_submitter(site, moderator):
    initiative = InitiativeFactory(submitter=None)
    change = services.initiative_set_status(initiative=initiative, to_status="in_behandeling", answer="Wij kijken.", by=moderator)
    assert tasks.status_change_notify(change.pk) == 0


def test_nightly_rebuild_repairs_cells(site):
    InitiativeFactory(lat=52.03, lon=5.17)
    Initiative.objects.update(lat=52.04)  # a bulk change that bypassed the services
    tasks.map_cells_rebuild()
    from geo.models import MapCell

    assert MapCell.objects.get(level=18, dim="").sum_lat == pytest.approx(52.04)


@pytest.mark.redis
def test_status_mail_goes_through_the_real_worker(site, moderator, rq_async, django_capture_on_commit_callbacks):
    import django_rq

    submitter = UserFactory(username="indiener")
    initiative = InitiativeFactory(submitter=submitter)
    with django_capture_on_commit_callbacks(execute=True):
        services.initiative_set_status(initiative=initiative, to_status="overgenomen", answer="Het bankje komt er.", by=moderator)
    assert mail.outbox == [] and django_rq.get_queue("default").count == 1  # nothing sent in the request
    with django_capture_on_commit_callbacks(execute=True):
        rq_async()  # the notify job stores the mail; delivery is queued on commit
    rq_async()  # the mail job delivers
    assert [m.to for m in mail.outbox] == [[submitter.email]]
    assert "Het bankje komt er." in mail.outbox[0].body
    assert OutgoingMail.objects.get(to=submitter.email).status == OutgoingMail.Status.SENT
