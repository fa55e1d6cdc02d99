"""A feed's health over 30 days: the share of good polls and the last good one, for the pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from operators.fleet import POLL_RETENTION_DAYS, feed_health, poll_operator
from operators.models import FeedPoll, FeedState
from operators.tests.factories import OperatorFactory
from operators.tests.gbfs_server import feed_operator

pytestmark = pytest.mark.django_db


def test_before_any_poll_there_is_no_share():
    health = feed_health(OperatorFactory())
    assert (health.polls, health.good, health.share, health.last_good_poll_at) == (0, 0, None, None)


def test_it_gives_the_share_of_good_polls_and_the_last_good_one(gbfs_server):
    zoom = feed_operator(gbfs_server, "v3.0", slug="zoom")
    now = timezone.now()
    for minutes in range(3):
        poll_operator(operator=zoom, now=now + timedelta(minutes=minutes))
    gbfs_server.fail("v3.0/gbfs.json", status=502)
    poll_operator(operator=zoom, now=now + timedelta(minutes=3))
    health = feed_health(zoom, now=now + timedelta(minutes=4))
    assert (health.polls, health.good, health.share) == (4, 3, 0.75)
    assert health.last_good_poll_at == now + timedelta(minutes=2)
    assert (health.state, health.error_code) == (FeedState.FAILING, "http_error")
    assert health.error_text == "The feed's server answered with an error."
    with translation.override("id"):
        assert feed_health(zoom).error_text != health.error_text


def test_polls_older_than_30_days_are_deleted(gbfs_server):
    zoom = feed_operator(gbfs_server, "v3.0", slug="zoom")
    old = FeedPoll.objects.create(
        operator=zoom, ok=False, polled_at=timezone.now() - timedelta(days=POLL_RETENTION_DAYS, minutes=1)
    )
    poll_operator(operator=zoom)
    assert not FeedPoll.objects.filter(pk=old.pk).exists()
    assert FeedPoll.objects.filter(operator=zoom).count() == 1
