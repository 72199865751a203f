"""Shared fixtures. In CI (CI=true) nothing may be skipped: a skip is turned into a failure."""

from __future__ import annotations

import os

import pytest
from django.conf import settings
from django.db import connection

IN_CI = os.environ.get("CI", "").lower() == "true"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Turn skips into failures in CI, so a missing service can never pass silently."""
    outcome = yield
    report = outcome.get_result()
    if IN_CI and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.longrepr = f"Skipped in CI, which counts as a failure: {reason}"


def _is_transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker is not None and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")):
        return True
    return bool({"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())))


def pytest_collection_modifyitems(items):
    """Transactional tests (browser, concurrency) truncate every table afterwards. Give them all
    serialized rollback, so each starts from the migrated baseline again (content types with
    their ids, permissions, Wagtail's and our groups, the home page) instead of a half-empty
    database that depends on test order."""
    for item in items:
        if _is_transactional(item) and "django_db_serialized_rollback" not in item.fixturenames:
            item.fixturenames.append("django_db_serialized_rollback")


def pytest_collection_finish(session):
    """Test modules that need minutes of mostly waiting (tests/plugin: a wheel installed into a
    fresh virtualenv from PyPI) define ``start_build()``; start it now, so it overlaps the tests
    that run before them instead of adding its minutes to the run."""
    if session.config.option.collectonly:
        return
    started = set()
    for item in session.items:
        module = getattr(item, "module", None)
        if module is not None and hasattr(module, "start_build") and module.__name__ not in started:
            started.add(module.__name__)
            # pytest's own temporary directory (as tmp_path_factory gives), kept and pruned by pytest.
            factory = getattr(session.config, "_tmp_path_factory", None)
            module.start_build(factory.mktemp("fresh_host") if factory else None)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test database, with the faster reset between transactional tests
    (tests/db_reset.py: same result as Django's flush and serialized rollback)."""
    from tests import db_reset

    with django_db_blocker.unblock():
        undo = db_reset.install()
    yield
    undo()


@pytest.fixture(scope="session")
def _demo_seeded_once(django_db_setup, django_db_blocker):
    """Run ``seed_demo`` once per test run, in a transaction that is rolled back, and keep a
    binary copy of every table as the demo left it (tests/db_reset.py). Seeding takes ~15 s;
    each test that reads the demo gets its copy back in a fraction of a second instead."""
    import io

    from django.core.management import call_command
    from django.db import transaction

    from tests import db_reset

    with django_db_blocker.unblock():
        if connection.vendor != "postgresql":
            return None  # no COPY: every test seeds for itself (see ``seeded_demo``)
        out = io.StringIO()
        with transaction.atomic():
            ensure_site()
            call_command("seed_demo", stdout=out)
            snapshot = db_reset.tables_snapshot(connection)
            transaction.set_rollback(True)
    return out.getvalue(), snapshot


@pytest.fixture
def seeded_demo(db, _demo_seeded_once):
    """The database exactly as ``manage.py seed_demo`` leaves it on a fresh site, inside this
    test's own transaction (rolled back afterwards, so the next test starts empty again).
    Returns what seed_demo printed. Tests that check idempotency call seed_demo again on top."""
    if _demo_seeded_once is None:
        import io

        from django.core.management import call_command

        ensure_site()
        out = io.StringIO()
        call_command("seed_demo", stdout=out)
        return out.getvalue()
    from tests import db_reset

    output, snapshot = _demo_seeded_once
    db_reset.tables_restore(connection, snapshot)
    return output


@pytest.fixture(autouse=True)
def _service_markers(request):
    """Skip (locally) tests whose service is missing; CI turns that into a failure."""
    if request.node.get_closest_marker("postgres") and connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL=postgres://...")
    if request.node.get_closest_marker("redis") and not redis_available():
        pytest.skip("needs Redis: set REDIS_URL=redis://127.0.0.1:6379/0 and start redis-server")


def redis_available() -> bool:
    if not settings.REDIS_URL:
        return False
    import redis

    try:
        return bool(redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


@pytest.fixture
def rq_async(settings):
    """Switch the queues to the real Redis, for tests that exercise the worker. Yields a
    function that runs a burst worker over the queues until they are empty."""
    import django_rq
    from rq import SimpleWorker

    settings.RQ_QUEUES = {
        name: {"URL": settings.REDIS_URL, "DEFAULT_TIMEOUT": 60, "ASYNC": True} for name in ("default", "mail")
    }
    queues = [django_rq.get_queue(name) for name in ("default", "mail")]
    connection_ = queues[0].connection
    connection_.flushdb()

    def work(with_scheduler: bool = False):
        worker = SimpleWorker(queues, connection=connection_)
        worker.work(burst=True, with_scheduler=with_scheduler)
        return worker

    yield work
    connection_.flushdb()


def ensure_site():
    """The default Site with a HomePage root. Migrations create it, but transactional tests
    (browser, concurrency) truncate tables afterwards, so later tests rebuild it here."""
    from wagtail.models import Locale, Page, Site

    from home.models import HomePage

    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is not None:
        return site
    Locale.objects.get_or_create(language_code="nl")
    root = Page.get_first_root_node() or Page.add_root(title="Root", slug="root")
    home = root.add_child(instance=HomePage(title="Doe mee", slug="home"))
    return Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="Participatie")


@pytest.fixture
def site(db):
    return ensure_site()


@pytest.fixture
def home_page(site):
    return site.root_page.specific
