"""Recording polls of operators' GBFS feeds: the vehicles, the poll, the feed's state, the day's figures.

``poll_operator`` downloads a feed (``operators/gbfs.py``, outside any transaction: the network
never holds a lock) and records the result with one of

- ``fleet_record_snapshot``: the vehicles now in the feed replace the stored ones. A vehicle
  keeps its row and its ``first_seen_at`` while its id stays within ``STILL_RADIUS_M`` of where it
  was first seen: GBFS rotates vehicle ids after each trip, so an id that stays put means
  nobody rode it. An id that moved is, for this table, a new vehicle: its row is replaced (new
  ``first_seen_at``, no ``idle_report``). Ids no longer in the feed are deleted.
- ``fleet_record_not_modified``: the vehicle status did not change (HTTP 304); the vehicles stay.
- ``fleet_record_failure``: the last good vehicles stay; the feed is marked failing and polled
  again after a back-off.

Each writes a ``FeedPoll`` (kept ``POLL_RETENTION_DAYS``), the operator's feed fields and, for
good polls, the ``FleetDay`` of the city's date. A snapshot of 10,000 vehicles is recorded with
one read of the stored rows and a few batched writes (``bench/gbfs_poll.py``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from cocreate import geo
from operators import gbfs
from operators.models import FEED_ERROR_MAX, FeedPoll, FeedState, FleetDay, Operator, Vehicle

STILL_RADIUS_M = 10
POLL_RETENTION_DAYS = 30
BATCH = 1000
# How long a claimed poll keeps other workers off the feed: longer than a poll can take.
CLAIM_SECONDS = 60


@dataclass(frozen=True)
class PollResult:
    ok: bool
    not_modified: bool
    vehicles: int
    error_code: str
    error: str
    duration_ms: int
    next_poll_at: datetime
    docked_available: int | None = None


def poll_interval(ttl: int) -> int:
    """Seconds to the next poll after a good one: the feed's ``ttl`` within the configured bounds."""
    return max(settings.GBFS_MIN_INTERVAL, min(int(ttl), settings.GBFS_MAX_INTERVAL))


def retry_interval(failures: int) -> int:
    """Seconds to the next poll after ``failures`` failed polls in a row: doubling from the minimum."""
    return min(settings.GBFS_MAX_INTERVAL, settings.GBFS_MIN_INTERVAL * 2 ** min(max(failures - 1, 0), 16))


# --- polling ---------------------------------------------------------------------------------


def poll_operator(*, operator: Operator, now: datetime | None = None) -> PollResult:
    """Poll an operator's feed now and record what it says (or why it could not be read)."""
    now = now or timezone.now()
    started = time.monotonic()
    try:
        fetched = gbfs.fetch_feed(operator.gbfs_url, feed_urls=operator.feed_urls, validators=operator.feed_validators)
    except gbfs.FeedError as error:
        return fleet_record_failure(operator=operator, error=error, now=now, duration_ms=_since(started))
    if fetched.snapshot is None:
        return fleet_record_not_modified(
            operator=operator,
            ttl=fetched.ttl,
            now=now,
            validators=fetched.validators,
            feed_urls=fetched.feed_urls,
            duration_ms=_since(started),
        )
    return fleet_record_snapshot(
        operator=operator,
        snapshot=fetched.snapshot,
        now=now,
        feed_urls=fetched.feed_urls,
        validators=fetched.validators,
        duration_ms=_since(started),
    )


def _since(started: float) -> int:
    return round((time.monotonic() - started) * 1000)


def operators_claim_due(*, now: datetime | None = None) -> list[Operator]:
    """The operators whose poll is due, each taken by this worker: their next poll time moves
    ahead in the same UPDATE that checks it is due, so two workers never poll one feed at once."""
    now = now or timezone.now()
    claimed = []
    for pk in Operator.objects.due_for_poll(now).values_list("pk", flat=True):
        hold = now + timedelta(seconds=CLAIM_SECONDS + 6 * settings.GBFS_TIMEOUT)
        if Operator.objects.due_for_poll(now).filter(pk=pk).update(next_poll_at=hold):
            claimed.append(Operator.objects.get(pk=pk))
    return claimed


