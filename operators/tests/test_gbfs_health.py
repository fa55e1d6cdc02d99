"""A feed's health over 30 days from real polls: the share of good polls, the last good one, and
what the public is told when it fails (in the reader's language, never the poller's message)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from operators.fleet import POLL_RETENTION_DAYS, poll_operator
from operators.models import FeedPoll, FeedState
from operators.performance import feed_health
from operators.tests.gbfs_server import feed_operator

pytestmark = pytest.mark.django_db


def test_it_gives_the_share_of_good_polls_and_the_last_good_one(gbfs_server):
    zoom = feed_operator(gbfs_server, "v3.0", slug="zoom")
    now = timezone.now()
    for minutes in range(3):
        poll_operator(operator=zoom, now=now + timedelta(minutes=minutes))
    gbfs_server.fail("v3.0/gbfs.json", status=502)
    poll_operator(operator=zoom, now=now + timedelta(minutes=3))
    zoom.refresh_from_db()
    health = feed_health(zoom, now=now + timedelta(minutes=4))
    assert (health.polls, health.good_polls, health.good_share) == (4, 3, 0.75)
    assert health.last_good_poll_at == now + timedelta(minutes=2)
    assert (health.state, zoom.feed_error_code) == (FeedState.FAILING, "http_error")
    assert health.problem == "The feed's server answered with an error."
    assert gbfs_server.base_url not in health.problem
    with translation.override("id"):
        assert feed_health(zoom).problem != health.problem


def test_polls_older_than_30_days_are_deleted(gbfs_server):
    zoom = feed_operator(gbfs_server, "v3.0", slug="zoom")
    old = FeedPoll.objects.create(
        operator=zoom, ok=False, polled_at=timezone.now() - timedelta(days=POLL_RETENTION_DAYS, minutes=1)
    )
    poll_operator(operator=zoom)
    assert not FeedPoll.objects.filter(pk=old.pk).exists()
    assert FeedPoll.objects.filter(operator=zoom).count() == 1
