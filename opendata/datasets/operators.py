"""The datasets of shared mobility operators: their monthly performance, their fleets per day
and the idle vehicles at the cutoff.

Fleets and idle vehicles are plain datasets (``definitions``). The monthly performance is the
figures ``operators.performance`` works out for the operator pages (``computed``): a small
dataset written from Python, so that the files and the pages can never disagree.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db.models import BooleanField, Case, DateTimeField, F, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce, Least
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opendata.datasets.definitions import Column, Dataset
from opendata.sql import HoursBetween, IsoDate, RoundedFloat
from operators import performance
from operators.models import Assignment, FleetDay, FormFactor, Vehicle
from services.models import COARSE_DECIMALS


def operator_months(cutoff: datetime) -> list[dict[str, object]]:
    """Every operator's figures by month, as ``operators.performance`` counts them for the pages."""
    return [
        {**vars(row), "answered_in_time_share": row.answered_in_time_share, "reopened_share": row.reopened_share}
        for row in performance.monthly(until=cutoff)
    ]


OPERATOR = Column(
    "operator", "string", _("The operator's short name, as on its page and in the API."), "operator_slug", required=True
)

OPERATOR_PERFORMANCE = Dataset(
    name="operator_performance",
    title=_("Mobility operators' performance per month"),
    description=_(
        "How each shared bike and scooter operator answered the reports sent to it, month by month: "
        "reports received, the share answered in time, the median time to resolve, reopenings, "
        "missed deadlines and the fines due. Months are the city's calendar months."
    ),
    keywords=("micromobility", "shared mobility", "operators", "service levels"),
    columns=(
        OPERATOR,
        Column(
            "month",
            "yearmonth",
            _("Month, in the city's time zone."),
            "month",
            lambda month: month.strftime("%Y-%m"),
            required=True,
        ),
        Column(
            "reports_received",
            "integer",
            _("Published reports sent to the operator that month (including idle-vehicle reports)."),
            "reports_received",
        ),
        Column(
            "answered_in_time_share",
            "number",
            _("Of that month's reports resolved or due, the share resolved by their deadline (0 to 1)."),
            "answered_in_time_share",
        ),
        Column(
            "median_hours_to_resolve",
            "number",
            _("Median hours from sending a report to the operator to its resolution."),
            "median_hours_to_resolve",
        ),
        Column(
            "reopened_share",
            "number",
            _("Of that month's reports the operator answered, the share a citizen reopened (0 to 1)."),
            "reopened_share",
        ),
        Column("breaches", "integer", _("Deadlines missed, counted in the month the city recorded them."), "breaches"),
        Column("fines_due", "number", _("Fines due for those missed deadlines."), "fines_due", float),
        Column(
            "currency",
            "string",
            _("ISO 4217 code of the fines."),
            "operator_slug",
            lambda _slug: settings.OPERATOR_FINE_CURRENCY,
        ),
        Column(
            "idle_reports",
            "integer",
            _("Reports the city raised that month about the operator's idle vehicles."),
            "idle_reports",
        ),
    ),
    published=lambda cutoff: Assignment.objects.counted(cutoff),
    computed=operator_months,
    primary_key=("operator", "month"),
    temporal_field="month",
    temporal_source="assigned_at",
)


def whole_fleet_days(cutoff: datetime) -> QuerySet:
    """Operators' days that were over by the cutoff (in the city's time)."""
    return FleetDay.objects.filter(day__lt=timezone.localdate(cutoff))


def fleet_day_shape(days: QuerySet, cutoff: datetime) -> QuerySet:
    over_cap = Q(fleet_cap__isnull=False, vehicles_peak__gt=F("fleet_cap"))
    return days.annotate(
        date=IsoDate("day"),
        over_cap=Case(When(over_cap, then=Value(True)), default=Value(False), output_field=BooleanField()),
    ).order_by("operator__slug", "day")


FLEET_DAILY = Dataset(
    name="fleet_daily",
    title=_("Shared vehicle fleets per day"),
    description=_(
        "Each operator's fleet each day, as the city read it from the operator's public feed: the most "
        "vehicles, the most idle and disabled ones, and the cap of its permit."
    ),
    keywords=("micromobility", "shared mobility", "operators", "fleet", "gbfs"),
    columns=(
        Column("operator", "string", OPERATOR.description, "operator__slug", required=True),
        Column("date", "date", _("Day, in the city's time zone."), "date", required=True),
        Column("vehicles_peak", "integer", _("The most vehicles in the operator's feed that day."), "vehicles_peak"),
        Column("idle_peak", "integer", _("The most vehicles idle longer than the limit that day."), "idle_peak"),
        Column("disabled_peak", "integer", _("The most disabled vehicles that day."), "disabled_peak"),
        Column("fleet_cap", "integer", _("The permit's cap that day; empty when there is none."), "fleet_cap"),
        Column("over_cap", "boolean", _("Whether the most vehicles that day were more than the cap."), "over_cap"),
    ),
    published=whole_fleet_days,
    shape=fleet_day_shape,
    primary_key=("operator", "date"),
    temporal_field="date",
    temporal_source="day",
)


def idle_at_cutoff(cutoff: datetime) -> QuerySet:
    """Vehicles that had stood unused (or disabled) longer than their operator's limit at the cutoff."""
    return Vehicle.objects.idle(cutoff)


def idle_vehicle_shape(vehicles: QuerySet, cutoff: datetime) -> QuerySet:
    since = Least("first_seen_at", Coalesce("disabled_since", "first_seen_at"))
    # About 100 m: the area of a vehicle, not the vehicle.
    return vehicles.annotate(
        idle_since=since,
        idle_hours=HoursBetween(Value(cutoff, output_field=DateTimeField()), since),
        area_lat=RoundedFloat("lat", COARSE_DECIMALS),
        area_lon=RoundedFloat("lon", COARSE_DECIMALS),
    ).order_by("operator__slug", "lat", "lon", "idle_since")


IDLE_VEHICLES = Dataset(
    name="idle_vehicles",
    title=_("Idle shared vehicles"),
    description=_(
        "Shared bikes and scooters that had stood unused longer than their operator's idle limit when the "
        "files were built, with their area (rounded to about 100 m). Vehicles are not identified."
    ),
    keywords=("micromobility", "shared mobility", "operators", "idle vehicles"),
    columns=(
        Column("operator", "string", OPERATOR.description, "operator__slug", required=True),
        Column(
            "form_factor",
            "string",
            _("Kind of vehicle (GBFS form factor)."),
            "form_factor",
            enum=tuple(FormFactor.values),
        ),
        Column("latitude", "number", _("Latitude (WGS84), 3 decimals."), "area_lat"),
        Column("longitude", "number", _("Longitude (WGS84), 3 decimals."), "area_lon"),
        Column(
            "hours_idle",
            "number",
            _("Hours since it was last moved or was disabled, whichever came first."),
            "idle_hours",
        ),
    ),
    published=idle_at_cutoff,
    shape=idle_vehicle_shape,
    point=("latitude", "longitude"),
)
