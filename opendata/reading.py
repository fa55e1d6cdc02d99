"""Where a snapshot reads its rows: one connection, one consistent view of the data.

On PostgreSQL a build reads every dataset on a connection of its own, in one
``REPEATABLE READ READ ONLY`` transaction: the reports, their status changes and the
counts of the proposals all describe the same moment, however long the build takes, and
no report added half-way appears in one file and not in another. Django's default
connection stays free for what the build writes meanwhile (its progress, which the page
shows while the rows stream), and the connection is closed when the build ends.

The plain datasets are written there by PostgreSQL's COPY (``opendata.copying``), two files at
once: a second connection (the ``companion``) reads the very same view, imported with
``SET TRANSACTION SNAPSHOT`` as ``pg_dump --jobs`` does, so that PostgreSQL formats the CSV and
the JSON on two processors. The other datasets are read through the ORM, with the view's
connection standing in as Django's default one while a row is read, so that every query
behind them, including those another module makes for a ``computed`` dataset, sees the same
view.

A build run inside a transaction (a management command in ``atomic``, a test) reads in that
transaction instead, which sees what it wrote: a second connection would not. SQLite has
no COPY and writes every file from Python, on the default connection.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import datetime

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper

from opendata.datasets import Dataset

_END = object()
SNAPSHOT_ID = re.compile(r"[0-9A-Fa-f-]+")


@dataclass(frozen=True)
class SnapshotView:
    """The connection a snapshot's rows are read on, whether it is the build's own, and the
    second connection in the same view (usable from another thread) when there is one."""

    connection: BaseDatabaseWrapper
    separate: bool
    companion: BaseDatabaseWrapper | None = None

    @property
    def copies(self) -> bool:
        """PostgreSQL writes the plain datasets' files itself."""
        return self.connection.vendor == "postgresql"

    def rows(self, dataset: Dataset, cutoff: datetime) -> Iterator[tuple]:
        """The dataset's rows (``Dataset.rows``), read in this view."""
        rows = dataset.rows(cutoff)
        return self._in_view(rows) if self.separate else rows

    def _in_view(self, rows: Iterator[tuple]) -> Iterator[tuple]:
        # Only while a row is read: the build saves its progress between rows, on the real
        # default connection.
        try:
            while True:
                with self._as_default():
                    row = next(rows, _END)
                if row is _END:
                    return
                yield row
        finally:
            with self._as_default():
                rows.close()

    @contextmanager
    def _as_default(self) -> Iterator[None]:
        original = connections[DEFAULT_DB_ALIAS]
        connections[DEFAULT_DB_ALIAS] = self.connection
        try:
            yield
        finally:
            connections[DEFAULT_DB_ALIAS] = original


@contextmanager
def snapshot_view() -> Iterator[SnapshotView]:
    """Open the view every dataset of a snapshot is read in; closed (and its connections) on exit."""
    default = connections[DEFAULT_DB_ALIAS]
    if default.vendor != "postgresql" or default.in_atomic_block:
        yield SnapshotView(default, separate=False)
        return
    with ExitStack() as stack:
        reader = stack.enter_context(_read_only_connection())
        with reader.cursor() as cursor:
            # The first statement: the transaction begins, and its view is shared from here.
            cursor.execute("SELECT pg_export_snapshot()")
            exported = cursor.fetchone()[0]
        if not SNAPSHOT_ID.fullmatch(exported):
            raise RuntimeError(f"unexpected snapshot id {exported!r}")
        companion = stack.enter_context(_read_only_connection())
        with companion.cursor() as cursor:
            # A literal, not a parameter: SET takes none. The id is checked above.
            cursor.execute(f"SET TRANSACTION SNAPSHOT '{exported}'")
        companion.inc_thread_sharing()  # used by the thread that writes the second file
        stack.callback(companion.dec_thread_sharing)
        yield SnapshotView(reader, separate=True, companion=companion)


@contextmanager
def _read_only_connection() -> Iterator[BaseDatabaseWrapper]:
    """A new connection with the default one's settings, known to no one else, whose first
    statement begins a ``REPEATABLE READ READ ONLY`` transaction; closed on exit."""
    import psycopg

    connection = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        connection.set_autocommit(False)
        # psycopg begins the transaction at the first statement:
        # BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY.
        connection.connection.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        connection.connection.read_only = True
        yield connection
    finally:
        connection.close()  # nothing was written: closing ends the transaction
