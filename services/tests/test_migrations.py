"""Migrations that rename a column keep every row's value, both ways."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from services.actions import report_change_status
from services.models import ReportStatus, ReportUpdate
from services.tests.factories import ReportFactory

BEFORE = ("services", "0007_service_group_in_indonesian")


def migrate(target: tuple[str, str] | None = None) -> None:
    """To ``target``, or forward to the latest migrations (as the other tests need them)."""
    executor = MigrationExecutor(connection)
    executor.migrate([target] if target else executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_the_role_of_a_report_update_survives_the_rename_of_its_column(staff):
    report_change_status(report=ReportFactory(), to_status=ReportStatus.ACKNOWLEDGED, by=staff)

    migrate(BEFORE)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT author_role FROM services_reportupdate")
            assert cursor.fetchall() == [("city",)]
    finally:
        migrate()

    assert list(ReportUpdate.objects.values_list("by_role", flat=True)) == ["city"]
