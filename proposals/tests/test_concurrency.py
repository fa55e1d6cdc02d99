"""Supports given at the same moment are counted exactly and cross the threshold once.

Each thread has its own database connection and transaction, so these tests need real
row locks: PostgreSQL. SQLite runs one writer at a time and proves nothing here.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection

from citizens.tests.factories import UserFactory
from cocreate import outbox
from cocreate.models import PendingJob
from proposals.actions import proposal_create, proposal_support, proposal_unsupport
from proposals.models import Proposal, ProposalFollow, ProposalStatus, ProposalStatusChange, Support

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="Concurrency tests need PostgreSQL row locks: run with DATABASE_URL=postgres://… (CI does).",
    ),
    pytest.mark.django_db(transaction=True),
]


def at_the_same_moment(calls: list[Callable[[], object]]) -> tuple[list[object], list[BaseException]]:
    """Run every call in its own thread, all released together; return results and errors."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def run(call: Callable[[], object]) -> None:
        try:
            barrier.wait(timeout=30)
            result = call()
            with lock:
                results.append(result)
        except BaseException as error:
            with lock:
                errors.append(error)
        finally:
            connection.close()  # each thread opened its own connection

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck (a lock never released?)"
    return results, errors


class QueuedTasks:
    """Counts notification tasks queued from any thread."""

    def __init__(self) -> None:
        self.change_ids: list[int] = []
        self._lock = threading.Lock()

    def __call__(self, job_id: int) -> bool:
        job = PendingJob.objects.get(pk=job_id)
        if job.name.endswith("notify_proposal_change_task"):
            with self._lock:
                self.change_ids.append(job.kwargs["change_id"])
        return True


@pytest.fixture
def queued(monkeypatch) -> QueuedTasks:
    counter = QueuedTasks()
    monkeypatch.setattr(outbox, "send", counter)
    return counter


@pytest.fixture
def proposal(citizen) -> Proposal:
    return proposal_create(author=citizen, title="Shade trees", summary="Plant trees.")


def with_threshold(proposal: Proposal, threshold: int) -> Proposal:
    Proposal.objects.filter(pk=proposal.pk).update(threshold=threshold)
    proposal.refresh_from_db()
    return proposal


def test_50_citizens_supporting_at_once_are_counted_exactly_and_cross_the_threshold_once(proposal, queued):
    with_threshold(proposal, 50)
    supporters = UserFactory.create_batch(50)

    results, errors = at_the_same_moment(
        [lambda person=person: proposal_support(proposal=proposal, user=person) for person in supporters]
    )

    assert errors == []
    assert results == [True] * 50
    proposal.refresh_from_db()
    assert proposal.support_count == 50 == Support.objects.filter(proposal=proposal).count()
    assert proposal.status == ProposalStatus.UNDER_REVIEW
    assert proposal.threshold_reached_at is not None and proposal.answer_due_at is not None
    changes = ProposalStatusChange.objects.filter(proposal=proposal)
    assert list(changes.values_list("to_status", flat=True)) == [ProposalStatus.UNDER_REVIEW]
    assert queued.change_ids == [changes.get().pk]


@pytest.mark.parametrize("threshold", [16, 10])
def test_16_citizens_supporting_at_once_are_counted_exactly_and_the_threshold_is_crossed_once(
    proposal, queued, threshold
):
    """The count's statement holds the rules, so supports arriving after the threshold is reached
    are refused, however close behind they come, and leave nothing behind."""
    with_threshold(proposal, threshold)
    supporters = UserFactory.create_batch(16)

    results, errors = at_the_same_moment(
        [lambda person=person: proposal_support(proposal=proposal, user=person) for person in supporters]
    )

    assert results == [True] * threshold
    assert len(errors) == 16 - threshold
    assert all("no longer collecting" in str(error) for error in errors)
    proposal.refresh_from_db()
    assert proposal.support_count == threshold == Support.objects.filter(proposal=proposal).count()
    assert ProposalFollow.objects.filter(proposal=proposal).exclude(user=proposal.author).count() == threshold
    assert proposal.status == ProposalStatus.UNDER_REVIEW
    changes = ProposalStatusChange.objects.filter(proposal=proposal)
    assert list(changes.values_list("to_status", flat=True)) == [ProposalStatus.UNDER_REVIEW]
    assert queued.change_ids == [changes.get().pk]


def test_16_citizens_supporting_8_proposals_at_once_are_counted_exactly(citizen, queued):
    proposals = [proposal_create(author=citizen, title=f"Trees {n}", summary="Plant trees.") for n in range(8)]
    supporters = UserFactory.create_batch(16)

    results, errors = at_the_same_moment(
        [
            lambda person=person: [proposal_support(proposal=proposal, user=person) for proposal in proposals]
            for person in supporters
        ]
    )

    assert errors == []
    assert results == [[True] * 8] * 16
    for proposal in proposals:
        proposal.refresh_from_db()
        assert proposal.support_count == 16 == Support.objects.filter(proposal=proposal).count()
    assert queued.change_ids == []


@pytest.mark.parametrize("threads", [2, 10])
def test_one_citizen_supporting_from_several_requests_at_once_counts_once(proposal, other_citizen, queued, threads):
    results, errors = at_the_same_moment(
        [lambda: proposal_support(proposal=proposal, user=other_citizen) for _ in range(threads)]
    )

    assert errors == []
    assert sorted(results) == [False] * (threads - 1) + [True]
    proposal.refresh_from_db()
    assert proposal.support_count == 1 == Support.objects.filter(proposal=proposal).count()
    assert queued.change_ids == []


def test_supports_and_withdrawals_at_once_keep_the_count_equal_to_the_supports(proposal, queued):
    with_threshold(proposal, 1000)
    leaving = UserFactory.create_batch(10)
    for person in leaving:
        proposal_support(proposal=proposal, user=person)
    joining = UserFactory.create_batch(30)

    results, errors = at_the_same_moment(
        [lambda person=person: proposal_support(proposal=proposal, user=person) for person in joining]
        + [lambda person=person: proposal_unsupport(proposal=proposal, user=person) for person in leaving]
    )

    assert errors == []
    assert results == [True] * 40
    proposal.refresh_from_db()
    assert proposal.support_count == 30 == Support.objects.filter(proposal=proposal).count()
    assert set(Support.objects.filter(proposal=proposal).values_list("user", flat=True)) == {p.pk for p in joining}
    assert proposal.status == ProposalStatus.PUBLISHED
    assert queued.change_ids == []
