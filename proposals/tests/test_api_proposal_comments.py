"""/api/v1/proposals/<id>/comments/: read the threads of a proposal, add a comment or a reply."""

import pytest

from moderation.models import ModerationState
from proposals import actions
from proposals.models import COMMENT_MAX, Proposal, ProposalComment
from proposals.tests.factories import StoredProposalFactory

pytestmark = pytest.mark.django_db


def comments_url(proposal) -> str:
    return f"/api/v1/proposals/{proposal.pk}/comments/"


def post(client, proposal, data):
    return client.post(comments_url(proposal), data, content_type="application/json")


def test_anyone_reads_the_visible_threads_oldest_first_with_replies_nested(client, citizen, other_citizen):
    proposal = StoredProposalFactory(author=citizen)
    first = actions.proposal_comment_create(proposal=proposal, author=citizen, body="First")
    reply = actions.proposal_comment_create(proposal=proposal, author=other_citizen, body="A reply", parent=first)
    hidden_reply = actions.proposal_comment_create(proposal=proposal, author=other_citizen, body="Spam", parent=first)
    hidden = actions.proposal_comment_create(proposal=proposal, author=other_citizen, body="More spam")
    second = actions.proposal_comment_create(proposal=proposal, author=other_citizen, body="Second", show_name=False)
    ProposalComment.objects.filter(pk__in=[hidden.pk, hidden_reply.pk]).update(moderation_state=ModerationState.HIDDEN)
    response = client.get(comments_url(proposal))
    assert response.status_code == 200
    threads = response.json()["results"]
    assert [(c["id"], c["body"], c["author_name"], c["parent"]) for c in threads] == [
        (first.pk, "First", "Citizen One", None),
        (second.pk, "Second", None, None),
    ]
    assert [(r["id"], r["body"], r["author_name"], r["parent"]) for r in threads[0]["replies"]] == [
        (reply.pk, "A reply", "Citizen Two", first.pk)
    ]
    assert threads[1]["replies"] == []
    assert threads[0]["body_html"] == "<p>First</p>"
    assert threads[0]["deleted"] is False
    content = response.content.decode()
    assert citizen.email not in content and other_citizen.email not in content


def test_a_deleted_comment_keeps_its_place_without_its_text(client, citizen, other_citizen):
    proposal = StoredProposalFactory(author=citizen)
    comment = actions.proposal_comment_create(proposal=proposal, author=citizen, body="Oops")
    actions.proposal_comment_create(proposal=proposal, author=other_citizen, body="Answer", parent=comment)
    actions.proposal_comment_delete(comment=comment, by=citizen)
    [thread] = client.get(comments_url(proposal)).json()["results"]
    assert (thread["deleted"], thread["body"], thread["body_html"]) == (True, "", "")
    assert [reply["body"] for reply in thread["replies"]] == ["Answer"]


def test_a_citizen_comments_and_the_proposal_counts_it(client, citizen, other_citizen):
    proposal = StoredProposalFactory(author=other_citizen)
    client.force_login(citizen)
    response = post(client, proposal, {"body": "  Good *idea*  ", "show_name": False})
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["body"], body["body_html"], body["author_name"], body["parent"]) == (
        "Good *idea*",
        "<p>Good <em>idea</em></p>",
        None,
        None,
    )
    comment = ProposalComment.objects.get()
    assert (comment.proposal, comment.author, comment.show_name) == (proposal, citizen, False)
    assert client.get(f"/api/v1/proposals/{proposal.pk}/").json()["comment_count"] == 1


def test_a_citizen_replies_to_a_comment(client, citizen, other_citizen):
    proposal = StoredProposalFactory(author=other_citizen)
    parent = actions.proposal_comment_create(proposal=proposal, author=other_citizen, body="Question?")
    client.force_login(citizen)
    response = post(client, proposal, {"body": "Answer", "parent": parent.pk})
    assert response.status_code == 201, response.content
    assert (response.json()["parent"], response.json()["author_name"]) == (parent.pk, "Citizen One")
    [thread] = client.get(comments_url(proposal)).json()["results"]
    assert [reply["body"] for reply in thread["replies"]] == ["Answer"]


def test_replies_are_one_level_deep_and_stay_on_their_proposal(client, citizen, other_citizen):
    proposal = StoredProposalFactory(author=other_citizen)
    elsewhere = StoredProposalFactory(author=other_citizen)
    top = actions.proposal_comment_create(proposal=proposal, author=other_citizen, body="Top")
    reply = actions.proposal_comment_create(proposal=proposal, author=other_citizen, body="Reply", parent=top)
    foreign = actions.proposal_comment_create(proposal=elsewhere, author=other_citizen, body="Elsewhere")
    client.force_login(citizen)
    for parent in (reply.pk, foreign.pk, 987654):
        response = post(client, proposal, {"body": "Hello", "parent": parent})
        assert response.status_code == 400, parent
        assert "parent" in response.json()
    assert ProposalComment.objects.filter(author=citizen).count() == 0


@pytest.mark.parametrize("body", ["", "   ", "x" * (COMMENT_MAX + 1)], ids=["empty", "blank", "too long"])
def test_an_empty_or_overlong_comment_is_a_400_and_nothing_is_stored(client, citizen, other_citizen, body):
    proposal = StoredProposalFactory(author=other_citizen)
    client.force_login(citizen)
    response = post(client, proposal, {"body": body})
    assert response.status_code == 400
    assert "body" in response.json()
    assert not ProposalComment.objects.exists()
    assert Proposal.objects.get().comment_count == 0


@pytest.mark.parametrize("state", [ModerationState.HIDDEN, ModerationState.REJECTED])
def test_comments_on_a_hidden_proposal_are_not_found(client, citizen, other_citizen, state):
    proposal = StoredProposalFactory(author=other_citizen, moderation_state=state)
    client.force_login(citizen)
    assert client.get(comments_url(proposal)).status_code == 404
    assert post(client, proposal, {"body": "Hello"}).status_code == 404
    assert not ProposalComment.objects.exists()


def test_the_author_cannot_comment_on_their_proposal_while_it_awaits_moderation(client, citizen):
    proposal = StoredProposalFactory(author=citizen, moderation_state=ModerationState.PENDING)
    client.force_login(citizen)
    response = post(client, proposal, {"body": "Any news?"})
    assert response.status_code == 400
    assert "proposal" in response.json()
    assert not ProposalComment.objects.exists()


def test_an_unknown_proposal_has_no_comments(client, citizen):
    client.force_login(citizen)
    assert client.get("/api/v1/proposals/987654/comments/").status_code == 404
    response = client.post("/api/v1/proposals/987654/comments/", {"body": "Hi"}, content_type="application/json")
    assert response.status_code == 404
