"""The public figures of each mobility operator: how it answers the reports it is sent, its fleet
against its cap, its feed's health and its breaches. The scorecards of the operator pages and the
REST API, and the monthly rows of the ``operator_performance`` dataset, all come from here.

Each figure is counted by the database, in a fixed number of aggregate queries however many
operators, reports, polls and vehicles there are, on SQLite as on PostgreSQL. A median is picked
with window functions (each row's rank and its group's size), so Python only averages the one or
two middle values of each group.

What the figures mean (docs/operators.md says the same to the public):

- *reports received*: assignments of published reports to the operator (the city's queue is not
  the operator's); idle-vehicle reports the city raised are counted too, and apart;
- *answered in time*: among the assignments resolved or already due, the share resolved by their
  deadline (a reopening starts a new deadline);
- *time to resolve*: from assignment to the answer that resolved it, the median in hours;
- *reopened*: among the assignments answered at least once, the share a citizen reopened;
- *complaints per 1,000 vehicles*: reports made by citizens (not idle-vehicle reports) in the last
  30 days, per 1,000 vehicles of the operator's average daily peak over those days;
- *feed health*: the share of good polls of the operator's feed over the last 30 days.

Months are the city's calendar months (``TIME_ZONE``): fines and permits are counted that way.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import Count, DurationField, ExpressionWrapper, F, Max, Q, QuerySet, Sum, Window
from django.db.models.functions import RowNumber, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from cocreate.charts import first_month, month_starts
from operators import gbfs
from operators.models import Assignment, Breach, FeedPoll, FeedState, FleetDay, Operator, Reason, Vehicle

FEED_DAYS = 30
COMPLAINT_DAYS = 30
FLEET_DAYS = 30
BREACH_MONTHS = 12
PER_VEHICLES = 1000


class PermitState:
    ACTIVE = "active"
    NOT_STARTED = "not_started"
    ENDED = "ended"


def permit_state(operator: Operator, today: date | None = None) -> str:
    today = today or timezone.localdate()
    if operator.permit_ended(today):
        return PermitState.ENDED
    if operator.permit_valid_from is not None and today < operator.permit_valid_from:
        return PermitState.NOT_STARTED
    return PermitState.ACTIVE


@dataclass(frozen=True)
class FeedHealth:
    """How well an operator's GBFS feed answered over the last 30 days."""

    state: str
    polls: int
    good_polls: int
    last_good_poll_at: datetime | None
    problem: str  # a short sentence for the public; empty while the feed works

    @property
    def good_share(self) -> float | None:
        return round(self.good_polls / self.polls, 3) if self.polls else None

    @property
    def state_label(self) -> str:
        return str(FeedState(self.state).label) if self.state in FeedState.values else self.state


@dataclass(frozen=True)
class FleetDayFigures:
    day: date
    vehicles_peak: int
    idle_peak: int
    disabled_peak: int
    fleet_cap: int | None

    @property
    def over_cap(self) -> bool:
        return self.fleet_cap is not None and self.vehicles_peak > self.fleet_cap


@dataclass(frozen=True)
class BreachMonth:
    month: date
    breaches: int
    fines_due: Decimal


class AnswerShares:
    """The shares a scorecard and a month both give, from their counts: answered in time among
    the reports resolved or due, and reopened among those answered (None with nothing to count)."""

    due_or_resolved: int
    answered_in_time: int
    answered: int
    reopened: int

    @property
    def answered_in_time_share(self) -> float | None:
        return round(self.answered_in_time / self.due_or_resolved, 3) if self.due_or_resolved else None

    @property
    def reopened_share(self) -> float | None:
        return round(self.reopened / self.answered, 3) if self.answered else None


