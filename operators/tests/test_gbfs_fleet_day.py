"""Each day (in the city's time) keeps the fleet's peaks, its last count and the permit's cap."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from operators.fleet import poll_operator
from operators.models import FleetDay, PermittedVehicleType
from operators.tests.gbfs_server import feed_operator

pytestmark = pytest.mark.django_db

STATUS = "v3.0/vehicle_status.json"
JAKARTA = ZoneInfo("Asia/Jakarta")


def test_a_day_keeps_the_peaks_and_the_last_count(gbfs_server):
    zoom = feed_operator(gbfs_server, "v3.0", slug="zoom", idle_limit_hours=1)
    PermittedVehicleType.objects.create(operator=zoom, form_factor="scooter_standing", fleet_cap=2)
    PermittedVehicleType.objects.create(operator=zoom, form_factor="bicycle", fleet_cap=1)
    morning = datetime(2025, 3, 4, 8, 0, tzinfo=JAKARTA)
    poll_operator(operator=zoom, now=morning)

    def add_vehicles(doc):
        for n in range(3):
            doc["data"]["vehicles"].append(
                {
                    "vehicle_id": f"z-new{n}",
                    "lat": -6.91,
                    "lon": 107.61 + n / 1000,
                    "is_reserved": False,
                    "is_disabled": True,
                    "vehicle_type_id": "stand",
                }
            )

    gbfs_server.edit(STATUS, add_vehicles)
    zoom.refresh_from_db()
    poll_operator(operator=zoom, now=morning + timedelta(hours=2))
    gbfs_server.edit(STATUS, lambda doc: doc["data"].update(vehicles=doc["data"]["vehicles"][:2]))
    zoom.refresh_from_db()
    poll_operator(operator=zoom, now=morning + timedelta(hours=4))

    day = FleetDay.objects.get(operator=zoom)
    assert day.day.isoformat() == "2025-03-04"
    assert (day.polls, day.vehicles_peak, day.vehicles_last) == (3, 6, 2)
    assert day.disabled_peak == 4
    # Two hours after the first poll, the first three vehicles had stood past the 1-hour limit.
    assert day.idle_peak == 3
    assert (day.fleet_cap, day.over_cap) == (3, True)


def test_the_day_is_the_citys_date(gbfs_server):
    zoom = feed_operator(gbfs_server, "v3.0", slug="zoom")
    # 23:30 UTC on 3 March is 06:30 on 4 March in Jakarta.
    poll_operator(operator=zoom, now=datetime(2025, 3, 3, 23, 30, tzinfo=ZoneInfo("UTC")))
    assert FleetDay.objects.get(operator=zoom).day.isoformat() == "2025-03-04"


def test_a_failed_poll_leaves_the_days_figures_as_they_were(gbfs_server):
    zoom = feed_operator(gbfs_server, "v3.0", slug="zoom")
    noon = datetime(2025, 3, 4, 12, 0, tzinfo=JAKARTA)
    poll_operator(operator=zoom, now=noon)
    gbfs_server.fail(STATUS, status=500)
    zoom.refresh_from_db()
    poll_operator(operator=zoom, now=noon + timedelta(minutes=5))
    day = FleetDay.objects.get(operator=zoom)
    assert (day.polls, day.vehicles_last, day.fleet_cap) == (1, 3, None)
