"""proposal_support and proposal_unsupport: one support each, counted exactly, the threshold crossed once."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from citizens.tests.factories import UserFactory
from moderation import actions as moderation_actions
from moderation.models import ModerationState
from proposals.actions import proposal_create, proposal_support, proposal_unsupport, proposal_withdraw
from proposals.models import Proposal, ProposalFollow, ProposalStatus, ProposalStatusChange, Support

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposal(citizen):
    return proposal_create(author=citizen, title="Shade trees", summary="Plant trees.")


def with_threshold(proposal: Proposal, threshold: int) -> Proposal:
    Proposal.objects.filter(pk=proposal.pk).update(threshold=threshold)
    proposal.refresh_from_db()
    return proposal


def counted(proposal: Proposal) -> tuple[int, int]:
    """The stored count and the number of support rows: they must always agree."""
    proposal.refresh_from_db()
    return proposal.support_count, Support.objects.filter(proposal=proposal).count()


def test_a_citizen_supports_a_proposal_collecting_support(proposal, other_citizen):
    assert proposal_support(proposal=proposal, user=other_citizen) is True

    assert counted(proposal) == (1, 1)
    assert Support.objects.get().user == other_citizen


def test_a_second_support_by_the_same_citizen_is_not_counted(proposal, other_citizen):
    proposal_support(proposal=proposal, user=other_citizen)

    assert proposal_support(proposal=proposal, user=other_citizen) is False

    assert counted(proposal) == (1, 1)


def test_the_author_cannot_support_their_own_proposal(proposal, citizen):
    with pytest.raises(PermissionDenied, match="your own proposal"):
        proposal_support(proposal=proposal, user=citizen)
    assert counted(proposal) == (0, 0)


def test_support_is_refused_once_the_window_has_closed(proposal, other_citizen):
    Proposal.objects.filter(pk=proposal.pk).update(closes_at=timezone.now() - timedelta(seconds=1))

    with pytest.raises(ValidationError):
        proposal_support(proposal=proposal, user=other_citizen)

    assert counted(proposal) == (0, 0)


def test_support_is_refused_for_a_withdrawn_proposal(proposal, citizen, other_citizen):
    proposal_withdraw(proposal=proposal, by=citizen)

    with pytest.raises(ValidationError):
        proposal_support(proposal=proposal, user=other_citizen)

    assert counted(proposal) == (0, 0)


@pytest.mark.parametrize("state", [ModerationState.HIDDEN, ModerationState.PENDING, ModerationState.REJECTED])
def test_support_is_refused_for_a_proposal_the_public_cannot_see(proposal, other_citizen, state):
    Proposal.objects.filter(pk=proposal.pk).update(moderation_state=state)

    with pytest.raises(ValidationError):
        proposal_support(proposal=proposal, user=other_citizen)

    assert counted(proposal) == (0, 0)


@pytest.mark.parametrize("status", [ProposalStatus.UNDER_REVIEW, ProposalStatus.ACCEPTED, ProposalStatus.DECLINED])
def test_support_is_refused_once_the_proposal_left_the_collecting_stage(proposal, other_citizen, status):
    Proposal.objects.filter(pk=proposal.pk).update(status=status)

    with pytest.raises(ValidationError):
        proposal_support(proposal=proposal, user=other_citizen)

    assert counted(proposal) == (0, 0)


def test_an_unverified_citizen_cannot_support(proposal):
    with pytest.raises(PermissionDenied):
        proposal_support(proposal=proposal, user=UserFactory(verified=False))

    assert counted(proposal) == (0, 0)


def test_reaching_the_threshold_puts_the_proposal_under_review_with_an_answer_due_date(
    proposal, settings, django_capture_on_commit_callbacks
):
    settings.PROPOSAL_ANSWER_DAYS = 14
    with_threshold(proposal, 2)
    first, second = UserFactory.create_batch(2)

    with django_capture_on_commit_callbacks() as before:
        proposal_support(proposal=proposal, user=first)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PUBLISHED
    assert (proposal.threshold_reached_at, proposal.answer_due_at) == (None, None)
    assert before == []

    started = timezone.now()
    with django_capture_on_commit_callbacks() as crossing:
        proposal_support(proposal=proposal, user=second)

    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.UNDER_REVIEW
    assert started <= proposal.threshold_reached_at <= timezone.now()
    assert proposal.answer_due_at == proposal.threshold_reached_at + timedelta(days=14)
    change = ProposalStatusChange.objects.get()
    assert (change.from_status, change.to_status, change.by_role) == (
        ProposalStatus.PUBLISHED,
        ProposalStatus.UNDER_REVIEW,
        "threshold",
    )
    assert len(crossing) == 1  # one notification task, queued for after the commit


def test_the_threshold_is_crossed_once_only(proposal, other_citizen):
    with_threshold(proposal, 1)
    latecomer = UserFactory()

    proposal_support(proposal=proposal, user=other_citizen)
    with pytest.raises(ValidationError):
        proposal_unsupport(proposal=proposal, user=other_citizen)
    for person in (other_citizen, latecomer):
        if person == other_citizen:
            assert proposal_support(proposal=proposal, user=person) is False
        else:
            with pytest.raises(ValidationError):
                proposal_support(proposal=proposal, user=person)

    assert ProposalStatusChange.objects.filter(to_status=ProposalStatus.UNDER_REVIEW).count() == 1
    assert counted(proposal) == (1, 1)


def test_a_citizen_withdraws_their_support_while_the_window_is_open(proposal, other_citizen):
    proposal_support(proposal=proposal, user=UserFactory())
    proposal_support(proposal=proposal, user=other_citizen)

    assert proposal_unsupport(proposal=proposal, user=other_citizen) is True

    assert counted(proposal) == (1, 1)
    assert not Support.objects.filter(user=other_citizen).exists()


def test_withdrawing_a_support_that_does_not_exist_changes_nothing(proposal, other_citizen):
    proposal_support(proposal=proposal, user=UserFactory())

    assert proposal_unsupport(proposal=proposal, user=other_citizen) is False

    assert counted(proposal) == (1, 1)


def test_a_support_can_be_given_again_after_it_was_withdrawn(proposal, other_citizen):
    proposal_support(proposal=proposal, user=other_citizen)
    proposal_unsupport(proposal=proposal, user=other_citizen)

    assert proposal_support(proposal=proposal, user=other_citizen) is True

    assert counted(proposal) == (1, 1)


def test_a_support_cannot_be_withdrawn_after_the_window_closed(proposal, other_citizen):
    proposal_support(proposal=proposal, user=other_citizen)
    Proposal.objects.filter(pk=proposal.pk).update(closes_at=timezone.now() - timedelta(seconds=1))

    with pytest.raises(ValidationError):
        proposal_unsupport(proposal=proposal, user=other_citizen)

    assert counted(proposal) == (1, 1)


@pytest.mark.parametrize("status", [ProposalStatus.WITHDRAWN, ProposalStatus.ACCEPTED, ProposalStatus.DECLINED])
def test_a_support_cannot_be_withdrawn_once_the_proposal_is_withdrawn_or_answered(proposal, other_citizen, status):
    proposal_support(proposal=proposal, user=other_citizen)
    Proposal.objects.filter(pk=proposal.pk).update(status=status)

    with pytest.raises(ValidationError):
        proposal_unsupport(proposal=proposal, user=other_citizen)

    assert counted(proposal) == (1, 1)


def test_a_support_cannot_be_withdrawn_once_the_proposal_is_under_review(proposal, citizen, other_citizen):
    with_threshold(proposal, 1)
    proposal_support(proposal=proposal, user=other_citizen)

    with pytest.raises(ValidationError):
        proposal_unsupport(proposal=proposal, user=other_citizen)

    proposal.refresh_from_db()
    assert counted(proposal) == (1, 1)
    assert proposal.status == ProposalStatus.UNDER_REVIEW


# What a support costs the database


def test_a_support_costs_five_statements_with_its_savepoint(proposal, other_citizen, django_assert_num_queries):
    # Inside the test's transaction the action's own is a savepoint: SAVEPOINT, the support, the
    # follow, the count, RELEASE.
    with django_assert_num_queries(5) as captured:
        assert proposal_support(proposal=proposal, user=other_citizen) is True
    statements = [query["sql"].split()[0] for query in captured.captured_queries]
    assert statements == ["SAVEPOINT", "INSERT", "INSERT", "UPDATE", "RELEASE"]
    assert counted(proposal) == (1, 1)
    assert ProposalFollow.objects.filter(proposal=proposal, user=other_citizen).exists()


def test_a_support_that_reaches_the_threshold_adds_only_its_history_and_notification(
    proposal, other_citizen, django_assert_num_queries
):
    with_threshold(proposal, 1)
    with django_assert_num_queries(7):  # the five, then the status change and its notification job
        proposal_support(proposal=proposal, user=other_citizen)
    assert ProposalStatusChange.objects.filter(proposal=proposal).count() == 1


def test_a_repeated_support_costs_a_bounded_number_of_statements(
    proposal, other_citizen, django_assert_max_num_queries
):
    proposal_support(proposal=proposal, user=other_citizen)
    with django_assert_max_num_queries(6):  # SAVEPOINT, the insert finding it, the rules' 3 reads, RELEASE
        assert proposal_support(proposal=proposal, user=other_citizen) is False


def test_a_support_already_given_by_a_citizen_suspended_since_is_refused(proposal, other_citizen, moderator):
    proposal_support(proposal=proposal, user=other_citizen)
    moderation_actions.user_suspend(moderator=moderator, user=other_citizen, reason_code="spam")

    with pytest.raises(PermissionDenied):
        proposal_support(proposal=proposal, user=other_citizen)

    assert counted(proposal) == (1, 1)


def test_a_refused_support_leaves_neither_a_support_nor_a_follow(proposal, other_citizen):
    Proposal.objects.filter(pk=proposal.pk).update(closes_at=timezone.now() - timedelta(seconds=1))

    with pytest.raises(ValidationError, match="no longer collecting"):
        proposal_support(proposal=proposal, user=other_citizen)

    assert not ProposalFollow.objects.filter(proposal=proposal, user=other_citizen).exists()
    assert counted(proposal) == (0, 0)


@pytest.mark.django_db(transaction=True)
def test_a_support_costs_five_statements_with_begin_and_commit(citizen, other_citizen, django_assert_num_queries):
    proposal = proposal_create(author=citizen, title="Shade trees", summary="Plant trees.")
    with django_assert_num_queries(5) as captured:
        assert proposal_support(proposal=proposal, user=other_citizen) is True
    statements = [query["sql"].split()[0] for query in captured.captured_queries]
    assert statements == ["BEGIN", "INSERT", "INSERT", "UPDATE", "COMMIT"]
    assert counted(proposal) == (1, 1)