@dataclass(frozen=True)
class Scorecard(AnswerShares):
    """An operator's public figures (see the module's docstring for what each one means)."""

    operator: Operator
    permit_state: str
    reports_received: int
    open_reports: int
    due_or_resolved: int
    answered_in_time: int
    answered: int
    reopened: int
    median_hours_to_resolve: float | None
    complaints: int  # citizens' reports of the last COMPLAINT_DAYS days
    average_vehicles: float | None  # average daily peak over those days
    idle_reports: int
    idle_vehicles_now: int
    feed: FeedHealth
    fleet_days: tuple[FleetDayFigures, ...] = ()
    breach_months: tuple[BreachMonth, ...] = ()

    @property
    def complaints_per_1000_vehicles(self) -> float | None:
        if not self.average_vehicles:
            return None
        return round(self.complaints / self.average_vehicles * PER_VEHICLES, 1)

    @property
    def breaches(self) -> int:
        """Breaches recorded over the months shown."""
        return sum(month.breaches for month in self.breach_months)

    @property
    def fines_due(self) -> Decimal:
        return sum((month.fines_due for month in self.breach_months), Decimal("0"))

    @property
    def days_over_cap(self) -> int:
        return sum(day.over_cap for day in self.fleet_days)


@dataclass(frozen=True)
class MonthFigures(AnswerShares):
    """One operator's figures for one month: a row of the ``operator_performance`` dataset.

    Reports count in the month they were sent to the operator; breaches in the month they were
    recorded. Shares and the median are of that month's reports, as they stood at ``until``.
    """

    operator_slug: str
    month: date
    reports_received: int
    due_or_resolved: int
    answered_in_time: int
    answered: int
    reopened: int
    median_hours_to_resolve: float | None
    idle_reports: int
    breaches: int
    fines_due: Decimal


# The counting ------------------------------------------------------------------------------------


def _month(value: datetime | date) -> date:
    """The first day of a truncated month, as the city's calendar has it."""
    if isinstance(value, datetime):
        value = timezone.localtime(value, timezone.get_default_timezone()) if timezone.is_aware(value) else value
        return value.date().replace(day=1)
    return value.replace(day=1)


def _city_month(field_name: str) -> TruncMonth:
    return TruncMonth(field_name, tzinfo=timezone.get_default_timezone())


def _answer_counts(until: datetime) -> dict[str, Count]:
    """How many were received, resolved or due, resolved in time, answered, reopened (as of ``until``)."""
    resolved = Q(resolved_at__isnull=False, resolved_at__lte=until)
    return {
        "received": Count("pk"),
        "due_or_resolved": Count("pk", filter=resolved | Q(due_at__lte=until)),
        "in_time": Count("pk", filter=resolved & Q(resolved_at__lte=F("due_at"))),
        "answered": Count("pk", filter=resolved | Q(reopened__gt=0)),
        "reopened": Count("pk", filter=Q(reopened__gt=0)),
        "idle_reports": Count("pk", filter=Q(reason=Reason.IDLE_VEHICLE)),
    }


def _medians(assignments: QuerySet[Assignment], groups: list[str], until: datetime) -> dict[tuple, float]:
    """The median hours from assignment to resolution per group, by ranking in the database and
    keeping each group's middle one or two rows."""
    taken = ExpressionWrapper(F("resolved_at") - F("assigned_at"), output_field=DurationField())
    partition = [F(name) for name in groups]
    middle = (
        assignments.filter(resolved_at__isnull=False, resolved_at__lte=until)
        .annotate(
            taken=taken,
            position=Window(RowNumber(), partition_by=partition, order_by=[taken.asc(), F("pk").asc()]),
            size=Window(Count("pk"), partition_by=partition),
        )
        .filter(Q(position=(F("size") + 1) / 2) | Q(position=(F("size") + 2) / 2))
        .order_by()
        .values_list(*groups, "taken")
    )
    hours: dict[tuple, list[float]] = defaultdict(list)
    for *key, value in middle:
        hours[tuple(key)].append(max(value.total_seconds(), 0) / 3600)
    return {key: round(sum(values) / len(values), 1) for key, values in hours.items()}


def _feed_counts(operator_ids: list[int], now: datetime) -> dict[int, dict]:
    polls = (
        FeedPoll.objects.filter(operator_id__in=operator_ids, polled_at__gt=now - timedelta(days=FEED_DAYS))
        .values("operator_id")
        .annotate(polls=Count("pk"), good=Count("pk", filter=Q(ok=True)), last_good=Max("polled_at", filter=Q(ok=True)))
        .order_by()
    )
    return {row["operator_id"]: row for row in polls}


