"""A feed that fails (slow, erroring, not JSON, wrong version, invalid, too large) keeps the last
good vehicles, and the failure is recorded with a short message safe to show."""

from __future__ import annotations

import pytest

from operators.fleet import poll_operator
from operators.models import FeedPoll, FeedState, Vehicle
from operators.tests.gbfs_server import feed_operator

pytestmark = pytest.mark.django_db

STATUS = "v3.0/vehicle_status.json"


@pytest.fixture
def polled_once(gbfs_server):
    """An operator whose first poll was good: three vehicles stored."""
    zoom = feed_operator(gbfs_server, "v3.0", slug="zoom")
    assert poll_operator(operator=zoom).ok
    zoom.refresh_from_db()
    return zoom


def break_feed(server, settings, case: str) -> None:
    if case == "timeout":
        settings.GBFS_TIMEOUT = 0.5
        server.fail(STATUS, delay=1.5)
    elif case == "http_error":
        server.fail(STATUS, status=500, body=b"Internal Server Error")
    elif case == "not_json":
        server.fail(STATUS, body=b"<html><body>Maintenance</body></html>")
    elif case == "wrong_version":
        server.edit(STATUS, lambda doc: doc.update(version="3.1-RC2"))
    elif case == "invalid":
        server.edit(STATUS, lambda doc: doc["data"]["vehicles"][1].update(lon="107.6"))
    elif case == "too_large":
        settings.GBFS_MAX_BYTES = 100_000
        # No Content-Length: the cap is enforced while reading.
        server.fail(STATUS, body=b'{"data": "' + b"x" * 300_000 + b'"}', content_length=False)
    elif case == "too_large_declared":
        settings.GBFS_MAX_BYTES = 100_000
        server.fail(STATUS, body=b" " * 200_000)
    elif case == "unreachable":
        server.edit("v3.0/gbfs.json", lambda doc: doc["data"]["feeds"][-1].update(url="http://127.0.0.1:9/x.json"))


@pytest.mark.parametrize(
    ("case", "code"),
    [
        ("timeout", "timeout"),
        ("http_error", "http_error"),
        ("not_json", "not_json"),
        ("wrong_version", "wrong_version"),
        ("invalid", "invalid"),
        ("too_large", "too_large"),
        ("too_large_declared", "too_large"),
        ("unreachable", "unreachable"),
    ],
)
def test_a_failing_poll_keeps_the_last_good_vehicles(gbfs_server, settings, polled_once, case, code):
    before = set(Vehicle.objects.values_list("pk", "vehicle_id", "lat", "lon", "first_seen_at"))
    last_good = polled_once.last_good_poll_at
    break_feed(gbfs_server, settings, case)
    result = poll_operator(operator=polled_once)
    assert (result.ok, result.error_code) == (False, code)
    assert set(Vehicle.objects.values_list("pk", "vehicle_id", "lat", "lon", "first_seen_at")) == before
    polled_once.refresh_from_db()
    assert polled_once.feed_state == FeedState.FAILING
    assert polled_once.last_good_poll_at == last_good
    assert polled_once.last_poll_at > last_good
    assert 0 < len(polled_once.feed_error) <= 300
    assert "z-" not in polled_once.feed_error  # never a vehicle id
    poll = FeedPoll.objects.filter(operator=polled_once).first()
    assert (poll.ok, poll.error, poll.vehicles) == (False, code, 0)


def test_the_error_message_says_what_went_wrong(gbfs_server, settings, polled_once):
    break_feed(gbfs_server, settings, "http_error")
    poll_operator(operator=polled_once)
    assert polled_once.feed_error == "The vehicle_status file could not be read: the server answered HTTP 500."


def test_the_feed_works_again_at_the_next_good_poll(gbfs_server, settings, polled_once):
    break_feed(gbfs_server, settings, "not_json")
    poll_operator(operator=polled_once)
    gbfs_server.heal(STATUS)
    result = poll_operator(operator=polled_once)
    assert result.ok
    polled_once.refresh_from_db()
    assert (polled_once.feed_state, polled_once.feed_error) == (FeedState.OK, "")


def test_a_feed_address_that_is_not_http_is_never_opened(gbfs_server, polled_once):
    gbfs_server.edit("v3.0/gbfs.json", lambda doc: doc["data"]["feeds"][-1].update(url="file:///etc/passwd"))
    result = poll_operator(operator=polled_once)
    assert (result.ok, result.error_code) == (False, "invalid")
    assert Vehicle.objects.filter(operator=polled_once).count() == 3
