"""Redis down (cache and queues on a port nobody listens on): pages answer and input is kept."""

import socket
import subprocess
import sys
import time
from email import message_from_bytes
from email.header import decode_header, make_header
from pathlib import Path

import pytest
from django.test import override_settings

from dialogues import services
from dialogues.models import Registration
from projects.models import OutgoingMail
from tests.dialogues.factories import DialogueRoundPageFactory, DialogueSessionFactory, registration_data
from tests.geo.conftest import houten, moderator, resident  # noqa: F401 - fixtures shared with the geo tests
from tests.geo.factories import InitiativeFactory, ThemeFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def redis_down(settings):
    url = f"redis://127.0.0.1:{_closed_port()}/0"
    with override_settings(
        CACHES={"default": {"BACKEND": "projects.cache.ResilientRedisCache", "LOCATION": url}},
        RQ_QUEUES={name: {"URL": url, "DEFAULT_TIMEOUT": 60, "ASYNC": True} for name in ("default", "mail")},
    ):
        yield url


def test_registration_create_commits_with_its_mail_pending(site, redis_down, django_capture_on_commit_callbacks):
    session = DialogueSessionFactory(round=DialogueRoundPageFactory())
    with django_capture_on_commit_callbacks(execute=True):
        registration = services.registration_create(session_id=session.pk, **registration_data())
    assert Registration.objects.filter(pk=registration.pk).exists()
    mail = OutgoingMail.objects.get(to="fatima@example.org")
    assert mail.status == OutgoingMail.Status.PENDING


def test_round_page_answers_200(site, redis_down, client):
    round_page = DialogueRoundPageFactory()
    assert client.get("/").status_code == 200
    assert client.get(round_page.url).status_code == 200


@pytest.fixture
def plain_redis_down():
    """Django's own RedisCache (no degrading wrapper) on a closed port: every cache call raises."""
    url = f"redis://127.0.0.1:{_closed_port()}/0"
    return override_settings(
        CACHES={"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}},
        RQ_QUEUES={name: {"URL": url, "DEFAULT_TIMEOUT": 60, "ASYNC": True} for name in ("default", "mail")},
    )


def test_plain_redis_cache_down_cannot_roll_back_a_registration_or_an_initiative(
    houten, resident, plain_redis_down, django_capture_on_commit_callbacks
):
    from django.core.cache import cache
    from geo import services as geo_services
    from geo.models import Initiative

    session = DialogueSessionFactory(round=DialogueRoundPageFactory())
    theme = ThemeFactory(name="Groen")
    with plain_redis_down:
        with pytest.raises(Exception):  # noqa: B017 - proves the cache really is unreachable
            cache.get("probe")
        with django_capture_on_commit_callbacks(execute=True):
            registration = services.registration_create(session_id=session.pk, **registration_data())
        with django_capture_on_commit_callbacks(execute=True):
            initiative = geo_services.initiative_create(
                submitter=resident, title="Bankje bij de speeltuin", description="Graag een bankje.",
                theme=theme, lat=52.03, lon=5.17,
            )
    assert Registration.objects.filter(pk=registration.pk).exists()
    assert Initiative.objects.filter(pk=initiative.pk).exists()
    confirmation = OutgoingMail.objects.get(to="fatima@example.org")
    assert confirmation.status == OutgoingMail.Status.PENDING
    assert session.round.url in confirmation.body_text  # the round link was still computed
    assert OutgoingMail.objects.get(to=resident.email).status == OutgoingMail.Status.PENDING


def test_plain_redis_cache_down_cannot_roll_back_the_rest_of_the_write_path(
    houten, resident, moderator, plain_redis_down, django_capture_on_commit_callbacks
):
    from dialogues.models import RegistrationStatus
    from geo import services as geo_services
    from geo.models import StatusChange, Support
    from projects import services as project_services
    from projects.models import ProjectFollow

    session = DialogueSessionFactory(round=DialogueRoundPageFactory())
    project = session.round.get_parent().specific
    initiative = InitiativeFactory()
    with plain_redis_down, django_capture_on_commit_callbacks(execute=True):
        first = services.registration_create(session_id=session.pk, **registration_data(email="a@example.org"))
        second = services.registration_create(session_id=session.pk, **registration_data(email="b@example.org"))
        services.registration_confirm(registration_id=first.pk)
        services.registration_cancel(registration_id=second.pk)
        assert geo_services.support_add(initiative=initiative, user=resident) is True
        project_services.follow_create(project=project, user=resident)
        geo_services.initiative_set_status(initiative=initiative, to_status="in_behandeling", answer="We kijken ernaar.", by=moderator)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (RegistrationStatus.CONFIRMED, RegistrationStatus.CANCELLED)
    assert Support.objects.filter(initiative=initiative, user=resident).exists()
    assert ProjectFollow.objects.filter(project=project, user=resident).exists()
    assert StatusChange.objects.filter(initiative=initiative, to_status="in_behandeling").exists()
    # Confirmation and cancellation mail carry the round link and wait in the outbox.
    for mail in OutgoingMail.objects.filter(to__in=["a@example.org", "b@example.org"]):
        assert mail.status == OutgoingMail.Status.PENDING and session.round.url in mail.body_text
    assert OutgoingMail.objects.filter(to__in=["a@example.org", "b@example.org"]).count() >= 3


# --- The real parts: a private redis-server stopped and started, a worker, the scheduler, SMTP ---

OUTAGE_REDIS_PORT = 7808
OUTAGE_SMTP_PORT = 7809


class Recorder:
    """aiosmtpd handler that keeps (recipient, subject) of every accepted message."""

    def __init__(self):
        self.received: list[tuple[str, str]] = []

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content)
        subject = str(make_header(decode_header(message["Subject"])))
        self.received.extend((rcpt, subject) for rcpt in envelope.rcpt_tos)
        return "250 Message accepted for delivery"


