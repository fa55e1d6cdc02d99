"""proposal_answer: city staff alone give the public, dated answer, recorded in the history."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from citizens.tests.factories import UserFactory
from proposals.actions import can_answer, proposal_answer, proposal_create, proposal_support, proposal_withdraw
from proposals.models import BODY_MAX, Proposal, ProposalStatus, ProposalStatusChange

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposal(citizen, other_citizen):
    """A proposal that reached its threshold and waits for the city's answer."""
    proposal = proposal_create(author=citizen, title="Shade trees", summary="Plant trees.")
    Proposal.objects.filter(pk=proposal.pk).update(threshold=1)
    proposal_support(proposal=proposal, user=other_citizen)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.UNDER_REVIEW
    return proposal


def answers(proposal: Proposal) -> list[tuple[str, str, str, str]]:
    return list(
        ProposalStatusChange.objects.filter(proposal=proposal, by_role="city").values_list(
            "from_status", "to_status", "note", "by_role"
        )
    )


def test_city_staff_answer_a_proposal_under_review(proposal, staff, django_capture_on_commit_callbacks):
    started = timezone.now()

    with django_capture_on_commit_callbacks() as callbacks:
        proposal_answer(proposal=proposal, by=staff, status=ProposalStatus.ACCEPTED, answer="  We will plant **40**.  ")

    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACCEPTED
    assert proposal.answer == "We will plant **40**."
    assert proposal.answer_html == "<p>We will plant <strong>40</strong>.</p>"
    assert started <= proposal.answered_at <= timezone.now()
    assert proposal.answered_by == staff
    assert answers(proposal) == [
        (ProposalStatus.UNDER_REVIEW, ProposalStatus.ACCEPTED, "We will plant **40**.", "city"),
    ]
    assert len(callbacks) == 1  # the notification task, queued for after the commit


def test_the_answer_is_sanitized(proposal, staff):
    proposal_answer(
        proposal=proposal, by=staff, status=ProposalStatus.PLANNED, answer="<script>x()</script>[a](javascript:y)"
    )

    proposal.refresh_from_db()
    assert "<script" not in proposal.answer_html
    assert "javascript:" not in proposal.answer_html


def test_a_superuser_may_answer(proposal):
    root = UserFactory(is_staff=True, is_superuser=True)

    assert can_answer(root)
    proposal_answer(proposal=proposal, by=root, status=ProposalStatus.IMPLEMENTED, answer="Done.")

    assert Proposal.objects.get().status == ProposalStatus.IMPLEMENTED


@pytest.mark.parametrize("who", ["moderator", "citizen", "other_citizen", "operator_staff", "nobody"])
def test_only_city_staff_answer(proposal, request, who, django_capture_on_commit_callbacks):
    person = None if who == "nobody" else request.getfixturevalue(who)

    assert not can_answer(person)
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(PermissionDenied):
        proposal_answer(proposal=proposal, by=person, status=ProposalStatus.ACCEPTED, answer="Yes.")

    proposal.refresh_from_db()
    assert (proposal.status, proposal.answer, proposal.answered_at) == (ProposalStatus.UNDER_REVIEW, "", None)
    assert answers(proposal) == []
    assert callbacks == []


def test_a_deactivated_staff_account_can_no_longer_answer(proposal, staff):
    staff.is_active = False
    staff.save(update_fields=["is_active"])

    assert not can_answer(staff)
    with pytest.raises(PermissionDenied):
        proposal_answer(proposal=proposal, by=staff, status=ProposalStatus.ACCEPTED, answer="Yes.")

    assert Proposal.objects.get().status == ProposalStatus.UNDER_REVIEW


@pytest.mark.parametrize("text", ["", "   ", "No\x00", "x" * (BODY_MAX + 1)], ids=["empty", "blank", "NUL", "too long"])
def test_a_decline_needs_an_answer_text(proposal, staff, text):
    with pytest.raises(ValidationError) as refused:
        proposal_answer(proposal=proposal, by=staff, status=ProposalStatus.DECLINED, answer=text)

    assert "answer" in refused.value.message_dict
    proposal.refresh_from_db()
    assert (proposal.status, proposal.answered_at) == (ProposalStatus.UNDER_REVIEW, None)
    assert answers(proposal) == []


@pytest.mark.parametrize("status", [ProposalStatus.PUBLISHED, ProposalStatus.WITHDRAWN, "approved", ""])
def test_only_answer_statuses_are_accepted(proposal, staff, status):
    with pytest.raises(ValidationError) as refused:
        proposal_answer(proposal=proposal, by=staff, status=status, answer="Something.")

    assert "status" in refused.value.message_dict
    assert Proposal.objects.get().status == ProposalStatus.UNDER_REVIEW
    assert answers(proposal) == []


def test_a_withdrawn_proposal_cannot_be_answered(citizen, staff):
    proposal = proposal_create(author=citizen, title="Shade trees", summary="Plant trees.")
    proposal_withdraw(proposal=proposal, by=citizen)

    with pytest.raises(ValidationError) as refused:
        proposal_answer(proposal=proposal, by=staff, status=ProposalStatus.ACCEPTED, answer="Yes.")

    assert "proposal" in refused.value.message_dict
    assert Proposal.objects.get().status == ProposalStatus.WITHDRAWN


def test_each_later_answer_is_recorded_with_its_note(proposal, staff):
    proposal_answer(proposal=proposal, by=staff, status=ProposalStatus.ACCEPTED, answer="Yes.")
    proposal_answer(proposal=proposal, by=staff, status=ProposalStatus.PLANNED, answer="Planting in March.")
    proposal_answer(proposal=proposal, by=staff, status=ProposalStatus.IMPLEMENTED, answer="Forty trees planted.")

    proposal.refresh_from_db()
    assert (proposal.status, proposal.answer) == (ProposalStatus.IMPLEMENTED, "Forty trees planted.")
    assert answers(proposal) == [
        (ProposalStatus.UNDER_REVIEW, ProposalStatus.ACCEPTED, "Yes.", "city"),
        (ProposalStatus.ACCEPTED, ProposalStatus.PLANNED, "Planting in March.", "city"),
        (ProposalStatus.PLANNED, ProposalStatus.IMPLEMENTED, "Forty trees planted.", "city"),
    ]
