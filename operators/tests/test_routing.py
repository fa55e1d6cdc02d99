"""Reports about shared vehicles reach the operator responsible, and the reason is public."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from operators.models import Assignment, Reason
from operators.tests.factories import VehicleFactory, operator_with_staff
from services import actions as report_actions
from services.models import ReportUpdate
from services.tests.factories import CITY_LAT, CITY_LON

pytestmark = pytest.mark.django_db(transaction=False)

# About 20 m north of the report's point, and about 80 m.
NEAR = CITY_LAT + 20 / 111_320
FAR = CITY_LAT + 80 / 111_320


def make_report(citizen, **answers):
    return report_actions.report_create(
        service_code="abandoned-vehicle",
        lat=CITY_LAT,
        lon=CITY_LON,
        description="A bike lying across the footpath",
        attributes={"blocking_footpath": "yes", **answers},
        reporter=citizen,
    )


@pytest.fixture
def published(settings):
    settings.MODERATION_FIRST_CONTRIBUTIONS_PENDING = 0


def test_it_routes_to_the_operator_the_citizen_named(citizen, published, django_capture_on_commit_callbacks):
    kring, _staff = operator_with_staff("kring")
    with django_capture_on_commit_callbacks(execute=True):
        report = make_report(citizen, operator="kring")
    assignment = Assignment.objects.get(report=report)
    assert (assignment.operator, assignment.reason) == (kring, Reason.CHOSEN)
    assert assignment.due_at == assignment.assigned_at + timedelta(hours=kring.deadline_hours(assignment.assigned_at))
    note = ReportUpdate.objects.filter(report=report).last().note
    assert "Kring" in note and "named" in note


def test_it_routes_to_the_operator_of_the_nearest_vehicle_of_the_type(
    citizen, published, django_capture_on_commit_callbacks
):
    kring, _ = operator_with_staff("kring")
    zoom, _ = operator_with_staff("zoom")
    VehicleFactory(operator=kring, lat=FAR)
    VehicleFactory(operator=zoom, lat=NEAR, form_factor="scooter_standing")
    VehicleFactory(operator=kring, lat=NEAR + 5 / 111_320)
    with django_capture_on_commit_callbacks(execute=True):
        bike = make_report(citizen, vehicle_type="bicycle")
        anything = make_report(citizen)
    assert Assignment.objects.get(report=bike).operator == kring
    assert Assignment.objects.get(report=bike).distance_m == 25
    assert Assignment.objects.get(report=anything).operator == zoom
    assert "20 m" in ReportUpdate.objects.filter(report=anything).last().note


def test_without_a_vehicle_nearby_it_waits_in_the_city_queue(citizen, published, django_capture_on_commit_callbacks):
    kring, _ = operator_with_staff("kring")
    VehicleFactory(operator=kring, lat=FAR)
    with django_capture_on_commit_callbacks(execute=True):
        report = make_report(citizen)
    assignment = Assignment.objects.get(report=report)
    assert assignment.operator is None
    assert list(Assignment.objects.city_queue()) == [assignment]
    assert "city staff will send" in ReportUpdate.objects.filter(report=report).last().note


def test_a_pending_report_is_routed_by_the_sweep_once_published(citizen, settings, django_capture_on_commit_callbacks):
    from moderation.models import ModerationState
    from operators.tasks import mark_breaches_task

    settings.MODERATION_FIRST_CONTRIBUTIONS_PENDING = 5
    operator_with_staff("kring")
    with django_capture_on_commit_callbacks(execute=True):
        report = make_report(citizen, operator="kring")
    assert not Assignment.objects.filter(report=report).exists()
    report.moderation_state = ModerationState.PUBLISHED
    report.save(update_fields=["moderation_state"])
    with django_capture_on_commit_callbacks(execute=True):
        mark_breaches_task()
    assert Assignment.objects.get(report=report).reason == Reason.CHOSEN


@pytest.mark.parametrize(
    ("local_hour", "hours"),
    [(9, 24), (21, 24), (22, 36), (3, 36), (6, 24)],
)
def test_night_assignments_get_the_night_deadline(local_hour, hours, settings):
    from operators.models import Operator

    settings.TIME_ZONE = "Asia/Jakarta"
    operator = Operator(response_hours=24, night_response_hours=36)
    at = datetime(2026, 11, 29, local_hour, 30, tzinfo=timezone.get_default_timezone())
    assert operator.deadline_hours(at.astimezone(UTC)) == hours
