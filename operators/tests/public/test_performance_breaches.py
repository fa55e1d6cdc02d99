"""Breaches by month: the last twelve months of the city's calendar, each with its count and fines."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from operators import performance
from operators.tests.factories import OperatorFactory
from operators.tests.figures import BreachFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 6, 15, 5, 0, tzinfo=UTC)


def test_breaches_are_counted_by_month_with_their_fines_every_month_shown():
    kring = OperatorFactory(slug="kring", fine_per_breach=Decimal("250000"))
    BreachFactory(operator=kring, recorded_at=datetime(2026, 6, 2, 3, 0, tzinfo=UTC))
    BreachFactory(operator=kring, recorded_at=datetime(2026, 6, 10, 3, 0, tzinfo=UTC), fine_due=Decimal("100000"))
    # 23:30 UTC on 31 March is 06:30 on 1 April in Jakarta: April's, in the city's calendar.
    BreachFactory(operator=kring, recorded_at=datetime(2026, 3, 31, 23, 30, tzinfo=UTC))
    BreachFactory(operator=kring, recorded_at=NOW - timedelta(days=400))  # older than twelve months

    months = performance.scorecard(kring, now=NOW).breach_months

    assert len(months) == 12
    assert (months[0].month, months[-1].month) == (date(2025, 7, 1), date(2026, 6, 1))
    by_month = {month.month: month for month in months}
    assert (by_month[date(2026, 6, 1)].breaches, by_month[date(2026, 6, 1)].fines_due) == (2, Decimal("350000"))
    assert by_month[date(2026, 4, 1)].breaches == 1
    assert by_month[date(2026, 3, 1)].breaches == 0
    card = performance.scorecard(kring, now=NOW)
    assert (card.breaches, card.fines_due) == (3, Decimal("600000"))
