"""Database-side formatting for the dataset rows: the database writes the timestamps and
durations as text, so a million rows need no Python datetime at all."""

from __future__ import annotations

from django.db.models import CharField, FloatField, Func


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
