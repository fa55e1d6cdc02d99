"""How an operator answers its reports: received, answered in time, median time to resolve,
reopened; counted from published reports only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from moderation.models import ModerationState
from operators import performance
from operators.models import Reason
from operators.tests.factories import OperatorFactory
from operators.tests.figures import AssignmentFactory, resolved
from services.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 6, 15, 5, 0, tzinfo=UTC)
DAY = timedelta(days=1)


@pytest.fixture
def kring():
    return OperatorFactory(slug="kring", name="Kring", response_hours=24)


def test_a_new_operator_has_no_figures_rather_than_zeros(kring):
    card = performance.scorecard(kring, now=NOW)

    assert card.reports_received == 0
    assert card.answered_in_time_share is None
    assert card.median_hours_to_resolve is None
    assert card.reopened_share is None
    assert card.complaints_per_1000_vehicles is None


def test_the_in_time_share_counts_reports_resolved_or_due_and_those_resolved_by_their_deadline(kring):
    start = NOW - 10 * DAY
    resolved(kring, start, 5)  # in time
    resolved(kring, start, 30)  # late: due after 24 hours
    AssignmentFactory(operator=kring, assigned_at=start)  # open and overdue: counts against
    AssignmentFactory(operator=kring, assigned_at=NOW - timedelta(hours=2))  # open, not due yet: not counted

    card = performance.scorecard(kring, now=NOW)

    assert card.reports_received == 4
    assert card.open_reports == 2
    assert (card.answered_in_time, card.due_or_resolved) == (1, 3)
    assert card.answered_in_time_share == pytest.approx(0.333)


@pytest.mark.parametrize(
    ("hours", "median"),
    [((3,), 3.0), ((1, 9), 5.0), ((10, 2, 6), 6.0), ((1, 2, 4, 40), 3.0)],
)
def test_the_median_time_to_resolve_is_the_middle_value_or_the_mean_of_the_middle_two(kring, hours, median):
    for taken in hours:
        resolved(kring, NOW - 5 * DAY, taken)
    AssignmentFactory(operator=kring, assigned_at=NOW - 5 * DAY)  # open: no time to resolve yet

    assert performance.scorecard(kring, now=NOW).median_hours_to_resolve == median


def test_each_operator_gets_its_own_median(kring):
    other = OperatorFactory(slug="other")
    for taken in (1, 2, 3):
        resolved(kring, NOW - 2 * DAY, taken)
    for taken in (10, 20):
        resolved(other, NOW - 2 * DAY, taken)

    cards = {card.operator.slug: card for card in performance.scorecards([kring, other], now=NOW)}

    assert cards["kring"].median_hours_to_resolve == 2.0
    assert cards["other"].median_hours_to_resolve == 15.0


def test_the_reopened_share_is_of_the_reports_answered_at_least_once(kring):
    resolved(kring, NOW - 3 * DAY, 2)
    resolved(kring, NOW - 3 * DAY, 2, reopened=1)
    AssignmentFactory(operator=kring, assigned_at=NOW - 3 * DAY, reopened=2)  # reopened, open again
    AssignmentFactory(operator=kring, assigned_at=NOW - 3 * DAY)  # never answered: not counted

    card = performance.scorecard(kring, now=NOW)

    assert (card.reopened, card.answered) == (2, 3)
    assert card.reopened_share == pytest.approx(0.667)


def test_hidden_reports_and_the_citys_queue_are_not_counted_against_an_operator(kring):
    resolved(kring, NOW - 2 * DAY, 1)
    hidden = ReportFactory(moderation_state=ModerationState.HIDDEN)
    resolved(kring, NOW - 2 * DAY, 100, report=hidden)
    AssignmentFactory(operator=None, assigned_at=NOW - 2 * DAY, due_at=None, reason=Reason.NO_MATCH)

    card = performance.scorecard(kring, now=NOW)

    assert card.reports_received == 1
    assert card.median_hours_to_resolve == 1.0


def test_idle_vehicle_reports_are_counted_apart_from_citizens_complaints(kring):
    AssignmentFactory(operator=kring, assigned_at=NOW - 2 * DAY, reason=Reason.IDLE_VEHICLE)
    AssignmentFactory(operator=kring, assigned_at=NOW - 2 * DAY, reason=Reason.NEAREST_VEHICLE)
    AssignmentFactory(operator=kring, assigned_at=NOW - 40 * DAY, reason=Reason.CHOSEN)  # older than 30 days

    card = performance.scorecard(kring, now=NOW)

    assert card.reports_received == 3
    assert card.idle_reports == 1
    assert card.complaints == 1
