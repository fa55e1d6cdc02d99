"""Timestamps read as text, for lists that write thousands of them (Open311's requests).

Django reads each PostgreSQL ``timestamptz`` through a loader written in Python (about 5 µs
a value); the same moment written by the database as ``2026-11-02T01:30:00`` and parsed with
``datetime.fromisoformat`` costs a tenth of that. Only to the second, which is all such lists
show. PostgreSQL and SQLite, the two databases the project runs on.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta, tzinfo

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
    """A function writing ``UtcSecondsText``'s texts as ISO 8601 in ``zone`` with its offset, as
    ``astimezone(zone).isoformat()`` does (``2026-11-02T08:30:00+07:00``); None stays None.

    Converting through the time zone costs more than everything else about a timestamp, so it is
    done once per UTC day: a day whose first and last second have the same offset has that offset
    throughout, since no time zone changes its offset twice within two days (tzdata has no such
    pair of transitions), and its moments are shifted by it. The few days with a change are
    converted moment by moment.
    """
    days: dict[str, tuple[timedelta, str] | None] = {}

    def write(text: str | None) -> str | None:
        if text is None:
            return None
        day = text[:10]
        if day in days:
            fixed = days[day]
        else:
            first = datetime.fromisoformat(f"{day}T00:00:00+00:00").astimezone(zone)
            last = datetime.fromisoformat(f"{day}T23:59:59+00:00").astimezone(zone)
            offset = first.utcoffset()
            # The offset as isoformat() writes it after the seconds: "+07:00" (or "+07:07:12").
            fixed = days[day] = (offset, first.isoformat()[19:]) if offset == last.utcoffset() else None
        moment = datetime.fromisoformat(text)
        if fixed is None:
            return moment.replace(tzinfo=UTC).astimezone(zone).isoformat()
        return (moment + fixed[0]).isoformat() + fixed[1]

    return write
