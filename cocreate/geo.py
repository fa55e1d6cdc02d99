"""Points, bounding boxes and distances, checked against the city's bounds."""

from __future__ import annotations

import math

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

EARTH_RADIUS_M = 6_371_000


def parse_coordinate(value: object, field: str) -> float:
    """A finite float from user input, or a ValidationError naming the field."""
    try:
        number = float(str(value).strip())
    except (TypeError, ValueError):
        raise ValidationError({field: _("Enter a number.")}) from None
    if not math.isfinite(number):
        raise ValidationError({field: _("Enter a finite number.")})
    return number


def parse_point(lat: object, lon: object) -> tuple[float, float] | tuple[None, None]:
    """A point inside the city from a latitude and a longitude as sent, or (None, None) when
    neither is given; a ValidationError when only one is, or they are not a point of the city."""
    if lat in (None, "") and lon in (None, ""):
        return None, None
    if lat in (None, "") or lon in (None, ""):
        raise ValidationError({"location": _("Give both latitude and longitude.")})
    lat_value, lon_value = parse_coordinate(lat, "lat"), parse_coordinate(lon, "lon")
    validate_point(lat_value, lon_value)
    return lat_value, lon_value


def validate_point(lat: float, lon: float) -> None:
    """Refuse a point outside the city's bounding box."""
    min_lon, min_lat, max_lon, max_lat = settings.CITY_BOUNDS
    if not (min_lat <= lat <= max_lat and min_lon <= lon <= max_lon):
        raise ValidationError({"location": _("This point is outside the city. Place the pin inside the city's area.")})


def parse_bbox(text: str) -> tuple[float, float, float, float]:
    """Parse ``min_lon,min_lat,max_lon,max_lat`` as sent by maps and API clients."""
    parts = (text or "").split(",")
    if len(parts) != 4:
        raise ValidationError({"bbox": _("Give four numbers: min_lon,min_lat,max_lon,max_lat.")})
    min_lon, min_lat, max_lon, max_lat = (parse_coordinate(part, "bbox") for part in parts)
    if not (-180 <= min_lon <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90):
        raise ValidationError({"bbox": _("The box must have min before max, within -180..180 and -90..90.")})
    return min_lon, min_lat, max_lon, max_lat


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (haversine)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def degrees_around(lat: float, meters: float) -> tuple[float, float]:
    """Half-sides in degrees (latitude, longitude) of the square of half-side ``meters`` around ``lat``."""
    return meters / 111_320, meters / (111_320 * max(math.cos(math.radians(lat)), 0.01))
