"""The proposal page over HTTP: following, comments, and the city's answer."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone

from citizens.tests.two_factor import sign_in_with_totp
from moderation.models import ModerationState
from proposals import actions
from proposals.models import ProposalComment, ProposalFollow, ProposalStatus
from proposals.notifications import unfollow_token
from proposals.tests.factories import CommentFactory, ProposalFactory
from proposals.tests.page_text import titles_in

pytestmark = pytest.mark.django_db


# Following


def test_a_citizen_follows_and_unfollows(client, citizen):
    proposal = ProposalFactory()
    client.force_login(citizen)
    client.post(f"/proposals/{proposal.pk}/follow/")
    assert ProposalFollow.objects.filter(proposal=proposal, user=citizen).exists()
    client.post(f"/proposals/{proposal.pk}/follow/", {"action": "unfollow"})
    assert not ProposalFollow.objects.filter(proposal=proposal, user=citizen).exists()


def test_the_unsubscribe_link_stops_following_through_proposal_unfollow(client, citizen):
    proposal = ProposalFactory()
    ProposalFollow.objects.create(proposal=proposal, user=citizen)
    url = f"/proposals/unfollow/{unfollow_token(user_id=citizen.pk, proposal_id=proposal.pk)}/"
    assert "Stop following this proposal?" in client.get(url).content.decode()
    with mock.patch.object(actions, "proposal_unfollow", wraps=actions.proposal_unfollow) as unfollow:
        page = client.post(url, follow=True).content.decode()
    unfollow.assert_called_once_with(proposal=proposal, user=citizen)
    assert "You will no longer receive emails about this proposal." in page
    assert not ProposalFollow.objects.filter(proposal=proposal, user=citizen).exists()
    assert client.get("/proposals/unfollow/forged-token/").status_code == 404


# Comments


def test_comments_are_threaded_one_level_and_sorted_oldest_or_newest_first(client, citizen):
    proposal = ProposalFactory()
    now = timezone.now()
    first = CommentFactory(proposal=proposal, body="First comment", created_at=now - timedelta(hours=3))
    CommentFactory(proposal=proposal, body="Second comment", created_at=now - timedelta(hours=2))
    client.force_login(citizen)
    client.post(f"/proposals/{proposal.pk}/comment/", {"body": "A reply to the first", "parent": first.pk})
    reply = ProposalComment.objects.get(body="A reply to the first")
    assert reply.parent == first
    oldest = client.get(f"/proposals/{proposal.pk}/").content.decode()
    assert titles_in(oldest, "First comment", "A reply to the first", "Second comment") == [
        "First comment",
        "A reply to the first",
        "Second comment",
    ]
    assert '<ol class="replies">' in oldest
    newest = client.get(f"/proposals/{proposal.pk}/", {"comments": "newest"}).content.decode()
    assert titles_in(newest, "First comment", "A reply to the first", "Second comment") == [
        "Second comment",
        "First comment",
        "A reply to the first",
    ]


def test_a_reply_to_a_reply_or_to_another_proposal_is_refused(client, citizen):
    proposal = ProposalFactory()
    top = CommentFactory(proposal=proposal)
    reply = CommentFactory(proposal=proposal, parent=top)
    elsewhere = CommentFactory()
    client.force_login(citizen)
    page = client.post(
        f"/proposals/{proposal.pk}/comment/", {"body": "Deeper", "parent": reply.pk}, follow=True
    ).content.decode()
    assert "Reply to a comment of this proposal." in page
    page = client.post(
        f"/proposals/{proposal.pk}/comment/", {"body": "Elsewhere", "parent": elsewhere.pk}, follow=True
    ).content.decode()
    assert "Reply to a comment of this proposal." in page
    assert not ProposalComment.objects.filter(body__in=["Deeper", "Elsewhere"]).exists()


def test_a_comment_is_rendered_safely(client, citizen):
    proposal = ProposalFactory()
    client.force_login(citizen)
    client.post(
        f"/proposals/{proposal.pk}/comment/",
        {"body": "<script>alert(1)</script> [x](javascript:alert(1)) *fine*"},
    )
    page = client.get(f"/proposals/{proposal.pk}/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page and 'href="javascript:' not in page
    assert "<em>fine</em>" in page


def test_an_empty_or_over_long_comment_is_refused_with_a_message(client, citizen):
    proposal = ProposalFactory()
    client.force_login(citizen)
    page = client.post(f"/proposals/{proposal.pk}/comment/", {"body": ""}, follow=True).content.decode()
    assert "This field is required." in page
    page = client.post(f"/proposals/{proposal.pk}/comment/", {"body": "c" * 5001}, follow=True).content.decode()
    assert "at most 5000 characters" in page
    assert not ProposalComment.objects.exists()


def test_commenting_on_a_hidden_proposal_is_not_found(client, citizen):
    hidden = ProposalFactory(moderation_state=ModerationState.HIDDEN)
    client.force_login(citizen)
    assert client.post(f"/proposals/{hidden.pk}/comment/", {"body": "Hello"}).status_code == 404
    assert not ProposalComment.objects.exists()


def test_a_comment_can_be_edited_within_fifteen_minutes_and_is_marked_edited(client, citizen):
    comment = CommentFactory(author=citizen, body="Typo hree")
    client.force_login(citizen)
    url = f"/proposals/{comment.proposal_id}/comments/{comment.pk}/edit/"
    assert f'href="{url}"' in client.get(f"/proposals/{comment.proposal_id}/").content.decode()
    client.post(url, {"body": "Typo here"})
    page = client.get(f"/proposals/{comment.proposal_id}/").content.decode()
    assert "Typo here" in page and '<span class="edited">edited</span>' in page


def test_a_comment_cannot_be_edited_after_fifteen_minutes(client, citizen):
    comment = CommentFactory(author=citizen, body="Old words", created_at=timezone.now() - timedelta(minutes=16))
    client.force_login(citizen)
    url = f"/proposals/{comment.proposal_id}/comments/{comment.pk}/edit/"
    assert f'href="{url}"' not in client.get(f"/proposals/{comment.proposal_id}/").content.decode()
    response = client.post(url, {"body": "New words"})
    assert "Comments can be edited for 15 minutes" in response.content.decode()
    comment.refresh_from_db()
    assert comment.body == "Old words" and comment.edited_at is None


def test_only_the_author_may_edit_or_delete_a_comment(client, other_citizen):
    comment = CommentFactory(body="Mine")
    client.force_login(other_citizen)
    assert (
        client.post(f"/proposals/{comment.proposal_id}/comments/{comment.pk}/edit/", {"body": "x"}).status_code == 403
    )
    assert client.post(f"/proposals/{comment.proposal_id}/comments/{comment.pk}/delete/").status_code == 403
    comment.refresh_from_db()
    assert comment.body == "Mine" and comment.deleted_at is None


def test_deleting_a_comment_keeps_its_replies(client, citizen):
    comment = CommentFactory(author=citizen, body="Regrettable words")
    CommentFactory(proposal=comment.proposal, parent=comment, body="A kind reply")
    client.force_login(citizen)
    url = f"/proposals/{comment.proposal_id}/comments/{comment.pk}/delete/"
    assert "Delete your comment?" in client.get(url).content.decode()
    client.post(url)
    page = client.get(f"/proposals/{comment.proposal_id}/").content.decode()
    assert "Regrettable words" not in page
    assert "This comment was deleted." in page
    assert "A kind reply" in page


def test_the_detail_page_runs_a_constant_number_of_queries(client, citizen, django_assert_max_num_queries):
    proposal = ProposalFactory()
    client.force_login(citizen)

    def add_threads(count):
        for _ in range(count):
            top = CommentFactory(proposal=proposal, author=citizen)
            CommentFactory(proposal=proposal, parent=top)

    add_threads(5)
    # One of them names the topics in the page's language.
    with django_assert_max_num_queries(10):
        client.get(f"/proposals/{proposal.pk}/")
    add_threads(45)
    with django_assert_max_num_queries(10):
        body = client.get(f"/proposals/{proposal.pk}/").content.decode()
    assert body.count('class="comment"') == 100


# The city's answer


def test_staff_answer_and_the_answer_shows_on_the_page(client, staff, django_capture_on_commit_callbacks):
    proposal = ProposalFactory(status=ProposalStatus.UNDER_REVIEW, title="More buses at night")
    sign_in_with_totp(client, staff)
    assert "Answer (city staff)" in client.get(f"/proposals/{proposal.pk}/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/proposals/{proposal.pk}/answer/", {"status": "accepted", "answer": "We add **two** night buses."}
        )
    client.logout()
    page = client.get(f"/proposals/{proposal.pk}/").content.decode()
    assert "The city's answer" in page
    assert "We add <strong>two</strong> night buses." in page
    assert "The city answered: Accepted" in page
    assert [message.to for message in mail.outbox] == [[proposal.author.email]]
    assert "More buses at night" in mail.outbox[0].subject


@pytest.mark.parametrize("role", ["citizen", "moderator"])
def test_citizens_and_moderators_cannot_answer(client, request, role):
    proposal = ProposalFactory()
    client.force_login(request.getfixturevalue(role))
    assert "Answer (city staff)" not in client.get(f"/proposals/{proposal.pk}/").content.decode()
    response = client.post(f"/proposals/{proposal.pk}/answer/", {"status": "accepted", "answer": "Yes"})
    assert response.status_code == 403
    proposal.refresh_from_db()
    assert proposal.answered_at is None


def test_an_answer_without_text_is_refused_with_a_message(client, staff):
    proposal = ProposalFactory()
    sign_in_with_totp(client, staff)
    page = client.post(
        f"/proposals/{proposal.pk}/answer/", {"status": "accepted", "answer": ""}, follow=True
    ).content.decode()
    assert "This field is required." in page
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PUBLISHED
