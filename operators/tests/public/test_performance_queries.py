"""The scorecards and the monthly figures cost the same number of queries however many
operators, reports, days, polls, vehicles and breaches there are."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from operators import performance
from operators.models import Operator
from operators.tests.factories import OperatorFactory, VehicleFactory
from operators.tests.figures import AssignmentFactory, BreachFactory, FeedPollFactory, FleetDayFactory, resolved

pytestmark = pytest.mark.django_db


def busy_operators(count: int) -> None:
    now = timezone.now()
    for number in range(count):
        operator = OperatorFactory(fine_per_breach=10)
        operator.vehicle_types.create(form_factor="bicycle", fleet_cap=100)
        for back in range(3):
            FleetDayFactory(operator=operator, day=timezone.localdate() - timedelta(days=back))
            FeedPollFactory(operator=operator, polled_at=now - timedelta(hours=back), ok=bool(back))
            resolved(operator, now - timedelta(days=back + 2), back + number)
        AssignmentFactory(operator=operator, assigned_at=now - timedelta(days=5))
        BreachFactory(operator=operator)  # and its assignment: five reports in all
        VehicleFactory(operator=operator, first_seen_at=now - timedelta(days=3))


@pytest.mark.parametrize("count", [2, 8])
def test_the_scorecards_of_every_operator_cost_eight_queries(django_assert_num_queries, count):
    busy_operators(count)

    with django_assert_num_queries(8):
        cards = performance.scorecards()

    assert len(cards) == count
    assert all(card.reports_received == 5 and card.idle_vehicles_now == 1 for card in cards)
    assert all(card.operator.fleet_cap == 100 for card in cards)


def test_one_scorecard_costs_the_same_eight(django_assert_num_queries):
    busy_operators(3)
    operator = Operator.objects.first()

    with django_assert_num_queries(8):
        card = performance.scorecard(operator)

    assert card.breaches == 1


@pytest.mark.parametrize("count", [2, 8])
def test_the_monthly_figures_cost_three_queries(django_assert_num_queries, count):
    busy_operators(count)

    with django_assert_num_queries(3):
        rows = performance.monthly()

    assert {row.operator_slug for row in rows} == set(Operator.objects.values_list("slug", flat=True))
