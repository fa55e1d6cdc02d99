"""Since when a vehicle stands where it is: kept while its id stays put, reset when it moves or
its id rotates after a trip; disabled since when; gone when the feed no longer lists it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from operators.fleet import STILL_RADIUS_M, poll_operator
from operators.models import Vehicle
from operators.tests.gbfs_server import feed_operator
from services.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db

STATUS = "v3.0/vehicle_status.json"
METRE = 1 / 111_320  # a metre north, in degrees of latitude


def vehicle(vehicle_id: str) -> Vehicle:
    return Vehicle.objects.get(vehicle_id=vehicle_id)


def set_vehicle(server, index: int, **fields) -> None:
    server.edit(STATUS, lambda doc: doc["data"]["vehicles"][index].update(**fields))


@pytest.fixture
def polled(gbfs_server):
    zoom = feed_operator(gbfs_server, "v3.0", slug="zoom")
    start = timezone.now() - timedelta(hours=5)
    poll_operator(operator=zoom, now=start)

    def again(hours: float):
        zoom.refresh_from_db()
        moment = start + timedelta(hours=hours)
        poll_operator(operator=zoom, now=moment)
        return moment

    return start, again


def test_a_vehicle_standing_still_keeps_its_first_seen_time(gbfs_server, polled):
    start, again = polled
    # A few metres of GPS jitter is no move.
    set_vehicle(gbfs_server, 0, lat=-6.9147 + (STILL_RADIUS_M - 3) * METRE)
    later = again(2)
    still = vehicle("z-0a1b")
    assert (still.first_seen_at, still.last_seen_at) == (start, later)
    # The stored place stays the first one, so jitter never adds up to a move.
    assert still.lat == -6.9147


def test_a_vehicle_that_moved_is_seen_anew_and_loses_its_idle_report(gbfs_server, polled):
    start, again = polled
    Vehicle.objects.filter(vehicle_id="z-0a1b").update(idle_report=ReportFactory())
    set_vehicle(gbfs_server, 0, lat=-6.9147 + 40 * METRE)
    later = again(2)
    moved = vehicle("z-0a1b")
    assert moved.first_seen_at == later
    assert moved.lat == pytest.approx(-6.9147 + 40 * METRE)
    assert moved.idle_report is None
    assert vehicle("z-2c3d").first_seen_at == start


def test_a_rotated_id_is_a_new_vehicle_and_the_old_id_is_gone(gbfs_server, polled):
    _start, again = polled
    set_vehicle(gbfs_server, 1, vehicle_id="z-9999", lat=-6.9200, lon=107.6050)
    later = again(1)
    assert not Vehicle.objects.filter(vehicle_id="z-2c3d").exists()
    assert vehicle("z-9999").first_seen_at == later
    assert Vehicle.objects.count() == 3


def test_disabled_since_is_set_when_disabled_and_cleared_when_working_again(gbfs_server, polled):
    start, again = polled
    assert vehicle("z-4e5f").disabled_since == start
    set_vehicle(gbfs_server, 0, is_disabled=True)
    disabled_at = again(1)
    assert vehicle("z-0a1b").disabled_since == disabled_at
    set_vehicle(gbfs_server, 0, is_disabled=False, is_reserved=True)
    again(2)
    working = vehicle("z-0a1b")
    assert (working.disabled_since, working.is_disabled, working.is_reserved) == (None, False, True)
    assert working.first_seen_at == start
    # Still disabled: the time it was first seen disabled stays.
    assert vehicle("z-4e5f").disabled_since == start


def test_vehicles_gone_from_the_feed_are_deleted(gbfs_server, polled):
    _start, again = polled
    gbfs_server.edit(STATUS, lambda doc: doc["data"].update(vehicles=[]))
    again(1)
    assert Vehicle.objects.count() == 0
