"""Hot spots of idle vehicles, for the public map: places where at least two vehicles have stood
unused longer than their operator's idle limit, within ``IDLE_HOTSPOT_RADIUS_M`` of each other.

A hot spot is public by design: a count, the operators' short names, and a position rounded to 3
decimals (about 100 m). No vehicle id and no exact position leaves this module.

Vehicles are grouped greedily: each joins the first group whose first vehicle is within the
radius, found through a grid of cells as wide as the radius, so a vehicle is measured against the
groups of its own and the eight neighbouring cells only.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings

from cocreate import geo
from operators.models import Operator, Vehicle

MIN_VEHICLES = 2
DECIMALS = 3
# A bound on the vehicles read: far above any city's idle fleet, and a cap on the work if a feed goes wrong.
READ_LIMIT = 20_000


@dataclass
class _Group:
    lat: float
    lon: float
    points: list[tuple[float, float]] = field(default_factory=list)
    operators: set[str] = field(default_factory=set)


def hotspots(*, operator: Operator | None = None, now: datetime | None = None) -> list[dict]:
    """``[{lat, lon, count, operators}]``, the most vehicles first (one query).

    ``lat`` and ``lon`` are the middle of the group's vehicles, rounded to 3 decimals;
    ``operators`` their operators' short names, sorted.
    """
    vehicles = Vehicle.objects.idle(now)
    if operator is not None:
        vehicles = vehicles.filter(operator=operator)
    rows = vehicles.order_by("lat", "lon", "pk").values_list("lat", "lon", "operator__slug")[:READ_LIMIT]
    radius = settings.IDLE_HOTSPOT_RADIUS_M
    _min_lon, min_lat, _max_lon, max_lat = settings.CITY_BOUNDS
    cell_lat, cell_lon = geo.degrees_around((min_lat + max_lat) / 2, radius)
    cells: dict[tuple[int, int], list[_Group]] = defaultdict(list)
    groups: list[_Group] = []
    for lat, lon, slug in rows:
        row, column = math.floor(lat / cell_lat), math.floor(lon / cell_lon)
        near = (
            group
            for step_row in (-1, 0, 1)
            for step_column in (-1, 0, 1)
            for group in cells[(row + step_row, column + step_column)]
        )
        group = next((group for group in near if geo.distance_m(group.lat, group.lon, lat, lon) <= radius), None)
        if group is None:
            group = _Group(lat=lat, lon=lon)
            cells[(row, column)].append(group)
            groups.append(group)
        group.points.append((lat, lon))
        group.operators.add(slug)
    spots = [
        {
            "lat": round(sum(lat for lat, _lon in group.points) / len(group.points), DECIMALS),
            "lon": round(sum(lon for _lat, lon in group.points) / len(group.points), DECIMALS),
            "count": len(group.points),
            "operators": sorted(group.operators),
        }
        for group in groups
        if len(group.points) >= MIN_VEHICLES
    ]
    return sorted(spots, key=lambda spot: (-spot["count"], spot["lat"], spot["lon"]))
