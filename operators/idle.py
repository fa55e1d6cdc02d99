"""Vehicles left unused: a report for each one past its operator's idle limit (the places where
several stand together are in ``operators.hotspots``).

``idle_vehicles_report`` (run by Celery beat after each round of polls) opens a report made by
the city's systems for every vehicle unused at one place, or out of service, for longer than its
operator's ``idle_limit_hours``, and sends it to that operator with its deadline. Only vehicles
of feeds that answered at their last poll count: a failing feed's vehicles may have moved since.
The report says what kind of vehicle it is and since when, never the vehicle's id (GBFS ids
are not to leave the site). A vehicle has one open idle report at a time; once that report is
closed, a vehicle still standing there gets a new one after another idle limit.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from operators import actions
from operators.models import FeedState, FormFactor, Operator, Reason, Vehicle
from services import actions as report_actions
from services import catalogue
from services.models import Report

logger = logging.getLogger(__name__)

SERVICE_CODE = "idle-vehicle"
REPORTS_PER_RUN = 200

# The kind of vehicle as a report names it ("A shared %(kind)s of ...").
KIND_NAMES = {
    FormFactor.BICYCLE: gettext_lazy("bicycle"),
    FormFactor.CARGO_BICYCLE: gettext_lazy("cargo bicycle"),
    FormFactor.SCOOTER_STANDING: gettext_lazy("standing e-scooter"),
    FormFactor.SCOOTER_SEATED: gettext_lazy("seated e-scooter"),
    FormFactor.MOPED: gettext_lazy("moped"),
    FormFactor.CAR: gettext_lazy("car"),
    FormFactor.OTHER: gettext_lazy("vehicle"),
}


def _idle_now(now: datetime):
    """Idle vehicles of feeds that answered at their last poll, inside the city."""
    min_lon, min_lat, max_lon, max_lat = settings.CITY_BOUNDS
    return Vehicle.objects.idle(now).filter(
        operator__in=Operator.objects.with_feed().filter(feed_state=FeedState.OK),
        lat__range=(min_lat, max_lat),
        lon__range=(min_lon, max_lon),
    )


def idle_vehicles_report(*, now: datetime | None = None, limit: int = REPORTS_PER_RUN) -> int:
    """Open a report for each idle vehicle that has no open one, sent to its operator; how many.

    At most ``limit`` in one run, so that a round stays short when many vehicles pass their
    limit at once (a new feed's first day): the next round, a minute later, goes on."""
    now = now or timezone.now()
    catalogue.ensure_service(SERVICE_CODE)
    waiting = (
        _idle_now(now)
        .filter(is_reserved=False)
        # ``limit`` is the operator's idle limit, aliased by ``idle()``.
        .filter(Q(idle_report__isnull=True) | Q(idle_report__closed_at__lt=now - F("limit")))
        .order_by("pk")
    )
    opened = 0
    for pk in list(waiting.values_list("pk", flat=True)[:limit]):
        try:
            with transaction.atomic():
                opened += _report_one(waiting, pk, now)
        except ValidationError as error:
            # The report form's rules refused it (the catalogue changed, say): the next round
            # tries again. The log names the rule, never the vehicle.
            logger.warning("An idle vehicle's report was refused: %s", sorted(error.message_dict))
    return opened


def _report_one(waiting, pk: int, now: datetime) -> int:
    # Locked and checked again: another worker may have reported it since the list was read.
    vehicle = waiting.select_for_update(of=("self",)).select_related("operator").filter(pk=pk).first()
    if vehicle is None:
        return 0
    report = report_actions.report_create(
        service_code=SERVICE_CODE,
        lat=vehicle.lat,
        lon=vehicle.lon,
        description=idle_description(vehicle, now),
        reporter=None,
        source=Report.Source.SYSTEM,
    )
    actions.assign_report(report=report, operator=vehicle.operator, reason=Reason.IDLE_VEHICLE, now=now)
    vehicle.idle_report = report
    vehicle.save(update_fields=["idle_report"])
    return 1


def idle_description(vehicle: Vehicle, now: datetime) -> str:
    """The report's text, in the site's language: the kind of vehicle and since when, no id."""
    limit = vehicle.operator.idle_limit_hours
    unused = vehicle.first_seen_at < now - timedelta(hours=limit)
    with translation.override(settings.LANGUAGE_CODE):
        values = {
            "kind": KIND_NAMES.get(vehicle.form_factor, KIND_NAMES[FormFactor.OTHER]),
            "operator": vehicle.operator.name,
            "since": formats.date_format(
                timezone.localtime(vehicle.first_seen_at if unused else vehicle.disabled_since), "DATETIME_FORMAT"
            ),
        }
        if unused:
            return _(
                "A shared %(kind)s of %(operator)s has stood unused at this place since %(since)s, "
                "according to the operator's own data."
            ) % {key: str(value) for key, value in values.items()}
        return _(
            "A shared %(kind)s of %(operator)s has been out of service since %(since)s, "
            "according to the operator's own data."
        ) % {key: str(value) for key, value in values.items()}