def _log_tail(*paths) -> str:
    return "\n".join(f"--- {p.name}\n{p.read_text()[-3000:]}" for p in paths if p.exists())


@pytest.mark.redis
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_redis_stopped_pages_answer_input_is_kept_and_mail_arrives_once_after_it_returns(
    transactional_db, houten, resident, client, settings, tmp_path
):
    from aiosmtpd.controller import Controller
    from geo.models import Initiative

    from tests.projects.test_scheduler import _start_redis, _stop, _subprocess_env, _wait_for

    redis_url = f"redis://127.0.0.1:{OUTAGE_REDIS_PORT}/0"
    settings.CACHES = {"default": {"BACKEND": "projects.cache.ResilientRedisCache", "LOCATION": redis_url}}
    settings.RQ_QUEUES = {name: {"URL": redis_url, "DEFAULT_TIMEOUT": 60, "ASYNC": True} for name in ("default", "mail")}
    server = _start_redis(tmp_path, port=OUTAGE_REDIS_PORT)
    smtp = Recorder()
    controller = Controller(smtp, hostname="127.0.0.1", port=OUTAGE_SMTP_PORT)
    worker = scheduler = None
    smtp_started = False
    logs = [tmp_path / "worker.log", tmp_path / "scheduler.log"]
    log_files = [open(path, "w") for path in logs]
    try:
        round_page = DialogueRoundPageFactory()
        session = DialogueSessionFactory(round=round_page)
        theme = ThemeFactory(name="Groen")
        project = round_page.get_parent()
        assert client.get(round_page.url).status_code == 200  # warms the cache while Redis is up

        # (a) Redis goes away.
        _stop(server)
        register_url = f"/dialoog/sessie/{session.pk}/aanmelden/"
        for url in ("/", project.url, round_page.url, register_url, "/initiatief/kaart/"):
            assert client.get(url).status_code == 200, url
        form = {"name": "Jan de Boer", "email": "jan@example.org", "stakeholder_group": "Bewoner", "consent": "on"}
        assert client.post(register_url, form).status_code == 302
        client.force_login(resident)
        initiative_form = {"title": "Bankje bij de speeltuin", "description": "Graag een bankje.", "theme": theme.pk,
                           "address": "", "lat": "52.03", "lon": "5.17"}
        assert client.post("/initiatief/nieuw/", initiative_form).status_code == 302
        assert Registration.objects.filter(session=session, email="jan@example.org").exists()
        assert Initiative.objects.filter(submitter=resident, title="Bankje bij de speeltuin").exists()
        pending = {m.to: m for m in OutgoingMail.objects.all()}
        assert set(pending) == {"jan@example.org", resident.email}
        assert {m.status for m in pending.values()} == {OutgoingMail.Status.PENDING}

        # (b) Redis returns (empty: the delivery jobs queued during the outage never got there).
        server = _start_redis(tmp_path, port=OUTAGE_REDIS_PORT)
        controller.start()
        smtp_started = True
        env = {**_subprocess_env(redis_url, "tests.faults.outage_settings"), "TEST_SMTP_PORT": str(OUTAGE_SMTP_PORT)}
        worker = subprocess.Popen(
            [sys.executable, str(ROOT / "manage.py"), "rqworker", "default", "mail", "--with-scheduler"],
            env=env, stdout=log_files[0], stderr=subprocess.STDOUT, cwd=ROOT,
        )
        scheduler = subprocess.Popen(
            [sys.executable, str(ROOT / "manage.py"), "participatie_scheduler", "--tick", "0.3"],
            env=env, stdout=log_files[1], stderr=subprocess.STDOUT, cwd=ROOT,
        )
        recipients = {"jan@example.org", resident.email}
        assert _wait_for(lambda: {rcpt for rcpt, _ in smtp.received} >= recipients, 60), _log_tail(*logs)
        time.sleep(2)  # several scheduler ticks more: nothing is sent a second time
        assert sorted(rcpt for rcpt, _ in smtp.received) == sorted(recipients), smtp.received
        assert set(OutgoingMail.objects.values_list("status", flat=True)) == {OutgoingMail.Status.SENT}
        assert worker.poll() is None and scheduler.poll() is None, _log_tail(*logs)
    finally:
        for proc in (scheduler, worker):
            if proc is not None:
                _stop(proc)
        _stop(server)
        if smtp_started:
            controller.stop()
        for f in log_files:
            f.close()


