"""Benchmark: 200 residents register at once for a session with 50 seats, over real HTTP.

Run as ``python bench/registrations.py`` with ``DATABASE_URL`` pointing at PostgreSQL. It
creates a fresh database on that server, migrates it, creates a session with 50 on-site
seats, starts its own gunicorn (several sync workers) on 127.0.0.1 and a free port, and lets
200 client threads each fetch the registration form (cookie + CSRF token, like a browser)
and then post it at the same moment. Afterwards it stops the server, checks the database
and drops it, and prints one line:

    registrations: seats=50 confirmed=C waitlisted=W errors=E lost=L mails=M queued=Q p50_ms=… p95_ms=… rps=…

``confirmed`` counts registrations that got a seat (anonymous residents hold it until they
click the emailed link, so their status is "pending confirmation"); ``lost`` counts posts
answered with success whose registration is not in the database, plus any seat counted
beyond capacity. ``mails`` counts the emails stored in the outbox for them and ``queued`` those handed to the
Redis queue (the cache and the queues are on Redis, as in production: ``BENCH_REDIS_URL`` or
``REDIS_URL``, default db 0; no worker runs, the bench removes its jobs afterwards).
Expected: confirmed=50 waitlisted=150 errors=0 lost=0 mails=200 queued=200.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEATS, CLIENTS, WORKERS = 50, 200, int(os.environ.get("BENCH_WORKERS", "4"))
REDIS = os.environ.get("BENCH_REDIS_URL") or os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"

SETTINGS = '''
from participatie.settings.base import *  # noqa
import dj_database_url
SECRET_KEY = "bench-only-" + "x" * 50
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
DATABASES = {"default": dj_database_url.parse(%(url)r, conn_max_age=60)}
# As in production: the cache (rate limits) and the queues on Redis, so delivering the mail
# is the worker's job, not the request's. No worker runs: the jobs are counted, then removed.
REDIS_URL = %(redis)r
CACHES = {"default": {"BACKEND": "projects.cache.ResilientRedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": %(prefix)r}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
RQ_QUEUES = {n: {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 60, "ASYNC": True} for n in ("default", "mail")}
PARTICIPATIE = {**PARTICIPATIE, "REGISTRATION_RATE_LIMIT": None}  # 200 clients share one IP here
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
'''


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def admin_connection(url: str):
    import psycopg

    parts = urllib.parse.urlparse(url)
    return psycopg.connect(
        host=parts.hostname, port=parts.port or 5432, user=parts.username, password=parts.password,
        dbname="postgres", autocommit=True,  # CREATE/DROP DATABASE run from the maintenance database
    )


def main() -> int:
    base_url = os.environ.get("DATABASE_URL", "")
    if not base_url.startswith(("postgres://", "postgresql://")):
        print("Set DATABASE_URL=postgres://user:password@host:5432/dbname", file=sys.stderr)
        return 2
    db_name = f"bench_registrations_{secrets.token_hex(4)}"
    parts = urllib.parse.urlparse(base_url)
    bench_url = urllib.parse.urlunparse(parts._replace(path=f"/{db_name}"))
    workdir = tempfile.mkdtemp(prefix="bench-registrations-")
    Path(workdir, "bench_settings.py").write_text(SETTINGS % {"url": bench_url, "redis": REDIS, "prefix": db_name})
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench_settings", "PYTHONPATH": f"{workdir}{os.pathsep}{ROOT}",
           "PYTHONWARNINGS": "ignore::UserWarning"}  # whitenoise: no collected static files here
    env.pop("REDIS_URL", None)

    with admin_connection(base_url) as conn:
        conn.execute(f'CREATE DATABASE "{db_name}"')
    server = None
    try:
        subprocess.run([sys.executable, str(ROOT / "manage.py"), "migrate", "--noinput", "-v", "0"], env=env, cwd=ROOT, check=True)
        os.environ.update({"DJANGO_SETTINGS_MODULE": "bench_settings"})
        sys.path[:0] = [workdir, str(ROOT)]
        import django

        django.setup()
        session_id = prepare()

        port = free_port()
        server = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "participatie.wsgi", "--workers", str(WORKERS),
             "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "--timeout", "60", "--backlog", "512"],
            env=env, cwd=ROOT, start_new_session=True,
        )
        wait_for(port)
        result = fire(f"http://127.0.0.1:{port}", session_id)
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        from django.db import connections

        connections.close_all()
        with admin_connection(base_url) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
    print(result)
    return 0


def prepare() -> int:
    import datetime

    from django.utils import timezone
    from wagtail.models import Locale, Page, Site

    from dialogues import services
    from dialogues.models import DialogueRoundPage
    from home.models import HomePage
    from projects.models import ProjectIndexPage, ProjectPage

    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Locale.objects.get_or_create(language_code="nl")
        root = Page.get_first_root_node()
        home = root.add_child(instance=HomePage(title="Doe mee", slug="bench-home"))
        site = Site.objects.create(hostname="127.0.0.1", port=80, root_page=home, is_default_site=True)
    home = site.root_page

    def publish(parent, page):
        parent.add_child(instance=page)
        page.save_revision().publish()
        return page

    index = publish(home, ProjectIndexPage(title="Projecten", slug="bench-projecten"))
    project = publish(index, ProjectPage(title="Bench", slug="bench", summary="Benchmark."))
    round_page = publish(project, DialogueRoundPage(title="Ronde", slug="ronde", theme="Benchmark"))
    start = timezone.now() + datetime.timedelta(days=7)
    session = services.session_create(round_page=round_page, title="Bijeenkomst", starts_at=start,
                                      ends_at=start + datetime.timedelta(hours=2), venue="Buurthuis", capacity_onsite=SEATS)
    return session.pk


def wait_for(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


def fire(base: str, session_id: int) -> str:
    url = f"{base}/dialoog/sessie/{session_id}/aanmelden/"
    barrier = threading.Barrier(CLIENTS)
    timings: list[float] = []
    outcomes: list[str] = []
    lock = threading.Lock()
    start_at = [0.0]

    def client(i: int) -> None:
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect())
        outcome = "error"
        try:
            html = opener.open(url, timeout=60).read().decode()
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        except Exception:  # noqa: BLE001 - counted as an error
            token = None
        barrier.wait()
        if start_at[0] == 0.0:
            start_at[0] = time.perf_counter()
        began = time.perf_counter()
        if token is not None:
            data = urllib.parse.urlencode({
                "csrfmiddlewaretoken": token, "name": f"Bewoner {i}", "email": f"bewoner{i}@example.org",
                "stakeholder_group": "Bewoner", "consent": "on",
            }).encode()
            request = urllib.request.Request(url, data=data, headers={"Referer": url})
            try:
                opener.open(request, timeout=60)
            except urllib.error.HTTPError as exc:
                if exc.code == 302 and "/dialoog/aanmelding/" in exc.headers.get("Location", ""):
                    outcome = "ok"
            except Exception:  # noqa: BLE001 - counted as an error
                pass
        elapsed = (time.perf_counter() - began) * 1000
        with lock:
            timings.append(elapsed)
            outcomes.append(outcome)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start_at[0]

    from dialogues.models import DialogueSession, Registration

    ok = outcomes.count("ok")
    errors = len(outcomes) - ok
    session = DialogueSession.objects.get(pk=session_id)
    seated = Registration.objects.filter(session=session, status__in=["pending", "confirmed"]).count()
    waitlisted = Registration.objects.filter(session=session, status="waitlisted").count()
    overbooked = max(0, seated - SEATS) + max(0, session.seats_taken_onsite - SEATS) + abs(session.seats_taken_onsite - seated)
    lost = max(0, ok - (seated + waitlisted)) + overbooked
    mails, queued = outbox_check(session_id)
    timings.sort()
    p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
    return (f"registrations: seats={SEATS} confirmed={seated} waitlisted={waitlisted} errors={errors} lost={lost} "
            f"mails={mails} queued={queued} p50_ms={statistics.median(timings):.0f} p95_ms={p95:.0f} rps={CLIENTS / wall:.0f}")


def outbox_check(session_id: int) -> tuple[int, int]:
    """Mails in the outbox for the bench's residents, and how many of them reached the Redis
    queue (both should equal confirmed + waitlisted). The queued jobs are removed: no worker runs."""
    import django_rq

    from projects.mail import mail_deliver
    from projects.models import OutgoingMail

    ids = set(OutgoingMail.objects.filter(to__startswith="bewoner", to__endswith="@example.org").values_list("pk", flat=True))
    queue = django_rq.get_queue("mail")
    queued = 0
    for job in queue.get_jobs():
        if job.func_name.endswith(mail_deliver.__name__) and job.args and job.args[0] in ids:
            queued += 1
            job.delete()
    return len(ids), queued


if __name__ == "__main__":
    sys.exit(main())
