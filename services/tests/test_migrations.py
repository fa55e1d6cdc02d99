"""Migrations that move a column keep every row's value, both ways."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import translation

from services.actions import report_change_status
from services.models import ReportStatus, ReportUpdate, Service
from services.tests.factories import ReportFactory, ServiceFactory

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


BEFORE_TRANSLATIONS = ("services", "0010_index_published_points_for_the_map")


def historical(app: str, model: str, target: tuple[str, str]):
    """A model as it was at ``target``, to write rows the way the old code did."""
    return MigrationExecutor(connection).loader.project_state(target).apps.get_model(app, model)


@pytest.mark.django_db(transaction=True)
def test_the_indonesian_catalogue_survives_the_move_to_a_column_per_language():
    migrate(BEFORE_TRANSLATIONS)
    try:
        OldService = historical("services", "Service", BEFORE_TRANSLATIONS)
        old = OldService.objects.create(
            service_code="pothole",
            name="Pothole",
            name_id="Jalan berlubang",
            description="A hole in a road.",
            description_id="Lubang di jalan.",
            group="Roads",
            group_id="Jalan",
        )
        attribute = historical("services", "ServiceAttribute", BEFORE_TRANSLATIONS).objects.create(
            service_id=old.pk, code="size", description="How big is it?", description_id="Seberapa besar?"
        )
        historical("services", "AttributeValue", BEFORE_TRANSLATIONS).objects.create(
            attribute_id=attribute.pk, key="small", name="Small", name_id="Kecil"
        )
        historical("services", "Service", BEFORE_TRANSLATIONS).objects.create(service_code="untranslated", name="Other")
    finally:
        migrate()

    service = Service.objects.get(service_code="pothole")
    assert (service.name_en, service.name_ind) == ("Pothole", "Jalan berlubang")
    assert (service.description_en, service.description_ind) == ("A hole in a road.", "Lubang di jalan.")
    assert (service.group_en, service.group_ind) == ("Roads", "Jalan")
    question = service.attributes.get()
    assert (question.description_en, question.description_ind) == ("How big is it?", "Seberapa besar?")
    assert (question.values.get().name_en, question.values.get().name_ind) == ("Small", "Kecil")
    with translation.override("id"):
        assert (service.name, service.description, question.values.get().name) == (
            "Jalan berlubang",
            "Lubang di jalan.",
            "Kecil",
        )
        # A service never translated falls back to English rather than showing nothing.
        assert Service.objects.get(service_code="untranslated").name == "Other"
    with translation.override("th"):
        assert service.name == "Pothole"


@pytest.mark.django_db(transaction=True)
def test_going_back_before_the_columns_per_language_keeps_the_indonesian():
    ServiceFactory(service_code="pothole", name="Pothole", name_ind="Jalan berlubang", group="Roads", group_ind="Jalan")

    migrate(BEFORE_TRANSLATIONS)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT name, name_id, group_id FROM services_service WHERE service_code = 'pothole'")
            assert cursor.fetchall() == [("Pothole", "Jalan berlubang", "Jalan")]
    finally:
        migrate()

    assert Service.objects.get(service_code="pothole").name_ind == "Jalan berlubang"
