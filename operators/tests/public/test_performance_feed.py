"""The health of an operator's feed: the share of good polls over 30 days, the last good poll,
and its trouble said in a short sentence that never repeats the poller's error text."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from operators import performance
from operators.models import FeedState
from operators.tests.factories import OperatorFactory
from operators.tests.figures import FeedPollFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 6, 15, 5, 0, tzinfo=UTC)


def test_the_share_of_good_polls_counts_the_last_thirty_days():
    kring = OperatorFactory(slug="kring", feed_state=FeedState.OK)
    for hours in range(1, 10):
        FeedPollFactory(operator=kring, polled_at=NOW - timedelta(hours=hours), ok=hours != 5)
    FeedPollFactory(operator=kring, polled_at=NOW - timedelta(days=31), ok=False)

    health = performance.feed_health(kring, now=NOW)

    assert (health.good_polls, health.polls) == (8, 9)
    assert health.good_share == pytest.approx(0.889)
    assert health.last_good_poll_at == NOW - timedelta(hours=1)
    assert health.problem == ""
    assert performance.scorecard(kring, now=NOW).feed == health


def test_the_last_good_poll_is_remembered_after_its_poll_is_pruned():
    long_ago = NOW - timedelta(days=60)
    kring = OperatorFactory(
        slug="kring",
        feed_state=FeedState.FAILING,
        last_good_poll_at=long_ago,
        feed_error="HTTP 503",
        feed_error_code="http_error",
    )
    FeedPollFactory(operator=kring, polled_at=NOW - timedelta(hours=1), ok=False)

    health = performance.feed_health(kring, now=NOW)

    assert health.good_share == 0
    assert health.last_good_poll_at == long_ago
    assert health.problem == "The feed's server answered with an error."


@pytest.mark.parametrize(
    ("code", "sentence"),
    [
        ("timeout", "The feed did not answer in time."),
        ("http_error", "The feed's server answered with an error."),
        ("not_json", "The feed sent something that is not JSON."),
        ("too_large", "The feed sent a file larger than the site accepts."),
        ("unreachable", "The feed could not be reached."),
        ("something new", "The feed could not be read."),
    ],
)
def test_a_failing_feed_is_explained_by_its_failure_code_only(code, sentence):
    assert performance.feed_problem(FeedState.FAILING, code) == sentence


def test_an_operator_without_a_feed_or_not_read_yet_says_so():
    assert performance.feed_problem(FeedState.NONE, "") == "This operator publishes no vehicle feed."
    assert performance.feed_problem(FeedState.NEVER, "") == "The city has not read this operator's feed yet."
    health = performance.feed_health(OperatorFactory(), now=NOW)
    assert health.polls == 0 and health.good_share is None
