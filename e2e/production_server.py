"""Run the site as production runs it, for the production-site test and the Lighthouse benchmark.

``production_server()`` creates a PostgreSQL database of its own beside the one named, migrates
it, collects static files into a temporary ``STATIC_ROOT``, seeds the demo content
(``seed_demo`` runs only with DEBUG on, so it is the one step that does) and starts
``gunicorn -c gunicorn.conf.py cocreate.wsgi`` with DEBUG off on a free loopback port. Plain
HTTP on loopback: no redirect to HTTPS, no HSTS, cookies without the Secure flag. On leaving,
gunicorn is stopped and the database dropped.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DEMO_CITIZEN = ("citizen@example.org", "cocreate-demo-2026")  # seed_demo's demo citizen
# Variables of the calling process that must not reach the site.
LEFT_OUT = {"DEBUG", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "REDIS_URL"}


class ServerError(RuntimeError):
    """A step of starting the site failed; the message carries its output."""


@dataclass(frozen=True)
class Server:
    url: str
    log: Path
    health: dict

    def logged_errors(self) -> list[str]:
        lines = self.log.read_text().splitlines()
        return [line for line in lines if '"level": "ERROR"' in line or "Traceback" in line]


def is_postgres(url: str) -> bool:
    return url.startswith(("postgres://", "postgresql://", "pgsql://"))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def _recreate_database(url: str, name: str, *, drop_only: bool = False) -> None:
    import psycopg

    parts = urlsplit(url)
    admin = urlunsplit(("postgresql", parts.netloc, "/postgres", parts.query, ""))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            connection.execute(f'CREATE DATABASE "{name}"')


def _manage(environment: dict[str, str], *arguments: str) -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if result.returncode != 0:
        raise ServerError(f"manage.py {' '.join(arguments)} failed:\n{result.stdout[-3000:]}{result.stderr[-3000:]}")


def _wait_until_healthy(url: str, server: subprocess.Popen, log: Path) -> dict:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise ServerError(f"gunicorn stopped with {server.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=5) as response:
                return json.load(response)
        except urllib.error.HTTPError as error:
            return {"status": error.code, "body": error.read().decode()}
        except OSError:
            time.sleep(0.3)
    raise ServerError(f"gunicorn did not answer within 60 s:\n{log.read_text()[-3000:]}")


@contextmanager
def production_server(database_url: str, folder: Path, *, map_tile_url: str, workers: int = 2) -> Iterator[Server]:
    """The seeded site under gunicorn with DEBUG off, on a database named after ``database_url``'s."""
    name = f"{urlsplit(database_url).path.lstrip('/') or 'cocreate'}_production_site"
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    environment = {key: value for key, value in os.environ.items() if key not in LEFT_OUT}
    environment.update(
        DJANGO_SETTINGS_MODULE="cocreate.settings",
        SECRET_KEY="production-site-" + "q8W2e4R6t8Y0u2I4o6P8" * 3,
        DATABASE_URL=_with_database(database_url, name),
        DATA_DIR=str(folder / "data"),
        STATIC_ROOT=str(folder / "static"),
        MEDIA_ROOT=str(folder / "media"),
        ALLOWED_HOSTS="127.0.0.1",
        SITE_URL=url,
        MAP_TILE_URL=map_tile_url,
        SECURE_SSL_REDIRECT="false",
        SECURE_HSTS_SECONDS="0",
        SECURE_COOKIES="false",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS=str(workers),
        GUNICORN_THREADS="2",
        LOG_LEVEL="WARNING",
    )
    _recreate_database(database_url, name)
    server = None
    try:
        _manage(environment, "migrate", "--noinput")
        _manage(environment, "collectstatic", "--noinput")
        _manage({**environment, "DEBUG": "1"}, "seed_demo")
        log = folder / "gunicorn.log"
        with log.open("w") as output:
            server = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "cocreate.wsgi"],
                cwd=ROOT,
                env=environment,
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        yield Server(url=url, log=log, health=_wait_until_healthy(url, server, log))
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        _recreate_database(database_url, name, drop_only=True)
