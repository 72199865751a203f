"""Redis down (cache and queues on a port nobody listens on): pages answer and input is kept."""

import socket

import pytest
from django.test import override_settings

from dialogues import services
from dialogues.models import Registration
from projects.models import OutgoingMail
from tests.dialogues.factories import DialogueRoundPageFactory, DialogueSessionFactory, registration_data
from tests.geo.conftest import houten, resident  # noqa: F401 - fixtures shared with the geo tests
from tests.geo.factories import ThemeFactory

pytestmark = pytest.mark.django_db


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
