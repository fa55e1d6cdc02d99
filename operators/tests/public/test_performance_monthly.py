"""The monthly figures of every operator (the rows of the ``operator_performance`` dataset)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from operators import performance
from operators.models import Reason
from operators.tests.factories import OperatorFactory
from operators.tests.figures import AssignmentFactory, BreachFactory, resolved

pytestmark = pytest.mark.django_db

MAY = datetime(2026, 5, 10, 3, 0, tzinfo=UTC)
JUNE = datetime(2026, 6, 3, 3, 0, tzinfo=UTC)
UNTIL = datetime(2026, 6, 15, 5, 0, tzinfo=UTC)


@pytest.fixture
def operators():
    kring = OperatorFactory(slug="kring", response_hours=24, fine_per_breach=Decimal("1000"))
    roda = OperatorFactory(slug="roda", response_hours=24)
    resolved(kring, MAY, 2)
    resolved(kring, MAY, 30, reopened=1)
    AssignmentFactory(operator=kring, assigned_at=MAY, reason=Reason.IDLE_VEHICLE)
    resolved(kring, JUNE, 4)
    BreachFactory(operator=kring, recorded_at=JUNE + timedelta(days=1))
    resolved(roda, JUNE, 10)
    return kring, roda


def test_each_operator_has_a_row_per_month_with_reports_or_breaches(operators):
    rows = {(row.operator_slug, row.month): row for row in performance.monthly(until=UNTIL)}

    assert sorted(rows) == [("kring", date(2026, 5, 1)), ("kring", date(2026, 6, 1)), ("roda", date(2026, 6, 1))]
    may = rows[("kring", date(2026, 5, 1))]
    assert (may.reports_received, may.idle_reports) == (3, 1)
    assert (may.answered_in_time, may.due_or_resolved, may.answered_in_time_share) == (1, 3, pytest.approx(0.333))
    assert may.median_hours_to_resolve == 16.0
    assert may.reopened_share == 0.5
    assert (may.breaches, may.fines_due) == (0, Decimal("0"))
    june = rows[("kring", date(2026, 6, 1))]
    assert (june.reports_received, june.median_hours_to_resolve, june.breaches, june.fines_due) == (
        1,
        4.0,
        1,
        Decimal("1000"),
    )
    assert rows[("roda", date(2026, 6, 1))].median_hours_to_resolve == 10.0


def test_the_months_add_up_to_the_scorecard(operators):
    kring = operators[0]
    rows = [row for row in performance.monthly(until=UNTIL) if row.operator_slug == "kring"]
    card = performance.scorecard(kring, now=UNTIL)

    assert sum(row.reports_received for row in rows) == card.reports_received
    assert sum(row.answered_in_time for row in rows) == card.answered_in_time
    assert sum(row.due_or_resolved for row in rows) == card.due_or_resolved
    assert sum(row.breaches for row in rows) == card.breaches


def test_what_happened_after_the_cutoff_is_left_for_a_later_month(operators):
    rows = performance.monthly(until=JUNE - timedelta(days=1))

    assert {(row.operator_slug, row.month) for row in rows} == {("kring", date(2026, 5, 1))}
