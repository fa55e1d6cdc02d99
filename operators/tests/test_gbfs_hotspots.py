"""Places where idle vehicles gather: groups of two or more within the radius, rounded, with the
operators' short names only."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from operators.idle import hotspots
from operators.models import FeedState
from operators.tests.factories import OperatorFactory, VehicleFactory
from services.tests.factories import CITY_LAT, CITY_LON

pytestmark = pytest.mark.django_db

METRE = 1 / 111_320


def feed_of(slug: str):
    return OperatorFactory(slug=slug, gbfs_url=f"http://127.0.0.1:9/{slug}.json", feed_state=FeedState.OK)


def idle_at(operator, lat, lon, hours=48, **fields):
    now = timezone.now()
    return VehicleFactory(operator=operator, lat=lat, lon=lon, first_seen_at=now - timedelta(hours=hours), **fields)


def test_idle_vehicles_within_the_radius_make_one_hotspot():
    kring, zoom = feed_of("kring"), feed_of("zoom")
    idle_at(kring, CITY_LAT, CITY_LON)
    idle_at(zoom, CITY_LAT + 20 * METRE, CITY_LON)
    idle_at(kring, CITY_LAT - 30 * METRE, CITY_LON)
    # Another place, 1 km away, with two idle vehicles, and one alone further on.
    idle_at(zoom, CITY_LAT + 1000 * METRE, CITY_LON)
    idle_at(zoom, CITY_LAT + 1010 * METRE, CITY_LON)
    idle_at(kring, CITY_LAT + 3000 * METRE, CITY_LON)
    # Not idle: recently moved.
    idle_at(kring, CITY_LAT + 3001 * METRE, CITY_LON, hours=1)

    found = hotspots(radius_m=50)

    assert found == [
        {
            "lat": round(CITY_LAT - 10 / 3 * METRE, 3),
            "lon": round(CITY_LON, 3),
            "count": 3,
            "operators": ["kring", "zoom"],
        },
        {"lat": round(CITY_LAT + 1005 * METRE, 3), "lon": round(CITY_LON, 3), "count": 2, "operators": ["zoom"]},
    ]


def test_vehicles_further_apart_than_the_radius_are_no_hotspot():
    kring = feed_of("kring")
    idle_at(kring, CITY_LAT, CITY_LON)
    idle_at(kring, CITY_LAT + 80 * METRE, CITY_LON)
    assert hotspots(radius_m=50) == []
    assert hotspots(radius_m=100)[0]["count"] == 2


def test_the_radius_defaults_to_the_setting(settings):
    settings.IDLE_HOTSPOT_RADIUS_M = 10
    kring = feed_of("kring")
    idle_at(kring, CITY_LAT, CITY_LON)
    idle_at(kring, CITY_LAT + 30 * METRE, CITY_LON)
    assert hotspots() == []


def test_a_hotspot_shows_no_vehicle_id():
    kring = feed_of("kring")
    idle_at(kring, CITY_LAT, CITY_LON, vehicle_id="secret-a")
    idle_at(kring, CITY_LAT, CITY_LON + 5 * METRE, vehicle_id="secret-b")
    (spot,) = hotspots()
    assert "secret" not in repr(spot)
    assert set(spot) == {"lat", "lon", "count", "operators"}
