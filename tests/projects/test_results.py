"""'Wat is er met uw inbreng gedaan': the page, decisions in the admin, and publishing results."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.utils import timezone
from wagtail.models import GroupPagePermission

from projects.models import Decision, ProjectFollow, ResultsPublication
from projects.reports import AlreadyPublished, results_publish
from tests.projects.factories import ProjectPageFactory, UserFactory
from tests.projects.sources_fake import (  # noqa: F401 (fixtures)
    contact, fake_source, initiative, only_fake_sources, outcome, session,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(site, fake_source):
    project = ProjectPageFactory(title="Groen Oost")
    fake_source.set(
        project,
        activities=[session("Dialoogavond", start_days=-10, published_days=-8)],
        inputs=[
            outcome("Dialoogavond", days=-10, answer="Iedereen wil meer bomen.",
                    agreements=({"what": "Bomenplan maken", "who": "Wijkteam", "due": "1 maart", "status": "open",
                                 "status_label": "Loopt"},)),
            initiative("Moestuin", status="overgenomen", status_label="Overgenomen", answer="De moestuin komt er.", answered_days=-1),
            initiative("Hondenveld <script>", status="ingediend", status_label="Ingediend"),
        ],
        contacts=[contact("Ann@Example.org", "Ann"), contact("ann@example.org"), contact("bob@example.org")],
    )
    return project


def test_results_page_shows_decisions_outcomes_and_answers(client, project):
    Decision.objects.create(project=project, title="Er komen 40 bomen", decided_on=timezone.localdate(),
                            reasoning="Omdat bewoners dat vroegen.", published=True)
    response = client.get(f"/projecten/{project.pk}/resultaten/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Wat is er met uw inbreng gedaan?" in html
    assert "Er komen 40 bomen" in html and "Omdat bewoners dat vroegen." in html
    assert "Iedereen wil meer bomen." in html and "Bomenplan maken" in html and "Loopt" in html
    assert "De moestuin komt er." in html
    assert "Initiatief: nog geen antwoord van de gemeente." in html
    assert "Hondenveld &lt;script&gt;" in html and "<script>" not in html.split("Hondenveld")[1][:20]


def test_results_page_is_paged(client, site, fake_source):
    project = ProjectPageFactory()
    fake_source.set(project, inputs=[initiative(f"Idee {i:03d}", submitted_days=-i - 1) for i in range(60)])
    first = client.get(f"/projecten/{project.pk}/resultaten/").content.decode()
    second = client.get(f"/projecten/{project.pk}/resultaten/?pagina=2").content.decode()
    assert "Idee 000" in first and "Idee 059" not in first
    assert "Idee 059" in second and "Pagina 2 van 2" in second
    assert client.get(f"/projecten/{project.pk}/resultaten/?pagina=abc").status_code == 200


def test_publish_emails_consenting_participants_and_followers_once(project, django_capture_on_commit_callbacks):
    follower = UserFactory(email="volger@example.org")
    ProjectFollow.objects.create(project=project, user=follower)
    ProjectFollow.objects.create(project=project, user=UserFactory(email="BOB@example.org"))  # also a participant
    with django_capture_on_commit_callbacks(execute=True):
        publication = results_publish(project=project, message="Het plan is klaar.", expected_number=0)
    recipients = sorted(m.to[0].lower() for m in mail.outbox)
    assert recipients == ["ann@example.org", "bob@example.org", "volger@example.org"]
    publication.refresh_from_db()
    assert publication.recipients == 3 and publication.number == 1 and publication.mailed_at is not None
    assert f"/projecten/{project.pk}/resultaten/" in mail.outbox[0].body
    assert "Het plan is klaar." in mail.outbox[0].body
    assert "Groen Oost" in mail.outbox[0].subject


def test_only_consented_participants_get_mail(site, fake_source, django_capture_on_commit_callbacks):
    # The protocol's participant_contacts() returns only those who consented; someone who did
    # not consent is simply not there, so nobody else is mailed.
    project = ProjectPageFactory()
    fake_source.set(project, contacts=[contact("ja@example.org")])
    with django_capture_on_commit_callbacks(execute=True):
        results_publish(project=project)
    assert [m.to for m in mail.outbox] == [["ja@example.org"]]


def test_double_click_mails_no_one_twice(project, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        results_publish(project=project, expected_number=0)
    sent = len(mail.outbox)
    with pytest.raises(AlreadyPublished):
        results_publish(project=project, expected_number=0)
    assert len(mail.outbox) == sent
    assert ResultsPublication.objects.filter(project=project).count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        second = results_publish(project=project, expected_number=1)
    assert second.number == 2 and len(mail.outbox) == 2 * sent


def test_admin_publish_and_freeze(admin_client, project, django_capture_on_commit_callbacks, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    page = admin_client.get(f"/admin/participatie/project/{project.pk}/resultaten/")
    assert page.status_code == 200
    assert "Resultaten publiceren" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(f"/admin/participatie/project/{project.pk}/publiceren/",
                                     {"expected_number": "0", "message": ""})
    assert response.status_code == 302
    assert len(mail.outbox) == 2
    again = admin_client.post(f"/admin/participatie/project/{project.pk}/publiceren/", {"expected_number": "0"}, follow=True)
    assert "net al gepubliceerd" in again.content.decode()
    assert len(mail.outbox) == 2
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(f"/admin/participatie/project/{project.pk}/vaststellen/")
    assert project.reports.get().version == 1


def test_editor_without_page_permission_cannot_publish(client, project):
    editor = UserFactory(is_staff=True)
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    assert client.get(f"/admin/participatie/project/{project.pk}/resultaten/").status_code in (302, 403)
    assert client.post(f"/admin/participatie/project/{project.pk}/publiceren/", {"expected_number": "0"}).status_code in (302, 403)
    assert not ResultsPublication.objects.exists()


def test_editor_with_page_permission_can_open_results(client, project):
    group = Group.objects.create(name="Redactie Groen Oost")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    GroupPagePermission.objects.create(group=group, page=project, permission=Permission.objects.get(codename="change_page"))
    editor = UserFactory()
    editor.groups.add(group)
    client.force_login(editor)
    assert client.get(f"/admin/participatie/project/{project.pk}/resultaten/").status_code == 200


def test_decision_admin_viewset(admin_client, project):
    response = admin_client.post("/admin/decisions/new/", {
        "project": project.pk, "phase": "", "title": "Het plein wordt groen", "decided_on": "2026-11-20",
        "reasoning": "Zo vroegen de bewoners.", "published": "on",
    })
    assert response.status_code == 302
    assert Decision.objects.get().title == "Het plein wordt groen"
    assert admin_client.get("/admin/decisions/").status_code == 200


def test_decision_phase_must_belong_to_the_project(site, fake_source):
    from django.core.exceptions import ValidationError

    from tests.projects.factories import phase

    day = timezone.localdate()
    other = ProjectPageFactory(phases=[phase("dialoog", "Dialoog", day, day)])
    project = ProjectPageFactory()
    decision = Decision(project=project, phase=other.phases.get(), title="x", decided_on=day, reasoning="y")
    with pytest.raises(ValidationError) as error:
        decision.full_clean()
    assert "phase" in error.value.message_dict


def test_decision_protects_project_from_deletion(project):
    from django.db.models import ProtectedError

    Decision.objects.create(project=project, title="x", decided_on=timezone.localdate(), reasoning="y")
    with pytest.raises(ProtectedError):
        project.delete()


def test_project_page_links_to_results_and_report(client, project):
    html = client.get(project.url).content.decode()
    assert f"/projecten/{project.pk}/resultaten/" in html
    assert f"/projecten/{project.pk}/verslag/" in html


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_publish_clicks_mail_once(site, fake_source):
    import threading

    from django.db import connection

    from projects.models import OutgoingMail

    project = ProjectPageFactory()
    fake_source.set(project, contacts=[contact("a@example.org"), contact("b@example.org")])
    barrier = threading.Barrier(2)
    outcomes = []

    def click():
        try:
            barrier.wait()
            results_publish(project=project, expected_number=0)
            outcomes.append("published")
        except AlreadyPublished:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=click) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["published", "refused"]
    assert ResultsPublication.objects.filter(project=project).count() == 1
    assert OutgoingMail.objects.count() == 2


def test_publication_mail_job_runs_once(project, django_capture_on_commit_callbacks):
    from projects.reports import results_publication_mail

    with django_capture_on_commit_callbacks(execute=True):
        publication = results_publish(project=project)
    assert len(mail.outbox) == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert results_publication_mail(publication.pk) == 0  # a retry or a second worker: nothing left
    assert len(mail.outbox) == 2


def test_sweep_finishes_a_lost_publication_and_pdf(project, django_capture_on_commit_callbacks, settings, tmp_path):
    import datetime

    from projects.models import OutgoingMail, ParticipationReport
    from projects.reports import report_freeze
    from projects.tasks import results_sweep

    settings.MEDIA_ROOT = tmp_path
    # The jobs are lost: the on-commit callbacks never run (as when Redis was down).
    with django_capture_on_commit_callbacks(execute=False):
        publication = results_publish(project=project)
        report = report_freeze(project=project)
    assert not OutgoingMail.objects.exists() and not ParticipationReport.objects.get(pk=report.pk).pdf
    with django_capture_on_commit_callbacks(execute=True):
        assert results_sweep(older_than=datetime.timedelta(0)) == 2
    publication.refresh_from_db()
    assert publication.mailed_at is not None and publication.recipients == 2
    assert sorted(OutgoingMail.objects.values_list("to", flat=True)) == ["Ann@Example.org", "bob@example.org"]
    assert ParticipationReport.objects.get(pk=report.pk).pdf
    with django_capture_on_commit_callbacks(execute=True):
        assert results_sweep(older_than=datetime.timedelta(0)) == 0


def test_wagtail_editors_manage_decisions(client, site):
    from django.contrib.auth.models import Group

    editor = UserFactory(is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    assert client.get("/admin/decisions/").status_code == 200
    assert client.get("/admin/decisions/new/").status_code == 200
