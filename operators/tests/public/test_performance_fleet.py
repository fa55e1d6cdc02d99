"""An operator's fleet in its figures: the last 30 days against the cap, complaints per 1,000
vehicles, and the vehicles idle now."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from operators import performance
from operators.models import Reason
from operators.tests.factories import OperatorFactory, VehicleFactory
from operators.tests.figures import AssignmentFactory, FleetDayFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 6, 15, 5, 0, tzinfo=UTC)  # noon in Jakarta
TODAY = date(2026, 6, 15)


@pytest.fixture
def kring():
    return OperatorFactory(slug="kring", idle_limit_hours=24)


def test_the_fleet_shows_the_last_thirty_days_oldest_first_and_which_went_over_the_cap(kring):
    for back in range(40):
        FleetDayFactory(operator=kring, day=TODAY - timedelta(days=back), vehicles_peak=100 + back, fleet_cap=120)

    card = performance.scorecard(kring, now=NOW)

    assert len(card.fleet_days) == 30
    assert card.fleet_days[0].day == TODAY - timedelta(days=29)
    assert card.fleet_days[-1].day == TODAY
    assert [day.day for day in card.fleet_days if day.over_cap] == [
        TODAY - timedelta(days=back) for back in (29, 28, 27, 26, 25, 24, 23, 22, 21)
    ]
    assert card.days_over_cap == 9


def test_complaints_per_thousand_vehicles_divide_thirty_days_of_citizens_reports_by_the_average_daily_peak(kring):
    for back, peak in enumerate((180, 220, 200)):
        FleetDayFactory(operator=kring, day=TODAY - timedelta(days=back), vehicles_peak=peak)
    FleetDayFactory(operator=kring, day=TODAY - timedelta(days=45), vehicles_peak=5000)  # too old to count
    for _ in range(3):
        AssignmentFactory(operator=kring, assigned_at=NOW - timedelta(days=3))
    AssignmentFactory(operator=kring, assigned_at=NOW - timedelta(days=3), reason=Reason.IDLE_VEHICLE)

    card = performance.scorecard(kring, now=NOW)

    assert card.average_vehicles == 200.0
    assert card.complaints == 3
    assert card.complaints_per_1000_vehicles == 15.0


def test_without_a_fleet_there_is_no_rate_of_complaints(kring):
    AssignmentFactory(operator=kring, assigned_at=NOW - timedelta(days=3))

    card = performance.scorecard(kring, now=NOW)

    assert card.complaints == 1
    assert card.complaints_per_1000_vehicles is None


def test_idle_vehicles_now_are_those_past_their_operators_limit(kring):
    strict = OperatorFactory(slug="strict", idle_limit_hours=2)
    VehicleFactory(operator=kring, first_seen_at=NOW - timedelta(hours=30))
    VehicleFactory(operator=kring, first_seen_at=NOW - timedelta(hours=3))
    VehicleFactory(operator=kring, first_seen_at=NOW - timedelta(hours=3), disabled_since=NOW - timedelta(hours=25))
    VehicleFactory(operator=strict, first_seen_at=NOW - timedelta(hours=3))

    cards = {card.operator.slug: card for card in performance.scorecards([kring, strict], now=NOW)}

    assert cards["kring"].idle_vehicles_now == 2
    assert cards["strict"].idle_vehicles_now == 1
