"""Timestamps read as text, for lists that write thousands of them (Open311's requests).

Django reads each PostgreSQL ``timestamptz`` through a loader written in Python (about 5 µs
a value); the same moment written by the database as ``2026-11-02T01:30:00`` and parsed with
``datetime.fromisoformat`` costs a tenth of that. Only to the second, which is all such lists
show. PostgreSQL and SQLite, the two databases the project runs on.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, tzinfo

from django.db import NotSupportedError
from django.db.models import CharField, Func


class UtcSecondsText(Func):
    """A timestamp as ``YYYY-MM-DDTHH:MM:SS`` in UTC, the fraction of a second dropped; NULL stays NULL."""

    arity = 1
    output_field = CharField()

    def as_sql(self, compiler, connection, **extra_context):
        raise NotSupportedError(f"UtcSecondsText is written for PostgreSQL and SQLite, not {connection.vendor}.")

    def as_postgresql(self, compiler, connection, **extra_context):
        template = "to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS')"
        return super().as_sql(compiler, connection, template=template, **extra_context)

    def as_sqlite(self, compiler, connection, **extra_context):
        # SQLite holds Django's timestamps as UTC text; "%%%%" reaches the query as "%%", which the
        # backend's cursor turns into the "%" strftime expects.
        template = "strftime('%%%%Y-%%%%m-%%%%dT%%%%H:%%%%M:%%%%S', %(expressions)s)"
        return super().as_sql(compiler, connection, template=template, **extra_context)


def local_iso_writer(zone: tzinfo) -> Callable[[str | None], str | None]:
    """A function writing ``UtcSecondsText``'s texts as ISO 8601 in ``zone`` with its offset, exactly
    as ``astimezone(zone).isoformat()`` does (``2026-11-02T08:30:00+07:00``); None stays None.

    Converting through the time zone costs more than everything else about a timestamp, so it is
    done once per UTC day: a day whose first and last second have the same offset has that offset
    throughout, since no time zone changes its offset twice within two days (tzdata has no such
    pair of transitions). Such a day's moments are then written from text alone: the local date is
    the day before, the day or the day after, and the local hour and minute come from a table of
    the day's 1440 minutes for that offset. Days with a change of offset, and offsets with seconds
    (local mean times before 1900 or so), are converted moment by moment.
    """
    days: dict[str, tuple[tuple[str | None, ...], dict[str, tuple[int, str]], str] | None] = {}

    def convert(text: str) -> str:
        return datetime.fromisoformat(text).replace(tzinfo=UTC).astimezone(zone).isoformat()

    def day_of(day: str) -> tuple[tuple[str | None, ...], dict[str, tuple[int, str]], str] | None:
        first = datetime.fromisoformat(f"{day}T00:00:00+00:00").astimezone(zone)
        offset = first.utcoffset()
        if (
            offset != datetime.fromisoformat(f"{day}T23:59:59+00:00").astimezone(zone).utcoffset()
            or offset.seconds % 60
        ):
            return None
        dates = []
        for shift in (0, 1, -1):  # indexed by the shift itself: dates[-1] is the day before
            try:
                dates.append((date.fromisoformat(day) + timedelta(days=shift)).isoformat() + "T")
            except OverflowError:
                dates.append(None)
        # The offset as isoformat() writes it after the seconds: "+07:00".
        return tuple(dates), _minutes(offset // timedelta(minutes=1)), first.isoformat()[19:]

    def write(text: str | None) -> str | None:
        if text is None:
            return None
        day = text[:10]
        if day not in days:
            days[day] = day_of(day)
        fixed = days[day]
        if fixed is None:
            return convert(text)
        dates, minutes, suffix = fixed
        shift, local_minute = minutes[text[11:16]]
        local_date = dates[shift]
        if local_date is None:  # past the first or last day a date can have: as astimezone fails
            return convert(text)
        return f"{local_date}{local_minute}{text[16:19]}{suffix}"

    return write


@functools.cache
def _minutes(offset: int) -> dict[str, tuple[int, str]]:
    """For an offset in whole minutes: each UTC "HH:MM" of a day, with the shift of the local date
    (-1, 0 or 1) and the local "HH:MM"."""
    table = {}
    for minute in range(24 * 60):
        shift, local = divmod(minute + offset, 24 * 60)
        table[f"{minute // 60:02d}:{minute % 60:02d}"] = (shift, f"{local // 60:02d}:{local % 60:02d}")
    return table
