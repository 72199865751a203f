import pytest
from django.core import mail, signing
from django.urls import reverse

from projects import services
from projects.models import OutgoingMail, ProjectFollow, UpdateNotification
from tests.projects.factories import ProjectPageFactory, ProjectUpdatePageFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(home_page):
    return ProjectPageFactory(title="Groen Schoneveld")


def test_follow_create_is_idempotent(project):
    user = UserFactory()
    first = services.follow_create(project=project, user=user)
    second = services.follow_create(project=project, user=user)
    assert first.pk == second.pk
    assert ProjectFollow.objects.filter(project=project).count() == 1


def test_follow_delete_only_removes_that_users_follow(project):
    anna, bert = UserFactory(), UserFactory()
    services.follow_create(project=project, user=anna)
    services.follow_create(project=project, user=bert)
    services.follow_delete(project=project, user=anna)
    assert list(ProjectFollow.objects.values_list("user", flat=True)) == [bert.pk]


def test_token_round_trip_and_tampering(project):
    follow = services.follow_create(project=project, user=UserFactory())
    token = services.follow_token(follow)
    assert services.follow_from_token(token) == follow
    assert services.follow_from_token(token[:-2] + "xx") is None
    # Signed for another purpose (other salt): refused.
    assert services.follow_from_token(signing.dumps({"f": follow.pk})) is None
    follow.delete()
    assert services.follow_from_token(token) is None


def _publish_update(project, django_capture_on_commit_callbacks, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        return ProjectUpdatePageFactory(parent=project, **kwargs)


def test_publishing_an_update_mails_each_active_follower_once(project, django_capture_on_commit_callbacks):
    anna, bert = UserFactory(), UserFactory()
    gone = UserFactory(is_active=False)
    for user in (anna, bert, gone):
        services.follow_create(project=project, user=user)
    other_project = ProjectPageFactory()
    services.follow_create(project=other_project, user=UserFactory())

    update = _publish_update(project, django_capture_on_commit_callbacks, title="De bomen staan er", intro="Twaalf nieuwe bomen.")

    assert sorted(m.to[0] for m in mail.outbox) == sorted([anna.email, bert.email])
    message = mail.outbox[0]
    assert message.subject == "Nieuws over Groen Schoneveld"
    assert "De bomen staan er" in message.body and "Twaalf nieuwe bomen." in message.body
    html = message.alternatives[0][0]
    assert "De bomen staan er" in html and "http://testserver" + update.url in html
    assert UpdateNotification.objects.get(update=update).recipients == 2

    # Publishing it again (an edit) sends nothing.
    with django_capture_on_commit_callbacks(execute=True):
        update.title = "De bomen staan er (aangepast)"
        update.save_revision().publish()
    assert len(mail.outbox) == 2
    assert services.update_notify_followers(update=update) == 0


def test_each_mail_has_its_own_working_unsubscribe_link(project, django_capture_on_commit_callbacks, client):
    anna, bert = UserFactory(), UserFactory()
    services.follow_create(project=project, user=anna)
    services.follow_create(project=project, user=bert)
    _publish_update(project, django_capture_on_commit_callbacks)
    by_user = {m.to[0]: m for m in mail.outbox}
    link = next(line for line in by_user[anna.email].body.splitlines() if "/volgen/stoppen/" in line).strip()
    assert link.startswith("http://testserver/")
    assert link not in by_user[bert.email].body
    # Without logging in: GET asks to confirm, POST unsubscribes only Anna.
    path = link.removeprefix("http://testserver")
    assert client.get(path).status_code == 200
    assert ProjectFollow.objects.filter(user=anna).exists()
    client.post(path)
    assert not ProjectFollow.objects.filter(user=anna).exists()
    assert ProjectFollow.objects.filter(user=bert).exists()


def test_plain_text_mail_is_not_html_escaped_but_html_mail_is(home_page, django_capture_on_commit_callbacks):
    project = ProjectPageFactory(title="Groen & Blauw")
    services.follow_create(project=project, user=UserFactory())
    _publish_update(project, django_capture_on_commit_callbacks, title="Bomen <en> struiken", intro="Wat & waar")
    message = mail.outbox[0]
    assert message.subject == "Nieuws over Groen & Blauw"
    assert "Bomen <en> struiken" in message.body and "Wat & waar" in message.body
    html = message.alternatives[0][0]
    assert "Bomen &lt;en&gt; struiken" in html and "<en>" not in html


def test_mail_is_stored_before_delivery(project, django_capture_on_commit_callbacks, settings):
    """A broken mail server delays the update mail but never loses it."""
    settings.EMAIL_BACKEND = "tests.projects.test_mail.BrokenBackend"
    services.follow_create(project=project, user=UserFactory())
    _publish_update(project, django_capture_on_commit_callbacks)
    stored = OutgoingMail.objects.get()
    assert stored.status == OutgoingMail.Status.PENDING and stored.attempts == 1


def test_job_skips_an_update_that_was_unpublished_meanwhile(project, django_capture_on_commit_callbacks):
    services.follow_create(project=project, user=UserFactory())
    update = ProjectUpdatePageFactory(parent=project)  # callbacks not run: the job did not run yet
    update.unpublish()
    assert services.update_notify_followers_job(update.pk) == 0
    assert mail.outbox == [] and not UpdateNotification.objects.exists()


@pytest.mark.redis
def test_update_mail_goes_through_the_real_worker(project, rq_async, django_capture_on_commit_callbacks):
    import django_rq

    user = UserFactory()
    services.follow_create(project=project, user=user)
    update = _publish_update(project, django_capture_on_commit_callbacks, title="Via de worker")
    assert mail.outbox == []  # nothing sent during the request
    assert django_rq.get_queue("default").count == 1
    with django_capture_on_commit_callbacks(execute=True):
        rq_async()  # the notify job stores the mail; delivery is queued on commit
    assert mail.outbox == [] and django_rq.get_queue("mail").count == 1
    rq_async()  # the mail job delivers
    assert [m.to for m in mail.outbox] == [[user.email]]
    assert OutgoingMail.objects.get().status == OutgoingMail.Status.SENT
    assert UpdateNotification.objects.get(update=update).recipients == 1
    assert reverse("projects:unfollow_token", args=["x"]).split("x")[0] in mail.outbox[0].body
