"""The description as the open datasets publish it is stored with the description: by
``report_create``, again by a moderator's edit, and once for the reports already stored."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from moderation.actions import content_edit
from services.actions import report_create
from services.models import Report
from services.tests.factories import CITY_LAT, CITY_LON, ReportFactory, ServiceFactory

PHONE = "0812 3456 7890"
BEFORE = ("services", "0009_alter_report_source")


def migrate(target: tuple[str, str] | None = None) -> None:
    """To ``target``, or forward to the latest migrations (as the other tests need them)."""
    executor = MigrationExecutor(connection)
    executor.migrate([target] if target else executor.loader.graph.leaf_nodes())


@pytest.mark.django_db
def test_a_new_report_keeps_its_description_redacted_beside_what_was_written(citizen):
    ServiceFactory(service_code="pothole")

    report = report_create(
        service_code="pothole", lat=CITY_LAT, lon=CITY_LON, description=f"  Call me on {PHONE}. ", reporter=citizen
    )

    report.refresh_from_db()
    assert report.description == f"Call me on {PHONE}."
    assert report.redacted_description == "Call me on [redacted]."


@pytest.mark.django_db
def test_a_moderators_edit_redacts_the_new_description_too(moderator):
    report = ReportFactory(description="Deep hole")

    content_edit(moderator=moderator, target=report, text=f"Deep hole, ring {PHONE}", reason_code="other")

    report.refresh_from_db()
    assert report.redacted_description == "Deep hole, ring [redacted]"


@pytest.mark.django_db(transaction=True)
def test_the_migration_fills_the_redacted_description_of_every_stored_report():
    plain = ReportFactory(description="Streetlight out")
    personal = ReportFactory(description=f"Streetlight out, call {PHONE}")

    try:
        migrate(BEFORE)  # the column goes, with what the factory wrote into it
    finally:
        migrate()

    found = dict(Report.objects.values_list("pk", "redacted_description"))
    assert found == {plain.pk: "Streetlight out", personal.pk: "Streetlight out, call [redacted]"}