def test_new_public_pages_answer_and_a_top3_and_a_reaction_are_kept(site, redis_down, client, resident):  # noqa: F811
    """Issue 11's pages and forms with Redis down: the search, Wat leeft er and the Top-3 form
    answer; a Top-3 (its rate limit counts in the cache) and a reaction are committed."""
    from concerns.models import Submission
    from geo.models import Reaction
    from tests.concerns.factories import AreaFactory
    from tests.concerns.test_views import form_data

    wijk = AreaFactory(code="WK999903", name="Oostwijk")
    themes = {name: ThemeFactory(name=name) for name in ("Groen", "Verkeer")}
    for path in ("/zoeken/?q=bomen", "/wat-leeft-er/", f"/wat-leeft-er/{wijk.code}/", "/wat-houdt-u-bezig/"):
        assert client.get(path).status_code == 200, path
    response = client.post("/wat-houdt-u-bezig/", form_data(wijk, themes, email="sanne@example.org"))
    assert response.status_code == 302
    assert Submission.objects.filter(email="sanne@example.org").exists()
    initiative = InitiativeFactory()
    client.force_login(resident)
    response = client.post(f"/initiatief/{initiative.pk}/reageren/", {"reactie-body": "Goed plan, ik help mee."})
    assert response.status_code == 302
    assert Reaction.objects.filter(initiative=initiative, body="Goed plan, ik help mee.").exists()
