"""Real processes for the fault tests: a private Redis on a free port, gunicorn, a Celery worker.

They share the test database, so the tests that use them need PostgreSQL (a SQLite test
database lives in the test's memory) and run in CI's PostgreSQL and Redis pass.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from conftest import skip_unless_available, wait_for

BASE_DIR = Path(settings.BASE_DIR)


def require_postgres() -> None:
    """Skip on SQLite; in CI's PostgreSQL pass (REQUIRE_CELERY_WORKER) a missing service fails."""
    if connection.vendor != "postgresql":
        if os.environ.get("REQUIRE_CELERY_WORKER"):
            pytest.fail("REQUIRE_CELERY_WORKER is set but the tests do not run on PostgreSQL")
        pytest.skip("The fault tests share the database with real processes: run with DATABASE_URL=postgres://…")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def site_environment(tmp_path: Path, **extra: str) -> dict[str, str]:
    """The environment of the site's processes: the test database, media in the test's folder."""
    db = connection.settings_dict
    user = db["USER"] or "postgres"
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.faults.site_settings",
        "DATABASE_URL": f"postgres://{user}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "DEBUG": "false",
        "DATA_DIR": str(tmp_path / "data"),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "PRIVATE_UPLOAD_ROOT": str(tmp_path / "private-uploads"),
        "LOG_LEVEL": "INFO",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("REDIS_URL", None)
    env.update(extra)
    return env


def start(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    handle = log.open("wb")
    return subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=handle, stderr=subprocess.STDOUT)


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class PrivateRedis:
    """A redis-server on a free port, without persistence, that the test can kill and restart."""

    def __init__(self, tmp_path: Path) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            skip_unless_available("redis-server is not installed")
        self.binary = binary
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.log = tmp_path / "redis.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        command = [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        self.process = subprocess.Popen(command, stdout=self.log.open("ab"), stderr=subprocess.STDOUT)
        assert wait_for(self.answers, timeout=10), "redis-server did not start"

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def kill(self) -> None:
        """SIGKILL by its PID: no goodbye to its clients, no data kept."""
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait()
        assert not self.answers()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def start_site(env: dict[str, str], tmp_path: Path) -> tuple[subprocess.Popen, str]:
    """gunicorn serving the site on a free port; returns the process and its base URL."""
    port = free_port()
    env = {**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "1", "GUNICORN_THREADS": "2"}
    process = start(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "cocreate.wsgi"], env, tmp_path / "gunicorn.log"
    )
    base = f"http://127.0.0.1:{port}"

    def serving() -> bool:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return True
        except OSError:
            return process.poll() is not None

    assert wait_for(serving, timeout=30) and process.poll() is None, (tmp_path / "gunicorn.log").read_text()
    return process, base


def start_worker(env: dict[str, str], tmp_path: Path) -> subprocess.Popen:
    command = [sys.executable, "-m", "celery", "-A", "cocreate", "worker", "--pool", "solo", "--loglevel", "INFO"]
    command += ["--without-mingle", "--without-gossip", "--without-heartbeat"]
    return start(command, env, tmp_path / "worker.log")


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout
