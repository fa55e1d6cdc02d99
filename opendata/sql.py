"""Database-side formatting for the dataset rows: the database writes every cell as the files
publish it (timestamps and dates as text, rounded coordinates, the page's address), so that
the same query serves both ways of writing a dataset: rows read into Python and written by
``opendata.writers``, and PostgreSQL's own COPY (``opendata.copying``). A million rows need no
Python datetime, no rounding and no string formatting of ours."""

from __future__ import annotations

from django.conf import settings
from django.db.models import CharField, F, FloatField, Func, Value
from django.db.models.functions import Cast, Concat


class UtcTimestamp(Func):
    """A timestamp as Table Schema's default datetime text, in UTC: ``2026-11-02T01:30:00Z``."""

    output_field = CharField()
    template = "to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

    def as_sqlite(self, compiler, connection, **extra):
        # %% survives the template as a single %, which must itself be doubled for the
        # driver's parameter substitution.
        return self.as_sql(
            compiler, connection, template="strftime('%%%%Y-%%%%m-%%%%dT%%%%H:%%%%M:%%%%SZ', %(expressions)s)"
        )


class UtcMonth(Func):
    """The month of a timestamp, in UTC, as Table Schema's yearmonth text: ``2026-11``."""

    output_field = CharField()
    template = "to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM')"

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="strftime('%%%%Y-%%%%m', %(expressions)s)")


class IsoDate(Func):
    """A date as ISO 8601 text: ``2026-11-02``."""

    output_field = CharField()
    template = "to_char(%(expressions)s, 'YYYY-MM-DD')"

    def as_sqlite(self, compiler, connection, **extra):
        # SQLite keeps a date as that text already; the cast stops the driver from reading a
        # date column back as a date.
        return self.as_sql(compiler, connection, template="CAST(%(expressions)s AS text)")


class HoursBetween(Func):
    """Hours from ``start`` to ``end``, to one decimal (NULL when either is): ``HoursBetween(end, start)``."""

    output_field = FloatField()
    arity = 2
    arg_joiner = " - "
    template = "round((extract(epoch FROM %(expressions)s) / 3600)::numeric, 1)::float8"

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="round((julianday(%(expressions)s)) * 24, 1)",
            arg_joiner=") - julianday(",
            **extra,
        )


class RoundedFloat(Func):
    """A number rounded to ``decimals`` places, as a float (``round(-6.9147123, 3)`` is ``-6.915``).

    PostgreSQL rounds a numeric, then gives a float back, so that every file writes the
    shortest form of the number (``-6.915``, not the numeric's ``-6.915000``).
    """

    output_field = FloatField()

    def __init__(self, expression, decimals: int, **extra):
        super().__init__(expression, decimals=int(decimals), **extra)

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="round((%(expressions)s)::numeric, %(decimals)s)::float8")

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="round(%(expressions)s, %(decimals)s)")


def page_url(prefix: str, key: str = "pk") -> Concat:
    """The public page of each row: ``SITE_URL`` + ``prefix`` + the row's ``key`` + ``/``."""
    return Concat(
        Value(f"{settings.SITE_URL}{prefix}"), Cast(F(key), CharField()), Value("/"), output_field=CharField()
    )
