"""Limits hold under concurrency: 90 simultaneous writes against a limit of 30 let at most 30 through.

A real gunicorn (two worker processes, eight threads each) serves a PostgreSQL test database
and counts in the real Redis, as production does; 90 threads send their requests at once.
(DRF's list-based throttles let 35 of 90 through in the review of issue 10; atomic counters let exactly 30.)
Runs where PostgreSQL and Redis are (CI's PostgreSQL pass); skipped on SQLite.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import Counter
from pathlib import Path

import pytest
from django.db import connection

from citizens.actions import api_token_issue
from citizens.tests.factories import UserFactory
from services.catalogue import catalogue_load
from services.models import Open311Client, Report, ReportComment, hash_api_key
from services.tests.factories import CITY_LAT, CITY_LON, ReportFactory

REDIS_URL = os.environ.get("REDIS_URL", "")
ROOT = Path(__file__).resolve().parents[2]
PARALLEL = 90
LIMIT = 30

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql" or not REDIS_URL,
        reason="Needs PostgreSQL and Redis (DATABASE_URL and REDIS_URL; CI's PostgreSQL pass sets both).",
    ),
    pytest.mark.django_db(transaction=True),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture(scope="module")
def server(django_db_setup, django_db_blocker):
    """gunicorn on a free loopback port, behind a pretend proxy so each test picks its client address."""
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": database_url(),
        "LIMITS_REDIS_URL": REDIS_URL,
        "LIMITS_KEY_PREFIX": f"parallel-{uuid.uuid4().hex}",
        "BEHIND_PROXY": "true",
        # A day's window: a burst of a few seconds does not straddle two windows.
        "USER_WRITE_RATE": f"{LIMIT}/day",
        "ADDRESS_WRITE_RATE": f"{LIMIT}/day",
        "OPEN311_KEY_WRITE_RATE": "10000/day",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "2",
        "GUNICORN_THREADS": "8",
    }
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "cocreate.wsgi"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log,
            start_new_session=True,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    urllib.request.urlopen(f"{base}/api/v1/services/", timeout=2)
                    break
                except OSError:  # not listening yet, or still loading
                    if time.monotonic() > deadline or process.poll() is not None:
                        log.seek(0)
                        pytest.fail(f"gunicorn did not start: {log.read().decode(errors='replace')[-2000:]}")
                    time.sleep(0.2)
            yield base
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)


def all_at_once(requests: list[urllib.request.Request]) -> Counter:
    """Send every request from its own thread, released together; count the answers' statuses."""
    barrier = threading.Barrier(len(requests))
    statuses: list[int | str] = []
    lock = threading.Lock()

    def send(request: urllib.request.Request) -> None:
        barrier.wait(timeout=30)
        try:
            status = urllib.request.urlopen(request, timeout=60).status
        except urllib.error.HTTPError as error:
            status = error.code
        except OSError as error:
            status = type(error).__name__
        with lock:
            statuses.append(status)

    threads = [threading.Thread(target=send, args=(request,)) for request in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return Counter(statuses)


def test_ninety_parallel_writes_of_one_account_pass_a_limit_of_thirty_at_most_thirty_times(server):
    person = UserFactory(display_name="Busy Citizen")
    _token, key = api_token_issue(user=person, for_staff=False)
    report = ReportFactory()
    requests = [
        urllib.request.Request(
            f"{server}/api/v1/reports/{report.pk}/comments/",
            data=b'{"body": "Still there"}',
            method="POST",
            # Each from its own address: only the account's limit is in play.
            headers={
                "Authorization": f"Token {key}",
                "Content-Type": "application/json",
                "X-Forwarded-For": f"198.51.100.{n + 1}",
            },
        )
        for n in range(PARALLEL)
    ]

    statuses = all_at_once(requests)

    print(f"\n{PARALLEL} parallel writes of one account, limit {LIMIT}: {dict(statuses)}")
    assert statuses == Counter({201: LIMIT, 429: PARALLEL - LIMIT})
    assert ReportComment.objects.filter(author=person).count() == LIMIT


def test_ninety_parallel_open311_posts_from_one_address_pass_a_limit_of_thirty_at_most_thirty_times(server):
    catalogue_load()
    api_key = f"parallel-key-{uuid.uuid4().hex}"
    Open311Client.objects.create(name="Busy app", key_prefix=api_key[:8], key_hash=hash_api_key(api_key), trusted=True)
    body = urllib.parse.urlencode(
        {"api_key": api_key, "service_code": "pothole", "lat": str(CITY_LAT), "long": str(CITY_LON)}
    ).encode()
    requests = [
        urllib.request.Request(
            f"{server}/open311/v2/requests.json",
            data=body,
            method="POST",
            headers={"Content-Type": "application/x-www-form-urlencoded", "X-Forwarded-For": "203.0.113.50"},
        )
        for _ in range(PARALLEL)
    ]

    statuses = all_at_once(requests)

    print(f"\n{PARALLEL} parallel Open311 POSTs from one address, limit {LIMIT}: {dict(statuses)}")
    assert statuses == Counter({200: LIMIT, 429: PARALLEL - LIMIT})
    assert Report.objects.filter(source=Report.Source.OPEN311).count() == LIMIT
