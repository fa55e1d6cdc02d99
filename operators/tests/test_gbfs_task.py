"""Celery beat polls the feeds that are due every minute, one broken feed never stopping the
others, then reports idle vehicles."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from operators import fleet
from operators.fleet import operators_claim_due
from operators.models import FeedPoll, Operator, Vehicle
from operators.tasks import poll_feeds_task
from operators.tests.gbfs_server import feed_operator
from services.models import Report

pytestmark = pytest.mark.django_db


def test_it_is_scheduled_every_minute():
    entry = settings.CELERY_BEAT_SCHEDULE["poll-gbfs-feeds"]
    assert (entry["task"], entry["schedule"]) == ("operators.tasks.poll_feeds_task", 60)


def test_it_polls_the_feeds_that_are_due_and_no_other(gbfs_server):
    kring = feed_operator(gbfs_server, "v2.3", slug="kring")
    zoom = feed_operator(gbfs_server, "v3.0", slug="zoom")
    Operator.objects.filter(pk=zoom.pk).update(next_poll_at=timezone.now() + timedelta(minutes=5))
    assert poll_feeds_task.delay().get() == 1
    assert set(FeedPoll.objects.values_list("operator__slug", flat=True)) == {"kring"}
    kring.refresh_from_db()
    assert kring.next_poll_at > timezone.now()


def test_one_broken_feed_does_not_stop_the_others(gbfs_server, monkeypatch, caplog):
    feed_operator(gbfs_server, "v2.3", slug="kring")
    feed_operator(gbfs_server, "v3.0", slug="zoom")
    real_poll = fleet.poll_operator

    def poll(*, operator, now=None):
        if operator.slug == "kring":
            raise RuntimeError("a bug met by vehicle z-0a1b")
        return real_poll(operator=operator, now=now)

    monkeypatch.setattr(fleet, "poll_operator", poll)
    assert poll_feeds_task() == 1
    assert Vehicle.objects.filter(operator__slug="zoom").count() == 3
    # The log names the operator and the kind of error, never what the error's text quotes.
    assert "Polling the GBFS feed of operator kring failed: RuntimeError" in caplog.text
    assert "z-0a1b" not in caplog.text


def test_it_reports_idle_vehicles_after_polling(gbfs_server):
    zoom = feed_operator(gbfs_server, "v3.0", slug="zoom", idle_limit_hours=1)
    poll_feeds_task()
    assert Report.objects.count() == 0
    Vehicle.objects.update(first_seen_at=timezone.now() - timedelta(hours=2))
    Operator.objects.filter(pk=zoom.pk).update(next_poll_at=None)
    poll_feeds_task()
    # The second round found the three vehicles where they had stood for two hours.
    assert Report.objects.filter(service__service_code="idle-vehicle").count() == 3
    assert Vehicle.objects.filter(idle_report__isnull=True).count() == 0


def test_a_claimed_feed_is_not_claimed_again_by_another_worker(gbfs_server):
    feed_operator(gbfs_server, "v3.0", slug="zoom")
    now = timezone.now()
    assert [o.slug for o in operators_claim_due(now=now)] == ["zoom"]
    assert operators_claim_due(now=now) == []