# --- recording -------------------------------------------------------------------------------


@transaction.atomic
def fleet_record_snapshot(
    *,
    operator: Operator,
    snapshot: gbfs.Snapshot,
    now: datetime,
    feed_urls: dict | None = None,
    validators: dict | None = None,
    duration_ms: int = 0,
) -> PollResult:
    """Replace the operator's vehicles with those of ``snapshot`` and record a good poll."""
    _lock(operator)
    vehicles = snapshot.vehicles
    _replace_vehicles(operator, vehicles, now)
    count = len(vehicles)
    next_poll_at = now + timedelta(seconds=poll_interval(snapshot.ttl))
    _save_feed_state(
        operator,
        feed_state=FeedState.OK,
        feed_error="",
        feed_error_code="",
        feed_version=snapshot.version,
        feed_urls=operator.feed_urls if feed_urls is None else feed_urls,
        feed_validators=operator.feed_validators if validators is None else validators,
        last_poll_at=now,
        last_good_poll_at=now,
        next_poll_at=next_poll_at,
    )
    _record_poll(operator, now, ok=True, vehicles=count, duration_ms=duration_ms)
    _count_day(operator, now, vehicles=count, disabled=sum(1 for vehicle in vehicles if vehicle.is_disabled))
    return PollResult(
        ok=True,
        not_modified=False,
        vehicles=count,
        error_code="",
        error="",
        duration_ms=duration_ms,
        next_poll_at=next_poll_at,
        docked_available=snapshot.docked_available,
    )


@transaction.atomic
def fleet_record_not_modified(
    *,
    operator: Operator,
    ttl: int,
    now: datetime,
    validators: dict,
    feed_urls: dict | None = None,
    duration_ms: int = 0,
) -> PollResult:
    """The vehicle status did not change since the last poll: the stored vehicles are still there."""
    _lock(operator)
    stored = Vehicle.objects.filter(operator=operator)
    stored.update(last_seen_at=now)
    count = stored.count()
    next_poll_at = now + timedelta(seconds=poll_interval(ttl))
    _save_feed_state(
        operator,
        feed_state=FeedState.OK,
        feed_error="",
        feed_error_code="",
        feed_urls=operator.feed_urls if feed_urls is None else feed_urls,
        feed_validators=validators,
        last_poll_at=now,
        last_good_poll_at=now,
        next_poll_at=next_poll_at,
    )
    _record_poll(operator, now, ok=True, not_modified=True, vehicles=count, duration_ms=duration_ms)
    _count_day(operator, now, vehicles=count, disabled=stored.filter(is_disabled=True).count())
    return PollResult(
        ok=True,
        not_modified=True,
        vehicles=count,
        error_code="",
        error="",
        duration_ms=duration_ms,
        next_poll_at=next_poll_at,
    )


@transaction.atomic
def fleet_record_failure(
    *, operator: Operator, error: gbfs.FeedError, now: datetime, duration_ms: int = 0
) -> PollResult:
    """A poll that failed: the last good vehicles stay, the feed is failing, the next poll backs off."""
    _lock(operator)
    since = operator.last_good_poll_at or datetime.min.replace(tzinfo=now.tzinfo)
    failures = FeedPoll.objects.filter(operator=operator, ok=False, polled_at__gt=since).count() + 1
    next_poll_at = now + timedelta(seconds=retry_interval(failures))
    # Stored in the site's language for staff, like the site's notes on reports; public pages
    # show the code's meaning in the reader's language (operators.performance.feed_problem).
    with translation.override(settings.LANGUAGE_CODE):
        message = str(error.message)[:FEED_ERROR_MAX]
    _save_feed_state(
        operator,
        feed_state=FeedState.FAILING,
        feed_error=message,
        feed_error_code=error.code,
        last_poll_at=now,
        next_poll_at=next_poll_at,
    )
    _record_poll(operator, now, ok=False, error=error.code, duration_ms=duration_ms)
    return PollResult(
        ok=False,
        not_modified=False,
        vehicles=0,
        error_code=error.code,
        error=message,
        duration_ms=duration_ms,
        next_poll_at=next_poll_at,
    )


