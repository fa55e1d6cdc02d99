"""Conditional requests: a vehicle status the server says has not changed (304) keeps the vehicles."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from operators.fleet import poll_operator
from operators.models import FeedPoll, Vehicle
from operators.tests.gbfs_server import LAST_MODIFIED, feed_operator

pytestmark = pytest.mark.django_db


def test_a_second_poll_asks_with_the_validators_of_the_first(gbfs_server):
    zoom = feed_operator(gbfs_server, "v3.0", slug="zoom")
    poll_operator(operator=zoom)
    first = gbfs_server.seen("v3.0/vehicle_status.json")[0]
    assert "If-None-Match" not in first
    zoom.refresh_from_db()
    poll_operator(operator=zoom)
    second = gbfs_server.seen("v3.0/vehicle_status.json")[1]
    assert second["If-None-Match"].startswith('"')
    assert second["If-Modified-Since"] == LAST_MODIFIED
    # gbfs.json is asked conditionally too.
    assert "If-None-Match" in gbfs_server.seen("v3.0/gbfs.json")[1]


def test_not_modified_keeps_the_vehicles_and_records_the_poll(gbfs_server):
    zoom = feed_operator(gbfs_server, "v3.0", slug="zoom")
    now = timezone.now()
    poll_operator(operator=zoom, now=now)
    before = {v.vehicle_id: (v.pk, v.first_seen_at) for v in Vehicle.objects.all()}
    zoom.refresh_from_db()
    later = now + timedelta(minutes=1)
    result = poll_operator(operator=zoom, now=later)
    assert (result.ok, result.not_modified, result.vehicles) == (True, True, 3)
    assert {v.vehicle_id: (v.pk, v.first_seen_at) for v in Vehicle.objects.all()} == before
    assert set(Vehicle.objects.values_list("last_seen_at", flat=True)) == {later}
    # The other files are not downloaded again when the vehicles did not change.
    assert len(gbfs_server.seen("v3.0/vehicle_types.json")) == 1
    poll = FeedPoll.objects.filter(operator=zoom).first()
    assert (poll.ok, poll.not_modified, poll.vehicles) == (True, True, 3)
    zoom.refresh_from_db()
    assert zoom.last_good_poll_at == later
    # The ttl of the last full answer still sets the pace (30 s, raised to the minimum of 60 s).
    assert zoom.next_poll_at == later + timedelta(seconds=60)


def test_a_changed_feed_is_read_again(gbfs_server):
    zoom = feed_operator(gbfs_server, "v3.0", slug="zoom")
    poll_operator(operator=zoom)
    gbfs_server.edit("v3.0/vehicle_status.json", lambda doc: doc["data"]["vehicles"].pop())
    zoom.refresh_from_db()
    result = poll_operator(operator=zoom)
    assert (result.ok, result.not_modified, result.vehicles) == (True, False, 2)
    assert Vehicle.objects.filter(operator=zoom).count() == 2