def feed_problem(state: str, code: str) -> str:
    """The feed's trouble as a short sentence for the public, in the reader's language.

    Only the failure's code is used: the poller's own message may hold the feed's address, and a
    feed's address may hold the operator's access key.
    """
    if state == FeedState.NONE:
        return _("This operator publishes no vehicle feed.")
    if state == FeedState.NEVER:
        return _("The city has not read this operator's feed yet.")
    if state != FeedState.FAILING:
        return ""
    return str(gbfs.ERROR_TEXTS.get(code) or _("The feed could not be read."))


def feed_health(operator: Operator, days: int = FEED_DAYS, now: datetime | None = None) -> FeedHealth:
    """The health of one operator's feed over the last ``days`` days (one query)."""
    now = now or timezone.now()
    row = FeedPoll.objects.filter(operator=operator, polled_at__gt=now - timedelta(days=days)).aggregate(
        polls=Count("pk"), good=Count("pk", filter=Q(ok=True)), last_good=Max("polled_at", filter=Q(ok=True))
    )
    return _feed_health(operator, row)


def _feed_health(operator: Operator, row: dict | None) -> FeedHealth:
    row = row or {}
    return FeedHealth(
        state=operator.feed_state,
        polls=row.get("polls") or 0,
        good_polls=row.get("good") or 0,
        # Polls are kept 30 days; the operator remembers its last good one for longer.
        last_good_poll_at=operator.last_good_poll_at or row.get("last_good"),
        problem=feed_problem(operator.feed_state, operator.feed_error_code),
    )


def _fleet_days(operator_ids: list[int]) -> dict[int, list[FleetDayFigures]]:
    """Each operator's last FLEET_DAYS days of fleet, oldest first."""
    latest = (
        FleetDay.objects.filter(operator_id__in=operator_ids)
        .annotate(position=Window(RowNumber(), partition_by=[F("operator_id")], order_by=F("day").desc()))
        .filter(position__lte=FLEET_DAYS)
        .order_by("operator_id", "day")
        .values_list("operator_id", "day", "vehicles_peak", "idle_peak", "disabled_peak", "fleet_cap")
    )
    days: dict[int, list[FleetDayFigures]] = defaultdict(list)
    for operator_id, *figures in latest:
        days[operator_id].append(FleetDayFigures(*figures))
    return days


def _breach_months(operator_ids: list[int], now: datetime) -> dict[int, tuple[BreachMonth, ...]]:
    """Each operator's breaches and fines of the last BREACH_MONTHS months, every month listed."""
    since = first_month(now, BREACH_MONTHS)
    rows = (
        Breach.objects.filter(operator_id__in=operator_ids, recorded_at__gte=since, recorded_at__lte=now)
        .annotate(month=_city_month("recorded_at"))
        .values("operator_id", "month")
        .annotate(breaches=Count("pk"), fines=Sum("fine_due"))
        .order_by()
    )
    found = {(row["operator_id"], _month(row["month"])): row for row in rows}
    months = month_starts(since, BREACH_MONTHS)
    return {
        operator_id: tuple(
            BreachMonth(
                month=month,
                breaches=found.get((operator_id, month), {}).get("breaches", 0),
                fines_due=found.get((operator_id, month), {}).get("fines") or Decimal("0"),
            )
            for month in months
        )
        for operator_id in operator_ids
    }