def _lock(operator: Operator) -> None:
    """Polls of one feed are recorded one at a time (a manual poll may meet the scheduled one)."""
    Operator.objects.select_for_update().filter(pk=operator.pk).values_list("pk", flat=True).first()


def _replace_vehicles(operator: Operator, vehicles: list[gbfs.FeedVehicle], now: datetime) -> None:
    stored = {
        row[0]: row[1:]
        for row in Vehicle.objects.filter(operator=operator).values_list(
            "vehicle_id", "pk", "lat", "lon", "form_factor", "is_disabled", "is_reserved", "disabled_since"
        )
    }
    to_create: list[Vehicle] = []
    to_update: list[Vehicle] = []
    replaced: list[int] = []
    for vehicle in vehicles:
        old = stored.pop(vehicle.vehicle_id, None)
        if old is not None:
            pk, lat, lon, form_factor, is_disabled, is_reserved, disabled_since = old
            still = (lat == vehicle.lat and lon == vehicle.lon) or geo.distance_m(
                lat, lon, vehicle.lat, vehicle.lon
            ) <= STILL_RADIUS_M
            if still:
                # The stored position stays: it is where the vehicle was first seen, so jitter
                # of a few metres at each poll never adds up to a move.
                if (form_factor, is_disabled, is_reserved) != (
                    vehicle.form_factor,
                    vehicle.is_disabled,
                    vehicle.is_reserved,
                ):
                    to_update.append(
                        Vehicle(
                            pk=pk,
                            form_factor=vehicle.form_factor,
                            is_disabled=vehicle.is_disabled,
                            is_reserved=vehicle.is_reserved,
                            disabled_since=(disabled_since or now) if vehicle.is_disabled else None,
                        )
                    )
                continue
            replaced.append(pk)
            disabled_since = disabled_since if vehicle.is_disabled else None
        else:
            disabled_since = None
        to_create.append(
            Vehicle(
                operator=operator,
                vehicle_id=vehicle.vehicle_id,
                form_factor=vehicle.form_factor,
                lat=vehicle.lat,
                lon=vehicle.lon,
                is_disabled=vehicle.is_disabled,
                is_reserved=vehicle.is_reserved,
                first_seen_at=now,
                last_seen_at=now,
                disabled_since=(disabled_since or now) if vehicle.is_disabled else None,
            )
        )
    gone = replaced + [row[0] for row in stored.values()]
    for start in range(0, len(gone), BATCH):
        Vehicle.objects.filter(pk__in=gone[start : start + BATCH]).delete()
    Vehicle.objects.bulk_update(
        to_update, ["form_factor", "is_disabled", "is_reserved", "disabled_since"], batch_size=BATCH
    )
    Vehicle.objects.bulk_create(to_create, batch_size=BATCH)
    Vehicle.objects.filter(operator=operator, last_seen_at__lt=now).update(last_seen_at=now)


def _save_feed_state(operator: Operator, **fields: object) -> None:
    for name, value in fields.items():
        setattr(operator, name, value)
    operator.save(update_fields=list(fields))


def _record_poll(operator: Operator, now: datetime, **fields: object) -> None:
    FeedPoll.objects.create(operator=operator, polled_at=now, **fields)
    FeedPoll.objects.filter(operator=operator, polled_at__lt=now - timedelta(days=POLL_RETENTION_DAYS)).delete()


def _count_day(operator: Operator, now: datetime, *, vehicles: int, disabled: int) -> None:
    """The day's figures (the city's date): good polls, the peaks and the last count, the cap."""
    idle = Vehicle.objects.filter(operator=operator).idle(now).count()
    day, _created = FleetDay.objects.select_for_update().get_or_create(operator=operator, day=timezone.localdate(now))
    day.polls += 1
    day.vehicles_peak = max(day.vehicles_peak, vehicles)
    day.vehicles_last = vehicles
    day.idle_peak = max(day.idle_peak, idle)
    day.disabled_peak = max(day.disabled_peak, disabled)
    day.fleet_cap = operator.fleet_cap
    day.save()
