"""Benchmark of the public pages under gunicorn, with their ratio to a plain content page.

Run as ``python bench/pages.py`` (``BENCH_SECONDS`` per page, default 8; ``BENCH_CLIENTS``
simultaneous clients, default 10). It builds its own temporary database (a SQLite file in a
temporary directory; a fresh database on the PostgreSQL server of ``DATABASE_URL`` when that is
set), migrates it, loads the demo content (``seed_demo``) plus volume (5,000 published
initiatives, 50 extra dialogue sessions), collects the static files into a temporary folder and
starts gunicorn with 2 sync workers on the production settings. Then, in one run, a concurrent
HTTP client requests each page for a fixed time: the home page, a project page, an initiative
page, the map page and the privacy statement (a plain Wagtail page in the site's base template:
the ceiling the others are compared with). It does so twice, with the page cache for anonymous
visitors (projects/page_cache.py, as in production) and without it (``PAGE_CACHE=off``), and ends
with a line per run:

    pages cached: home=… req/s (0.xx) project=… (0.xx) initiative=… (x.xx) map=… (x.xx) privacy=… (1.00) load=…
    pages uncached: …

The table above those lines also gives each page's ratio to the uncached privacy page.

Goals (issue 12): project and home at ≥ 0.75 of privacy, the initiative page at ≥ 1.0.
"""

from __future__ import annotations

import http.client
import os
import random
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECONDS = float(os.environ.get("BENCH_SECONDS", "8"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "10"))
WORKERS = 2
INITIATIVES, SESSIONS = 5_000, 50
BOUNDS = (5.10, 51.99, 5.24, 52.06)  # the demo municipality

SETTINGS = '''
import os
STATIC_ROOT_OVERRIDE = os.environ["BENCH_STATIC_ROOT"]
from participatie.settings.production import *  # noqa
STATIC_ROOT = STATIC_ROOT_OVERRIDE
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
'''


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def admin_connection(url: str):
    import psycopg

    parts = urllib.parse.urlparse(url)
    return psycopg.connect(host=parts.hostname, port=parts.port or 5432, user=parts.username, password=parts.password,
                           dbname="postgres", autocommit=True)


def add_volume() -> None:
    """5,000 published initiatives over the municipality and 50 more sessions on a demo round."""
    import datetime

    from django.utils import timezone

    from dialogues.models import DialogueSession
    from geo import clustering
    from geo.models import Initiative, Moderation, Status, Theme

    rng = random.Random(2026)
    themes, statuses = list(Theme.objects.all()), list(Status.values)
    Initiative.objects.bulk_create([
        Initiative(title=f"Idee voor de buurt {i}", description="Een bankje bij de speeltuin, zodat ouders kunnen zitten.",
                   theme=rng.choice(themes), lat=rng.uniform(BOUNDS[1], BOUNDS[3]), lon=rng.uniform(BOUNDS[0], BOUNDS[2]),
                   status=rng.choice(statuses), moderation=Moderation.PUBLISHED, published_at=timezone.now(),
                   support_count=rng.randint(0, 40))
        for i in range(INITIATIVES)
    ], batch_size=2000)
    clustering.cells_rebuild()
    template = DialogueSession.objects.order_by("pk").first()
    start = timezone.now() + datetime.timedelta(days=10)
    for i in range(SESSIONS):
        session = DialogueSession.objects.get(pk=template.pk)
        session.pk = None
        session.title = f"Extra gesprek {i + 1}"
        session.starts_at = start + datetime.timedelta(days=i)
        session.ends_at = session.starts_at + datetime.timedelta(hours=2)
        session.seats_taken_onsite = session.seats_taken_online = 0
        session.status = "gepland"
        session.save()


def page_paths() -> dict[str, str]:
    from geo.models import Initiative, InitiativeMapPage, Moderation
    from projects.models import ProjectPage

    project = ProjectPage.objects.live().order_by("path").first()
    initiative = Initiative.objects.filter(moderation=Moderation.PUBLISHED).order_by("-support_count", "pk").first()
    return {
        "home": "/",
        "project": project.url,
        "initiative": initiative.get_absolute_url(),
        "map": InitiativeMapPage.objects.live().first().url,
        "privacy": "/privacyverklaring/",
    }


