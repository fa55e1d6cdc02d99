"""On PostgreSQL every dataset of a snapshot is read in one view of the data, on a connection
of the build's own: what changes while the files are written shows in none of them, and the
connection is gone when the build ends."""

from __future__ import annotations

import pytest
from django.db import connection

from moderation.models import ModerationReason
from opendata.builder import snapshot_build, snapshot_start
from opendata.tests.conftest import rows_of
from services.models import Report
from services.tests.factories import ServiceFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the view is a PostgreSQL transaction"),
]


@pytest.fixture(autouse=True)
def preset_reasons(db):
    """A transactional test run before this one may have emptied the tables the migrations fill:
    the content is moderated with the preset reasons."""
    for code in ("spam", "abusive", "off-topic", "personal-information", "duplicate", "other"):
        ModerationReason.objects.get_or_create(code=code, defaults={"label": code})


def sessions_in_transaction() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            " AND pid <> pg_backend_pid() AND state LIKE 'idle in transaction%%'"
        )
        return cursor.fetchone()[0]


def test_changes_made_while_a_snapshot_is_built_show_in_none_of_its_files(content):
    first = content.reports[0]  # with two status changes
    snapshot = snapshot_start()
    changed = []

    def change_once_the_reports_are_written(current) -> None:
        if current.progress["reports"]["done"] and not changed:
            # Committed on Django's default connection while the build goes on.
            Report.objects.filter(pk=first.pk).update(moderation_state="hidden")
            ServiceFactory(service_code="added-while-building")
            changed.append(True)

    snapshot = snapshot_build(snapshot, on_progress=change_once_the_reports_are_written)

    assert changed and snapshot.status == "succeeded"
    assert first.pk in {row["id"] for row in rows_of(snapshot, "reports")}
    # Read after the report was hidden, its status changes are still those of a published report.
    assert [row["report_id"] for row in rows_of(snapshot, "report_updates")].count(first.pk) == 2
    # The catalogue, read from Python, sees the same moment.
    assert "added-while-building" not in {row["service_code"] for row in rows_of(snapshot, "services")}
    assert sessions_in_transaction() == 0
