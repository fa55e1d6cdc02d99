"""Each feed is polled again after its ttl, within GBFS_MIN_INTERVAL..GBFS_MAX_INTERVAL; a failing
feed is polled less and less often."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from operators.fleet import poll_operator
from operators.models import Operator
from operators.tests.gbfs_server import feed_operator

pytestmark = pytest.mark.django_db


@pytest.fixture
def bounds(settings):
    settings.GBFS_MIN_INTERVAL = 60
    settings.GBFS_MAX_INTERVAL = 900


@pytest.mark.parametrize(("ttl", "seconds"), [(0, 60), (30, 60), (300, 300), (86400, 900)])
def test_the_next_poll_follows_the_ttl_within_the_bounds(gbfs_server, bounds, ttl, seconds):
    gbfs_server.edit("v3.0/vehicle_status.json", lambda doc: doc.update(ttl=ttl))
    zoom = feed_operator(gbfs_server, "v3.0", slug="zoom")
    now = timezone.now()
    result = poll_operator(operator=zoom, now=now)
    assert result.next_poll_at == now + timedelta(seconds=seconds)
    zoom.refresh_from_db()
    assert zoom.next_poll_at == now + timedelta(seconds=seconds)
    assert list(Operator.objects.due_for_poll(now + timedelta(seconds=seconds - 1))) == []
    assert list(Operator.objects.due_for_poll(now + timedelta(seconds=seconds))) == [zoom]


def test_a_failing_feed_backs_off_up_to_the_maximum(gbfs_server, bounds):
    zoom = feed_operator(gbfs_server, "v3.0", slug="zoom")
    gbfs_server.fail("v3.0/gbfs.json", status=503)
    now = timezone.now()
    waits = []
    for _ in range(6):
        result = poll_operator(operator=zoom, now=now)
        waits.append((result.next_poll_at - now).total_seconds())
        now = result.next_poll_at
    assert waits == [60, 120, 240, 480, 900, 900]
    gbfs_server.heal("v3.0/gbfs.json")
    result = poll_operator(operator=zoom, now=now)
    assert (result.ok, (result.next_poll_at - now).total_seconds()) == (True, 60)
