"""A vehicle left unused past its operator's limit becomes one report by the city's systems,
sent to that operator with a deadline, and never naming the vehicle's id."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from operators.idle import idle_vehicles_report
from operators.models import Assignment, FeedState, Reason, Vehicle
from operators.tests.factories import OperatorFactory, VehicleFactory
from services.models import Report, ReportStatus
from services.tests.factories import CITY_LAT, CITY_LON

pytestmark = pytest.mark.django_db


@pytest.fixture
def now():
    return timezone.now()


def feed_of(slug: str, **fields):
    return OperatorFactory(
        slug=slug,
        name=slug.title(),
        gbfs_url=f"http://127.0.0.1:9/{slug}/gbfs.json",
        feed_state=FeedState.OK,
        **fields,
    )


def standing(operator, now, hours: float, **fields) -> Vehicle:
    return VehicleFactory(operator=operator, first_seen_at=now - timedelta(hours=hours), last_seen_at=now, **fields)


def test_it_opens_one_report_per_idle_vehicle_sent_to_its_operator(now):
    kring = feed_of("kring", idle_limit_hours=24)
    zoom = feed_of("zoom", idle_limit_hours=12)
    idle_bike = standing(kring, now, 30, vehicle_id="bike-secret-1")
    standing(kring, now, 20)  # under Kring's 24 hours
    idle_scooter = standing(zoom, now, 13, vehicle_id="scooter-secret-2", form_factor="scooter_standing")
    standing(zoom, now, 40, is_reserved=True)  # someone is about to ride it

    assert idle_vehicles_report(now=now) == 2

    reports = Report.objects.filter(service__service_code="idle-vehicle")
    assert reports.count() == 2
    for vehicle, operator in ((idle_bike, kring), (idle_scooter, zoom)):
        vehicle.refresh_from_db()
        report = vehicle.idle_report
        assert report is not None
        assert (report.source, report.reporter, report.status) == (Report.Source.SYSTEM, None, ReportStatus.OPEN)
        assert (report.lat, report.lon) == (vehicle.lat, vehicle.lon)
        assert vehicle.vehicle_id not in report.description
        assert operator.name in report.description
        assignment = Assignment.objects.get(report=report)
        assert (assignment.operator, assignment.reason) == (operator, Reason.IDLE_VEHICLE)
        assert assignment.due_at == assignment.assigned_at + timedelta(hours=operator.deadline_hours(now))
        assert all(vehicle.vehicle_id not in update.note for update in report.updates.all())
    assert "A shared bicycle of Kring has stood unused at this place since" in idle_bike.idle_report.description
    assert "standing e-scooter of Zoom" in idle_scooter.idle_report.description


def test_running_again_opens_nothing_new(now):
    kring = feed_of("kring")
    standing(kring, now, 30)
    assert idle_vehicles_report(now=now) == 1
    assert idle_vehicles_report(now=now + timedelta(minutes=1)) == 0
    assert Report.objects.count() == 1


def test_a_vehicle_out_of_service_past_the_limit_is_reported(now):
    kring = feed_of("kring", idle_limit_hours=24)
    # It moved an hour ago, but has been out of service for two days.
    broken = standing(kring, now, 1, is_disabled=True, disabled_since=now - timedelta(hours=48))
    assert idle_vehicles_report(now=now) == 1
    broken.refresh_from_db()
    assert "out of service since" in broken.idle_report.description


def test_vehicles_of_a_failing_feed_or_outside_the_city_are_not_reported(now):
    failing = feed_of("failing")
    failing.feed_state = FeedState.FAILING
    failing.save()
    standing(failing, now, 100)
    standing(feed_of("kring"), now, 100, lat=CITY_LAT + 2, lon=CITY_LON)
    assert idle_vehicles_report(now=now) == 0


def test_a_vehicle_still_there_after_its_report_closed_is_reported_again_after_another_limit(now):
    kring = feed_of("kring", idle_limit_hours=24)
    vehicle = standing(kring, now, 30)
    idle_vehicles_report(now=now)
    vehicle.refresh_from_db()
    first = vehicle.idle_report
    Report.objects.filter(pk=first.pk).update(status=ReportStatus.RESOLVED, closed_at=now)
    assert idle_vehicles_report(now=now + timedelta(hours=23)) == 0
    assert idle_vehicles_report(now=now + timedelta(hours=25)) == 1
    vehicle.refresh_from_db()
    assert vehicle.idle_report != first


def test_a_round_opens_at_most_its_limit_and_the_next_goes_on(now):
    kring = feed_of("kring")
    for _ in range(3):
        standing(kring, now, 30)
    assert idle_vehicles_report(now=now, limit=2) == 2
    assert idle_vehicles_report(now=now, limit=2) == 1
    assert Vehicle.objects.filter(idle_report__isnull=True).count() == 0
