"""An operator with something in every part of its public page: a permit, a fleet over its cap
one day, answered reports, a breach, a failing feed and a hot spot of idle vehicles."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from operators.models import FeedState
from operators.tests.factories import OperatorFactory, VehicleFactory
from operators.tests.figures import AssignmentFactory, BreachFactory, FeedPollFactory, FleetDayFactory, resolved
from services.tests.factories import CITY_LAT, CITY_LON

# A vehicle id that must never be shown, and a feed address holding an access key.
SECRET_VEHICLE = "KRING-BIKE-SECRET-0042"
FEED_URL = "https://feeds.kring.example/gbfs.json?key=tok3n-s3cret"


@pytest.fixture
def kring(db):
    now = timezone.now()
    operator = OperatorFactory(
        slug="kring",
        name="Kring Bikes",
        permit_number="DISHUB/2026/017",
        permit_valid_from=date(2026, 1, 1),
        public_contact="ops@kring.example, +62 22 555 0101",
        fine_per_breach=Decimal("250000"),
        idle_limit_hours=48,
        gbfs_url=FEED_URL,
        feed_state=FeedState.FAILING,
        feed_error=f"HTTP 503 from {FEED_URL}",
        feed_error_code="http_error",
        last_good_poll_at=now - timedelta(hours=5),
    )
    operator.vehicle_types.create(form_factor="bicycle", fleet_cap=300)
    operator.vehicle_types.create(form_factor="scooter_standing", fleet_cap=None)
    today = timezone.localdate()
    FleetDayFactory(operator=operator, day=today - timedelta(days=1), vehicles_peak=320, fleet_cap=300)
    FleetDayFactory(operator=operator, day=today, vehicles_peak=250, fleet_cap=300)
    resolved(operator, now - timedelta(days=3), 4)
    AssignmentFactory(operator=operator, assigned_at=now - timedelta(days=2))
    BreachFactory(operator=operator, recorded_at=now - timedelta(days=1))
    FeedPollFactory(operator=operator, polled_at=now - timedelta(hours=5), ok=True)
    FeedPollFactory(operator=operator, polled_at=now - timedelta(hours=1), ok=False, error="http_error")
    idle_since = now - timedelta(hours=60)
    VehicleFactory(
        operator=operator, vehicle_id=SECRET_VEHICLE, lat=CITY_LAT + 0.0000123, lon=CITY_LON, first_seen_at=idle_since
    )
    VehicleFactory(operator=operator, lat=CITY_LAT + 0.0001, lon=CITY_LON + 0.0001, first_seen_at=idle_since)
    return operator


@pytest.fixture
def ended(db):
    """An operator whose permit ended, with one vehicle still in its feed."""
    operator = OperatorFactory(
        slug="roda", name="Roda", created_at=datetime(2025, 1, 1, tzinfo=UTC), permit_valid_until=date(2025, 12, 31)
    )
    VehicleFactory(operator=operator)
    return operator


@pytest.fixture
def gone(db):
    """An operator whose permit ended and who has nothing left in the city."""
    return OperatorFactory(slug="gone", name="Gone Scooters", permit_valid_until=date(2024, 6, 30))
