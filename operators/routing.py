"""Which operator's vehicle a report is about: the nearest vehicle of a matching type in the
latest feeds, within ``OPERATOR_MATCH_RADIUS_M``.

The lookup reads an index range on (lat, lon) for the square around the point, then measures
the few candidates exactly, so it costs the same with 100 or 100,000 vehicles stored
(``bench/operators_match.py``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from cocreate import geo
from operators.models import FormFactor, Operator, Vehicle

# The report form's "What kind of vehicle?" answers, and the GBFS form factors each covers.
VEHICLE_KINDS = {
    "bicycle": (FormFactor.BICYCLE, FormFactor.CARGO_BICYCLE),
    "scooter": (FormFactor.SCOOTER_STANDING, FormFactor.SCOOTER_SEATED),
    "moped": (FormFactor.MOPED,),
}


def form_factors_for(kind: str) -> list[str]:
    """GBFS form factors matching the report's answer; none (any type) when it gave none."""
    return [str(value) for value in VEHICLE_KINDS.get(kind, ())]


@dataclass(frozen=True)
class Match:
    operator: Operator
    distance_m: float


def nearest_vehicle(
    lat: float, lon: float, *, form_factors: list[str] | None = None, radius_m: float | None = None
) -> Match | None:
    """The nearest vehicle within the radius (of one of ``form_factors`` when given)."""
    radius = radius_m if radius_m is not None else settings.OPERATOR_MATCH_RADIUS_M
    candidates = Vehicle.objects.in_box(lat, lon, radius)
    if form_factors:
        candidates = candidates.filter(form_factor__in=form_factors)
    best: tuple[float, int] | None = None
    for operator_id, v_lat, v_lon in candidates.values_list("operator_id", "lat", "lon")[:200]:
        distance = geo.distance_m(lat, lon, v_lat, v_lon)
        if distance <= radius and (best is None or distance < best[0]):
            best = (distance, operator_id)
    if best is None:
        return None
    return Match(operator=Operator.objects.get(pk=best[1]), distance_m=best[0])
