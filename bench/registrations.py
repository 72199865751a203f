"""Benchmark: 200 residents register at once for a session with 50 seats, over real HTTP.

Run as ``python bench/registrations.py`` with ``DATABASE_URL`` pointing at PostgreSQL. It
creates a fresh database on that server, migrates it, collects the static files, creates a
session with 50 on-site seats, starts its own gunicorn on 127.0.0.1 and a free port with the
production settings (``BENCH_WORKERS`` sync workers, default 2, as in issue 12; with
``BENCH_THREADS`` above 1 gthread workers with that many threads each), and lets 200 client
threads each fetch the registration form (cookie + CSRF token, like a browser) and then post
it at the same moment. The clients talk plain HTTP but say ``X-Forwarded-Proto: https``, as the
TLS-terminating proxy in front of production does, so the production settings run unchanged
(secure cookies, HTTPS redirect, strict Referer check); the only override is the per-IP rate
limit, since 200 clients share one IP here. Afterwards it stops the server, checks the
database and drops it, and prints one line:

    registrations: seats=50 confirmed=C waitlisted=W errors=E lost=L mails=M queued=Q p50_ms=… p95_ms=… rps=…
        cpu_ms=… (app=… db=… client=…) workers=… load=…

``confirmed`` counts registrations that got a seat (anonymous residents hold it until they
click the emailed link, so their status is "pending confirmation"); ``lost`` counts posts
answered with success whose registration is not in the database, plus any seat counted
beyond capacity. ``mails`` counts the emails stored in the outbox for them and ``queued`` those handed to the
Redis queue (the cache and the queues are on Redis, as in production: ``BENCH_REDIS_URL`` or
``REDIS_URL``, default db 0; no worker runs, the bench removes its jobs afterwards).
Expected: confirmed=50 waitlisted=150 errors=0 lost=0 mails=200 queued=200.

``cpu_ms`` is the CPU time per registration while the 200 posts run: the gunicorn workers
(``app``) plus the PostgreSQL backends serving the bench database (``db``), divided by 200;
``client`` is this script's own threads. Unlike req/s it hardly depends on what else the
machine is doing, so it compares runs on a loaded machine (``load`` is the 1-minute load
average at the end). Reading other processes' CPU needs /proc (Linux) and the rights to read
PostgreSQL's processes (the same machine, as root or the postgres user); otherwise ``db=?``.
"""

from __future__ import annotations

import http.cookies
import os
import re
import secrets
import shutil
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
SEATS, CLIENTS = 50, 200
WORKERS, THREADS = int(os.environ.get("BENCH_WORKERS", "2")), int(os.environ.get("BENCH_THREADS", "1"))
REDIS = os.environ.get("BENCH_REDIS_URL") or os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"

SETTINGS = '''
import os
STATIC_ROOT_OVERRIDE = os.environ["BENCH_STATIC_ROOT"]
from participatie.settings.production import *  # noqa
STATIC_ROOT = STATIC_ROOT_OVERRIDE
# The cache (rate limits) and the queues on Redis as in production (REDIS_URL), with this run's
# own key prefix. No worker runs: the mail jobs are counted, then removed.
CACHES["default"]["KEY_PREFIX"] = %(prefix)r
PARTICIPATIE = {**PARTICIPATIE, "REGISTRATION_RATE_LIMIT": None}  # 200 clients share one IP here
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
'''

# What the TLS-terminating proxy tells the app (production's SECURE_PROXY_SSL_HEADER).
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}


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
    Path(workdir, "bench_settings.py").write_text(SETTINGS % {"prefix": db_name})
    env = {
        **os.environ, "DJANGO_SETTINGS_MODULE": "bench_settings", "PYTHONPATH": f"{workdir}{os.pathsep}{ROOT}",
        "DATABASE_URL": bench_url, "REDIS_URL": REDIS, "SECRET_KEY": "bench-" + secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "127.0.0.1", "SITE_URL": "https://127.0.0.1", "BENCH_STATIC_ROOT": f"{workdir}/static",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend", "MEDIA_ROOT": f"{workdir}/media",
    }

    with admin_connection(base_url) as conn:
        conn.execute(f'CREATE DATABASE "{db_name}"')
    server = None
    try:
        manage = [sys.executable, str(ROOT / "manage.py")]
        for command in (["migrate", "--noinput", "-v", "0"], ["collectstatic", "--noinput", "-v", "0"]):
            subprocess.run(manage + command, env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        os.environ.update({k: v for k, v in env.items() if k != "PYTHONPATH"})
        sys.path[:0] = [workdir, str(ROOT)]
        import django

        django.setup()
        session_id = prepare()
        from django.db import connections

        connections.close_all()

        port = free_port()
        workers = ["--workers", str(WORKERS)] + (["--worker-class", "gthread", "--threads", str(THREADS)] if THREADS > 1 else [])
        server = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "participatie.wsgi", *workers,
             "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "--timeout", "60", "--backlog", "512"],
            env=env, cwd=ROOT, start_new_session=True,
        )
        wait_for(port)
        result = fire(f"http://127.0.0.1:{port}", session_id, server_pid=server.pid, db_name=db_name)
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        from django.db import connections

        connections.close_all()
        with admin_connection(base_url) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
        shutil.rmtree(workdir, ignore_errors=True)
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


