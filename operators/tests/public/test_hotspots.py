"""Hot spots of idle vehicles: two or more idle vehicles close together, at a rounded position,
with the operators' names and never a vehicle id."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from operators.hotspots import hotspots
from operators.tests.factories import OperatorFactory, VehicleFactory
from services.tests.factories import CITY_LAT, CITY_LON

pytestmark = pytest.mark.django_db

METRE = 1 / 111_320


def idle(operator, lat, lon, **fields):
    return VehicleFactory(
        operator=operator, lat=lat, lon=lon, first_seen_at=timezone.now() - timedelta(hours=30), **fields
    )


@pytest.fixture
def operators():
    return OperatorFactory(slug="kring", idle_limit_hours=24), OperatorFactory(slug="roda", idle_limit_hours=24)


def test_idle_vehicles_within_the_radius_form_one_hot_spot_of_both_operators(operators, settings):
    settings.IDLE_HOTSPOT_RADIUS_M = 50
    kring, roda = operators
    idle(kring, CITY_LAT + 0.00001234, CITY_LON, vehicle_id="KR-SECRET-1")
    idle(kring, CITY_LAT + 20 * METRE, CITY_LON)
    idle(roda, CITY_LAT + 40 * METRE, CITY_LON)
    idle(kring, CITY_LAT + 500 * METRE, CITY_LON)  # alone: no hot spot
    VehicleFactory(operator=roda, lat=CITY_LAT, lon=CITY_LON)  # in use: not idle

    spots = hotspots()

    assert spots == [
        {"lat": round(CITY_LAT + 20 * METRE, 3), "lon": round(CITY_LON, 3), "count": 3, "operators": ["kring", "roda"]}
    ]
    assert "SECRET" not in json.dumps(spots)


def test_an_operators_hot_spots_count_only_its_vehicles(operators):
    kring, roda = operators
    idle(kring, CITY_LAT, CITY_LON)
    idle(roda, CITY_LAT, CITY_LON)
    idle(roda, CITY_LAT + 0.01, CITY_LON)
    idle(roda, CITY_LAT + 0.01, CITY_LON + 5 * METRE)

    assert hotspots(operator=kring) == []
    assert [spot["count"] for spot in hotspots(operator=roda)] == [2]
    assert [spot["count"] for spot in hotspots()] == [2, 2]


def test_positions_are_rounded_to_about_a_hundred_metres(operators):
    kring, _roda = operators
    idle(kring, -6.9147123456, 107.6098765432)
    idle(kring, -6.9147123456, 107.6098765432)

    (spot,) = hotspots()

    assert (spot["lat"], spot["lon"]) == (-6.915, 107.61)