def hammer(port: int, path: str, seconds: float) -> tuple[float, int]:
    """CLIENTS threads request ``path`` for ``seconds``; returns (req/s, errors)."""
    done, errors, stop = [0], [0], time.perf_counter() + seconds
    lock = threading.Lock()

    def client():
        n = bad = 0
        while time.perf_counter() < stop:
            # gunicorn's sync workers close the connection after every response.
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            try:
                conn.request("GET", path, headers={"Host": "127.0.0.1", "Accept-Encoding": "gzip"})
                response = conn.getresponse()
                response.read()
                if response.status == 200:
                    n += 1
                else:
                    bad += 1
            except OSError:
                bad += 1
            finally:
                conn.close()
        with lock:
            done[0] += n
            errors[0] += bad

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return done[0] / (time.perf_counter() - began), errors[0]


def wait_for(port: int, path: str = "/") -> None:
    for _ in range(200):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", path, headers={"Host": "127.0.0.1"})
            if conn.getresponse().status < 500:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


def main() -> int:
    workdir = tempfile.mkdtemp(prefix="bench-pages-")
    base_url = os.environ.get("DATABASE_URL", "")
    db_name = None
    if base_url.startswith(("postgres://", "postgresql://")):
        db_name = f"bench_pages_{secrets.token_hex(4)}"
        database_url = urllib.parse.urlunparse(urllib.parse.urlparse(base_url)._replace(path=f"/{db_name}"))
        with admin_connection(base_url) as conn:
            conn.execute(f'CREATE DATABASE "{db_name}"')
    else:
        database_url = f"sqlite:///{workdir}/bench.sqlite3"
    Path(workdir, "bench_settings.py").write_text(SETTINGS)
    env = {
        **os.environ, "DJANGO_SETTINGS_MODULE": "bench_settings", "PYTHONPATH": f"{workdir}{os.pathsep}{ROOT}",
        "DATABASE_URL": database_url, "SECRET_KEY": "bench-" + secrets.token_urlsafe(60), "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false", "SITE_URL": "http://127.0.0.1", "MEDIA_ROOT": f"{workdir}/media",
        "BENCH_STATIC_ROOT": f"{workdir}/static", "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    env.pop("REDIS_URL", None)
    manage = [sys.executable, str(ROOT / "manage.py")]
    server = None
    try:
        for command in (["migrate", "--noinput", "-v", "0"], ["createcachetable"], ["collectstatic", "--noinput", "-v", "0"], ["seed_demo"]):
            subprocess.run(manage + command, env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        os.environ.update({k: env[k] for k in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "SECRET_KEY", "ALLOWED_HOSTS",
                                               "SECURE_SSL_REDIRECT", "SITE_URL", "MEDIA_ROOT", "BENCH_STATIC_ROOT")})
        sys.path[:0] = [workdir, str(ROOT)]
        import django

        django.setup()
        add_volume()
        paths = page_paths()
        from django.db import connections

        connections.close_all()

        runs = {}
        for label, page_cache in (("cached", "on"), ("uncached", "off")):
            port = free_port()
            server = subprocess.Popen(
                [str(Path(sys.executable).parent / "gunicorn"), "participatie.wsgi", "--workers", str(WORKERS),
                 "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "--timeout", "60", "--backlog", "512"],
                env={**env, "PAGE_CACHE": page_cache}, cwd=ROOT, start_new_session=True,
            )
            wait_for(port)
            results = runs[label] = {}
            for name, path in paths.items():
                hammer(port, path, 1.0)  # warm up: templates, connections, the page cache
                results[name] = hammer(port, path, SECONDS)
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
            server = None
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        if db_name:
            from django.db import connections

            connections.close_all()
            with admin_connection(base_url) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
        shutil.rmtree(workdir, ignore_errors=True)
    plain = runs["uncached"]["privacy"][0] or 1.0
    for label, results in runs.items():
        ceiling = results["privacy"][0] or 1.0
        print(f"{label}:")
        for name, (rps, errors) in results.items():
            print(f"  {name:11} {paths[name]:40} {rps:8.1f} req/s  {rps / ceiling:5.2f} of privacy  "
                  f"{rps / plain:5.2f} of uncached privacy  errors={errors}")
    for label, results in runs.items():
        ceiling = results["privacy"][0] or 1.0
        figures = " ".join(f"{name}={rps:.1f} ({rps / ceiling:.2f})" for name, (rps, _e) in results.items())
        print(f"pages {label}: {figures} clients={CLIENTS} workers={WORKERS} load={os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