def cpu_ticks(pids) -> dict[int, int]:
    """user + system CPU clock ticks of each process (all its threads), from /proc."""
    ticks = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks[pid] = int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return ticks


def server_processes(server_pid: int, db_name: str) -> tuple[list[int], list[int] | None]:
    """The gunicorn workers (children of the arbiter) and the PostgreSQL backends of the bench
    database (None when their command lines cannot be read)."""
    workers, backends, readable = [], [], False
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().decode(errors="replace")
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == server_pid:
            workers.append(int(entry.name))
        if cmdline.startswith("postgres:"):
            readable = True
            if f" {db_name} " in cmdline:
                backends.append(int(entry.name))
    return workers, (backends if readable else None)


class CpuMeter:
    """CPU time of the app server, the database backends and this process between start() and stop()."""

    def __init__(self, server_pid: int, db_name: str):
        self.server_pid, self.db_name = server_pid, db_name

    def _read(self):
        workers, backends = server_processes(self.server_pid, self.db_name)
        return cpu_ticks(workers), (cpu_ticks(backends) if backends is not None else None), time.process_time()

    def start(self) -> None:
        self.before = self._read()

    def stop(self) -> tuple[float, float | None, float]:
        """Seconds of CPU: (app, db or None, client)."""
        after, hz = self._read(), os.sysconf("SC_CLK_TCK")
        app = sum(t - self.before[0].get(pid, 0) for pid, t in after[0].items()) / hz
        db = None
        if after[1] is not None and self.before[1] is not None:
            db = sum(t - self.before[1].get(pid, 0) for pid, t in after[1].items()) / hz
        return app, db, after[2] - self.before[2]


def fire(base: str, session_id: int, *, server_pid: int, db_name: str) -> str:
    url = f"{base}/dialoog/sessie/{session_id}/aanmelden/"
    # The Referer as the browser sends it: the page's https address behind the proxy.
    referer = "https://" + url.split("://", 1)[1]
    meter = CpuMeter(server_pid, db_name)
    start_at = [0.0]

    def go() -> None:  # run by one thread once all have their form, just before all post
        meter.start()
        start_at[0] = time.perf_counter()

    barrier = threading.Barrier(CLIENTS, action=go)
    timings: list[float] = []
    outcomes: list[str] = []
    lock = threading.Lock()

    def client(i: int) -> None:
        # No cookie jar: Python's refuses to send the csrftoken cookie (Secure) over plain HTTP,
        # which is what the proxy in front of the app speaks to it.
        opener = urllib.request.build_opener(NoRedirect())
        outcome = "error"
        try:
            with opener.open(urllib.request.Request(url, headers=PROXY_HEADERS), timeout=60) as response:
                html = response.read().decode()
                cookies = http.cookies.SimpleCookie()
                for header in response.headers.get_all("Set-Cookie") or []:
                    cookies.load(header)
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
            cookie = "; ".join(f"{name}={morsel.value}" for name, morsel in cookies.items())
        except Exception:  # noqa: BLE001 - counted as an error
            token = None
        barrier.wait()
        began = time.perf_counter()
        if token is not None:
            data = urllib.parse.urlencode({
                "csrfmiddlewaretoken": token, "name": f"Bewoner {i}", "email": f"bewoner{i}@example.org",
                "stakeholder_group": "Bewoner", "consent": "on",
            }).encode()
            request = urllib.request.Request(url, data=data, headers={**PROXY_HEADERS, "Referer": referer, "Cookie": cookie})
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
    app_cpu, db_cpu, client_cpu = meter.stop()

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
    per = 1000 / CLIENTS
    db_ms = f"{db_cpu * per:.1f}" if db_cpu is not None else "?"
    total_ms = f"{(app_cpu + db_cpu) * per:.1f}" if db_cpu is not None else "?"
    shape = f"{WORKERS}x{THREADS}" if THREADS > 1 else f"{WORKERS}"
    return (f"registrations: seats={SEATS} confirmed={seated} waitlisted={waitlisted} errors={errors} lost={lost} "
            f"mails={mails} queued={queued} p50_ms={statistics.median(timings):.0f} p95_ms={p95:.0f} rps={CLIENTS / wall:.0f} "
            f"cpu_ms={total_ms} (app={app_cpu * per:.1f} db={db_ms} client={client_cpu * per:.1f}) "
            f"workers={shape} load={os.getloadavg()[0]:.1f}")


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
