"""Timestamps read as text: the database writes them to the second, in UTC, and the writer gives
exactly what ``astimezone(zone).isoformat()`` gives, across changes of offset too."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from cocreate.models import PendingJob
from cocreate.timestamps import UtcSecondsText, local_iso_writer


@pytest.mark.django_db
def test_the_database_writes_a_timestamp_to_the_second_in_utc():
    moment = datetime(2026, 11, 2, 8, 30, 59, 999999, tzinfo=ZoneInfo("Asia/Jakarta"))
    PendingJob.objects.create(name="x", retry_at=moment, created_at=moment)
    PendingJob.objects.create(name="y", retry_at=moment)
    texts = PendingJob.objects.order_by("name").annotate(text=UtcSecondsText("retry_at")).values_list("text", flat=True)
    assert list(texts) == ["2026-11-02T01:30:59", "2026-11-02T01:30:59"]


@pytest.mark.parametrize(
    ("zone", "day"),
    [
        ("America/New_York", datetime(2026, 3, 8, tzinfo=UTC)),  # clocks go forward
        ("America/New_York", datetime(2026, 11, 1, tzinfo=UTC)),  # and back
        ("Australia/Lord_Howe", datetime(2026, 4, 4, 12, tzinfo=UTC)),  # half an hour back, at :30 UTC
        ("Asia/Kathmandu", datetime(1986, 1, 1, tzinfo=UTC)),  # +05:30 to +05:45
        ("Asia/Jakarta", datetime(1923, 12, 31, tzinfo=UTC)),  # the local mean time's seconds
        ("Asia/Jakarta", datetime(2026, 11, 2, tzinfo=UTC)),
    ],
)
def test_the_writer_gives_the_same_text_as_converting_each_moment(zone, day):
    tz = ZoneInfo(zone)
    write = local_iso_writer(tz)
    for minute in range(-3 * 24 * 60, 3 * 24 * 60, 7):
        moment = day + timedelta(minutes=minute, seconds=minute % 60)
        assert write(moment.strftime("%Y-%m-%dT%H:%M:%S")) == moment.astimezone(tz).isoformat()


def test_the_writer_leaves_a_missing_moment_missing():
    assert local_iso_writer(ZoneInfo("Asia/Jakarta"))(None) is None
