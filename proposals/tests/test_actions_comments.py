"""Comments on proposals: one level of replies, a short edit window, deletion that keeps the thread."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from citizens.tests.factories import UserFactory
from moderation.models import ModerationState
from proposals.actions import (
    proposal_comment_create,
    proposal_comment_delete,
    proposal_comment_edit,
    proposal_create,
)
from proposals.models import COMMENT_MAX, Proposal, ProposalComment

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposal(citizen):
    return proposal_create(author=citizen, title="Shade trees", summary="Plant trees.")


def comment_count(proposal: Proposal) -> int:
    proposal.refresh_from_db()
    return proposal.comment_count


def written_ago(comment: ProposalComment, minutes: int) -> None:
    ProposalComment.objects.filter(pk=comment.pk).update(created_at=timezone.now() - timedelta(minutes=minutes))
    comment.refresh_from_db()


def test_a_citizen_comments_and_the_count_goes_up(proposal, other_citizen):
    comment = proposal_comment_create(proposal=proposal, author=other_citizen, body="  Yes, *please*.  ")

    assert (comment.proposal, comment.author, comment.parent) == (proposal, other_citizen, None)
    assert comment.body == "Yes, *please*."
    assert comment.body_html == "<p>Yes, <em>please</em>.</p>"
    assert comment_count(proposal) == 1


def test_a_comment_is_shown_sanitized(proposal, other_citizen):
    comment = proposal_comment_create(proposal=proposal, author=other_citizen, body="<script>x()</script>")

    assert "<script" not in comment.body_html


def test_a_reply_to_a_comment_is_one_level_deep(proposal, citizen, other_citizen):
    comment = proposal_comment_create(proposal=proposal, author=other_citizen, body="Which street?")

    reply = proposal_comment_create(proposal=proposal, author=citizen, body="Jalan Braga.", parent=comment)

    assert reply.parent == comment
    assert list(comment.replies.all()) == [reply]
    assert comment_count(proposal) == 2


def test_a_reply_to_a_reply_is_refused(proposal, citizen, other_citizen):
    comment = proposal_comment_create(proposal=proposal, author=other_citizen, body="Which street?")
    reply = proposal_comment_create(proposal=proposal, author=citizen, body="Jalan Braga.", parent=comment)

    with pytest.raises(ValidationError) as refused:
        proposal_comment_create(proposal=proposal, author=other_citizen, body="Thanks.", parent=reply)

    assert "parent" in refused.value.message_dict
    assert ProposalComment.objects.count() == 2
    assert comment_count(proposal) == 2


def test_a_reply_must_answer_a_comment_of_the_same_proposal(proposal, citizen, other_citizen):
    elsewhere = proposal_create(author=other_citizen, title="Benches", summary="More benches.")
    comment = proposal_comment_create(proposal=elsewhere, author=other_citizen, body="Near the park.")

    with pytest.raises(ValidationError) as refused:
        proposal_comment_create(proposal=proposal, author=citizen, body="Here too.", parent=comment)

    assert "parent" in refused.value.message_dict
    assert comment_count(proposal) == 0


def test_a_reply_to_a_hidden_comment_is_refused(proposal, citizen, other_citizen):
    comment = proposal_comment_create(proposal=proposal, author=other_citizen, body="Spam.")
    ProposalComment.objects.filter(pk=comment.pk).update(moderation_state=ModerationState.HIDDEN)
    comment.refresh_from_db()

    with pytest.raises(ValidationError):
        proposal_comment_create(proposal=proposal, author=citizen, body="Reply.", parent=comment)


@pytest.mark.parametrize(
    "body", ["", "   ", "Bad\x00", "x" * (COMMENT_MAX + 1)], ids=["empty", "blank", "NUL", "too long"]
)
def test_a_bad_comment_is_refused_and_nothing_is_saved(proposal, other_citizen, body):
    with pytest.raises(ValidationError) as refused:
        proposal_comment_create(proposal=proposal, author=other_citizen, body=body)

    assert "body" in refused.value.message_dict
    assert not ProposalComment.objects.exists()
    assert comment_count(proposal) == 0


@pytest.mark.parametrize("state", [ModerationState.HIDDEN, ModerationState.PENDING, ModerationState.REJECTED])
def test_a_proposal_the_public_cannot_see_refuses_comments(proposal, other_citizen, state):
    Proposal.objects.filter(pk=proposal.pk).update(moderation_state=state)

    with pytest.raises(ValidationError) as refused:
        proposal_comment_create(proposal=proposal, author=other_citizen, body="Hello?")

    assert "proposal" in refused.value.message_dict
    assert not ProposalComment.objects.exists()


def test_an_unverified_citizen_cannot_comment(proposal):
    with pytest.raises(PermissionDenied):
        proposal_comment_create(proposal=proposal, author=UserFactory(verified=False), body="Hello")

    assert not ProposalComment.objects.exists()


def test_the_author_edits_a_comment_within_15_minutes(proposal, other_citizen):
    comment = proposal_comment_create(proposal=proposal, author=other_citizen, body="Fourty trees.")
    written_ago(comment, 14)

    proposal_comment_edit(comment=comment, by=other_citizen, body="Forty **trees**.")

    comment.refresh_from_db()
    assert comment.body == "Forty **trees**."
    assert comment.body_html == "<p>Forty <strong>trees</strong>.</p>"
    assert comment.edited_at is not None


def test_a_comment_cannot_be_edited_after_15_minutes(proposal, other_citizen):
    comment = proposal_comment_create(proposal=proposal, author=other_citizen, body="Fourty trees.")
    written_ago(comment, 16)

    with pytest.raises(ValidationError):
        proposal_comment_edit(comment=comment, by=other_citizen, body="Forty trees.")

    comment.refresh_from_db()
    assert (comment.body, comment.edited_at) == ("Fourty trees.", None)


def test_only_the_author_edits_a_comment(proposal, citizen, other_citizen):
    comment = proposal_comment_create(proposal=proposal, author=other_citizen, body="Forty trees.")

    with pytest.raises(PermissionDenied):
        proposal_comment_edit(comment=comment, by=citizen, body="Four trees.")

    assert ProposalComment.objects.get().body == "Forty trees."


@pytest.mark.parametrize("body", ["", "Bad\x00", "x" * (COMMENT_MAX + 1)], ids=["empty", "NUL", "too long"])
def test_a_bad_edit_is_refused(proposal, other_citizen, body):
    comment = proposal_comment_create(proposal=proposal, author=other_citizen, body="Forty trees.")

    with pytest.raises(ValidationError):
        proposal_comment_edit(comment=comment, by=other_citizen, body=body)

    assert ProposalComment.objects.get().body == "Forty trees."


def test_deleting_a_comment_clears_its_text_and_keeps_its_replies(proposal, citizen, other_citizen):
    comment = proposal_comment_create(proposal=proposal, author=other_citizen, body="Which street?")
    reply = proposal_comment_create(proposal=proposal, author=citizen, body="Jalan Braga.", parent=comment)

    proposal_comment_delete(comment=comment, by=other_citizen)

    comment.refresh_from_db()
    assert (comment.body, comment.body_html) == ("", "")
    assert comment.is_deleted
    assert list(comment.replies.all()) == [reply]
    assert ProposalComment.objects.get(pk=reply.pk).body == "Jalan Braga."


def test_a_deleted_comment_cannot_be_edited_back(proposal, other_citizen):
    comment = proposal_comment_create(proposal=proposal, author=other_citizen, body="Oops.")
    proposal_comment_delete(comment=comment, by=other_citizen)

    with pytest.raises(ValidationError):
        proposal_comment_edit(comment=comment, by=other_citizen, body="Back.")


def test_only_the_author_deletes_a_comment(proposal, citizen, other_citizen):
    comment = proposal_comment_create(proposal=proposal, author=other_citizen, body="Forty trees.")

    with pytest.raises(PermissionDenied):
        proposal_comment_delete(comment=comment, by=citizen)

    comment.refresh_from_db()
    assert (comment.body, comment.deleted_at) == ("Forty trees.", None)
