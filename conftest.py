"""Fixtures shared by every app's tests: role users, isolation, and the rule that CI never skips."""

from __future__ import annotations

import os
import socket
import time

import pytest
from django.conf import settings
from django.core.cache import caches

from citizens import roles
from citizens.tests.factories import UserFactory

LOOPBACK_PREFIXES = ("127.", "::1", "localhost")


def skip_unless_available(reason: str) -> None:
    """Skip a test whose tool or service is missing, except in CI, where that is a failure."""
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail(f"{reason} (CI must run every test)")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _no_network(monkeypatch):
    """Tests talk to loopback services only."""
    original_connect = socket.socket.connect

    def guarded_connect(sock, address):
        host = address[0] if isinstance(address, tuple) else address
        is_ip = isinstance(host, str) and sock.family in (socket.AF_INET, socket.AF_INET6)
        if is_ip and not host.startswith(LOOPBACK_PREFIXES):
            raise OSError(f"Network access to {host} is blocked in tests")
        return original_connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)


@pytest.fixture(autouse=True)
def _fresh_cache():
    for alias in settings.CACHES:
        caches[alias].clear()
    yield
    for alias in settings.CACHES:
        caches[alias].clear()


@pytest.fixture
def citizen(db):
    return UserFactory(display_name="Citizen One")


@pytest.fixture
def other_citizen(db):
    return UserFactory(display_name="Citizen Two")


@pytest.fixture
def moderator(db):
    return UserFactory(display_name="Moderator", is_staff=True, role=roles.MODERATORS)


@pytest.fixture
def staff(db):
    return UserFactory(display_name="City Staff", is_staff=True, role=roles.CITY_STAFF)


@pytest.fixture
def operator_staff(db):
    return UserFactory(display_name="Operator Staff", role=roles.OPERATOR_STAFF)


@pytest.fixture
def celery_worker_on_redis(settings):
    url = os.environ.get("REDIS_URL", "")
    if not url:
        if os.environ.get("REQUIRE_CELERY_WORKER"):
            pytest.fail("REQUIRE_CELERY_WORKER is set but REDIS_URL is not")
        pytest.skip("REDIS_URL is not set: the real-worker test runs against Redis (CI's PostgreSQL pass)")
    from celery.contrib.testing.worker import start_worker

    from cocreate.celery import app

    app.conf.task_always_eager = False
    try:
        with start_worker(app, perform_ping_check=False, pool="solo", shutdown_timeout=30) as worker:
            yield worker
    finally:
        app.conf.task_always_eager = True


def wait_for(predicate, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False
