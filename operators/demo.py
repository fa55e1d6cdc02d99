"""Two demo operators with fleets read from local GBFS files (no network), idle vehicles, a month
of fleet history and feed polls, and a first breach: enough for the scorecards to say something.

Runs before the demo reports, so that those about shared vehicles are routed as a real city's
would be.
"""

from __future__ import annotations

import json
import random
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from citizens.models import User
from operators import actions, fleet, idle
from operators.gbfs_documents import parse_feed
from operators.models import FeedPoll, FleetDay, Operator

FEEDS = Path(__file__).resolve().parent / "demo_feeds"

DEMO_OPERATORS = [
    {
        "slug": "bikeshare-a",
        "name": "Kring Bike",
        "feed": "kring-2.3",
        "gbfs_url": "https://kring.example/gbfs/2.3/gbfs.json",
        "permit_number": "DISHUB/BDG/2026/014",
        "public_contact": "halo@kring.example",
        "response_hours": 12,
        "night_response_hours": 24,
        "idle_limit_hours": 24,
        "fine_per_breach": Decimal("500000"),
        # The demo feed has more bikes than the cap: the scorecard shows the excess.
        "fleet_caps": {"bicycle": 40},
    },
    {
        "slug": "scoot-b",
        "name": "Zoom Scooters",
        "feed": "zoom-3.0",
        "gbfs_url": "https://zoom.example/gbfs/3.0/gbfs.json",
        "permit_number": "DISHUB/BDG/2026/021",
        "public_contact": "+62 22 555 0199",
        "response_hours": 24,
        "night_response_hours": 36,
        "idle_limit_hours": 48,
        "fine_per_breach": Decimal("750000"),
        "fleet_caps": {"scooter_standing": 60, "scooter_seated": None},
    },
]


def demo_documents(folder: str) -> dict[str, dict]:
    """A demo feed's documents, by feed name, as a poll would have read them."""
    return {path.stem: json.loads(path.read_text()) for path in sorted((FEEDS / folder).glob("*.json"))}


def _history(operator: Operator, *, cap: int | None, today, rng: random.Random) -> None:
    """A month of daily fleet counts and polls (about one in twenty failed) before today."""
    for back in range(30, 0, -1):
        day = today - timedelta(days=back)
        peak = rng.randrange(int((cap or 40) * 0.8), int((cap or 40) * 1.25))
        FleetDay.objects.update_or_create(
            operator=operator,
            day=day,
            defaults={
                "polls": 96,
                "vehicles_peak": peak,
                "vehicles_last": peak - rng.randrange(0, 5),
                "idle_peak": rng.randrange(0, 6),
                "disabled_peak": rng.randrange(0, 4),
                "fleet_cap": cap,
            },
        )
    polled = timezone.now() - timedelta(days=29)
    polls = []
    while polled < timezone.now() - timedelta(hours=1):
        ok = rng.random() > 0.05
        polls.append(FeedPoll(operator=operator, polled_at=polled, ok=ok, error="" if ok else "timeout", vehicles=40))
        polled += timedelta(hours=3)
    FeedPoll.objects.bulk_create(polls)


@transaction.atomic
def demo_operators_seed(*, operator_staff: User) -> list[Operator]:
    """Create the demo operators and their fleets once; ``operator_staff`` works for the first."""
    existing = list(Operator.objects.filter(slug__in=[entry["slug"] for entry in DEMO_OPERATORS]))
    if len(existing) == len(DEMO_OPERATORS):
        return existing
    rng = random.Random(12)
    now = timezone.now()
    operators = []
    for entry in DEMO_OPERATORS:
        fields = {key: value for key, value in entry.items() if key != "feed"}
        operator, _created = actions.operator_save(**fields)
        snapshot = parse_feed(demo_documents(entry["feed"]))
        # Read three days ago, then now: three vehicles in four were ridden since (GBFS gives
        # them new ids and places), the others stood still and are idle past the limit.
        fleet.fleet_record_snapshot(operator=operator, snapshot=snapshot, now=now - timedelta(days=3))
        ridden = [
            replace(vehicle, vehicle_id=f"{vehicle.vehicle_id}-r", lat=vehicle.lat + 0.0021, lon=vehicle.lon - 0.0017)
            if index % 4
            else vehicle
            for index, vehicle in enumerate(snapshot.vehicles)
        ]
        fleet.fleet_record_snapshot(operator=operator, snapshot=replace(snapshot, vehicles=ridden), now=now)
        _history(operator, cap=operator.fleet_cap, today=timezone.localdate(now), rng=rng)
        operators.append(operator)
    actions.operator_staff_grant(operator=operators[0], user=operator_staff)
    idle.idle_vehicles_report(now=now)
    return operators


@transaction.atomic
def demo_operator_answers_seed(*, operator_staff: User) -> int:
    """Route the demo reports about shared vehicles now (rather than after the seeding commits),
    then the demo operator answers some of its reports; one deadline is already missed."""
    from operators.models import Assignment, Outcome

    for report_id in actions.routes_pending(days=90):
        actions.report_route(report_id=report_id)

    operator = actions.operator_of(operator_staff)
    if operator is None or Assignment.objects.for_operator(operator).filter(acknowledged_at__isnull=False).exists():
        return 0
    queue = list(Assignment.objects.for_operator(operator).open().by_deadline())
    answered = 0
    for index, assignment in enumerate(queue[:6]):
        if index % 3 == 0:
            actions.assignment_acknowledge(user=operator_staff, report_id=assignment.report_id)
        else:
            outcome = Outcome.REMOVED if index % 3 == 1 else Outcome.REPARKED
            actions.assignment_resolve(user=operator_staff, report_id=assignment.report_id, outcome=outcome)
        answered += 1
    late = next((assignment for assignment in queue[6:] if assignment.is_open), None)
    if late is not None:
        Assignment.objects.filter(pk=late.pk).update(due_at=timezone.now() - timedelta(hours=2))
        actions.assignment_mark_breach(assignment_id=late.pk)
    return answered