def scorecards(operators: Iterable[Operator] | None = None, *, now: datetime | None = None) -> list[Scorecard]:
    """The scorecards of ``operators`` (by default those listed to the public), in eight queries
    whatever their number: the operators, their vehicle types, and six aggregates."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    if operators is None:
        operators = Operator.objects.tracked(now).prefetch_related("vehicle_types")
    operators = list(operators)
    ids = [operator.pk for operator in operators]
    if not ids:
        return []
    counted = Assignment.objects.counted(now).filter(operator_id__in=ids)
    complaint_since = now - timedelta(days=COMPLAINT_DAYS)
    answers = {
        row["operator_id"]: row
        for row in counted.values("operator_id")
        .annotate(
            **_answer_counts(now),
            open=Count("pk", filter=Q(resolved_at__isnull=True)),
            complaints=Count("pk", filter=Q(assigned_at__gt=complaint_since) & ~Q(reason=Reason.IDLE_VEHICLE)),
        )
        .order_by()
    }
    medians = _medians(counted, ["operator_id"], now)
    fleet = _fleet_days(ids)
    idle = dict(
        Vehicle.objects.idle(now)
        .filter(operator_id__in=ids)
        .values("operator_id")
        .annotate(count=Count("pk"))
        .order_by()
        .values_list("operator_id", "count")
    )
    feeds = _feed_counts(ids, now)
    breaches = _breach_months(ids, now)
    fleet_since = today - timedelta(days=COMPLAINT_DAYS)
    cards = []
    for operator in operators:
        row = answers.get(operator.pk, {})
        days = fleet.get(operator.pk, [])
        recent = [day.vehicles_peak for day in days if day.day > fleet_since]
        cards.append(
            Scorecard(
                operator=operator,
                permit_state=permit_state(operator, today),
                reports_received=row.get("received", 0),
                open_reports=row.get("open", 0),
                due_or_resolved=row.get("due_or_resolved", 0),
                answered_in_time=row.get("in_time", 0),
                answered=row.get("answered", 0),
                reopened=row.get("reopened", 0),
                median_hours_to_resolve=medians.get((operator.pk,)),
                complaints=row.get("complaints", 0),
                average_vehicles=round(sum(recent) / len(recent), 1) if recent else None,
                idle_reports=row.get("idle_reports", 0),
                idle_vehicles_now=idle.get(operator.pk, 0),
                feed=_feed_health(operator, feeds.get(operator.pk)),
                fleet_days=tuple(days),
                breach_months=breaches[operator.pk],
            )
        )
    return cards


def scorecard(operator: Operator, *, now: datetime | None = None) -> Scorecard:
    """One operator's scorecard (the same eight queries, for one)."""
    if "vehicle_types" not in getattr(operator, "_prefetched_objects_cache", {}):
        operator = Operator.objects.prefetch_related("vehicle_types").get(pk=operator.pk)
    return scorecards([operator], now=now)[0]


def monthly(*, until: datetime | None = None) -> list[MonthFigures]:
    """Every operator's figures for every month with a report or a breach, up to ``until``, by
    operator and month (three queries)."""
    until = until or timezone.now()
    counted = Assignment.objects.counted(until).annotate(month=_city_month("assigned_at"))
    answers = {
        (row["operator__slug"], _month(row["month"])): row
        for row in counted.values("operator_id", "operator__slug", "month").annotate(**_answer_counts(until)).order_by()
    }
    medians = {
        (slug, _month(month)): hours
        for (slug, month), hours in _medians(counted, ["operator__slug", "month"], until).items()
    }
    breaches = {
        (row["operator__slug"], _month(row["month"])): row
        for row in Breach.objects.filter(recorded_at__lte=until)
        .annotate(month=_city_month("recorded_at"))
        .values("operator__slug", "month")
        .annotate(breaches=Count("pk"), fines=Sum("fine_due"))
        .order_by()
    }
    rows = []
    for slug, month in sorted(set(answers) | set(breaches)):
        counts, breach = answers.get((slug, month), {}), breaches.get((slug, month), {})
        rows.append(
            MonthFigures(
                operator_slug=slug,
                month=month,
                reports_received=counts.get("received", 0),
                due_or_resolved=counts.get("due_or_resolved", 0),
                answered_in_time=counts.get("in_time", 0),
                answered=counts.get("answered", 0),
                reopened=counts.get("reopened", 0),
                median_hours_to_resolve=medians.get((slug, month)),
                idle_reports=counts.get("idle_reports", 0),
                breaches=breach.get("breaches", 0),
                fines_due=breach.get("fines") or Decimal("0"),
            )
        )
    return rows
