"""PATCH /api/v1/proposals/<id>/: the author edits a proposal until its first support or comment."""

import pytest

from citizens.tests.factories import UserFactory
from moderation.models import ModerationState
from proposals import actions
from proposals.models import Proposal, ProposalStatus
from proposals.tests.factories import StoredProposalFactory

pytestmark = pytest.mark.django_db


def patch(client, proposal, data):
    return client.patch(f"/api/v1/proposals/{proposal.pk}/", data, content_type="application/json")


def test_the_author_changes_only_the_fields_sent(client, citizen):
    proposal = StoredProposalFactory(author=citizen, body="Trees", lat=-6.91, lon=107.6)
    client.force_login(citizen)
    response = patch(client, proposal, {"title": "Shade trees everywhere", "body": "Trees *everywhere*"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["title"], body["summary"]) == ("Shade trees everywhere", "Plant trees along the street.")
    assert body["body_html"] == "<p>Trees <em>everywhere</em></p>"
    assert (body["lat"], body["lon"]) == (-6.91, 107.6)
    proposal.refresh_from_db()
    assert (proposal.title, proposal.body) == ("Shade trees everywhere", "Trees *everywhere*")
    assert proposal.edited_at is not None


def test_the_author_moves_or_removes_the_point_and_hides_their_name(client, citizen):
    proposal = StoredProposalFactory(author=citizen, body="Trees", lat=-6.91, lon=107.6)
    client.force_login(citizen)
    assert patch(client, proposal, {"lat": -6.9, "lon": 107.61}).json()["lat"] == -6.9
    body = patch(client, proposal, {"lat": None, "lon": None, "show_name": False}).json()
    assert (body["lat"], body["lon"], body["author_name"]) == (None, None, None)


def test_status_counts_and_author_cannot_be_changed_through_an_edit(client, citizen, other_citizen):
    proposal = StoredProposalFactory(author=citizen, body="Trees")
    client.force_login(citizen)
    data = {
        "title": "New title",
        "status": "accepted",
        "support_count": 999,
        "threshold": 1,
        "author": other_citizen.pk,
    }
    assert patch(client, proposal, data).status_code == 200
    proposal.refresh_from_db()
    assert (proposal.title, proposal.status, proposal.support_count, proposal.threshold, proposal.author) == (
        "New title",
        ProposalStatus.PUBLISHED,
        0,
        100,
        citizen,
    )


def test_someone_else_gets_a_403_and_nothing_changes(client, citizen, other_citizen, staff):
    proposal = StoredProposalFactory(author=citizen, body="Trees")
    for person in (other_citizen, staff):
        client.force_login(person)
        response = patch(client, proposal, {"title": "Hijacked"})
        assert response.status_code == 403
        assert "author" in response.json()["detail"]
    proposal.refresh_from_db()
    assert proposal.title == "Shade trees on Jl. Braga"


def test_a_supported_proposal_can_no_longer_be_edited(client, citizen, other_citizen):
    proposal = StoredProposalFactory(author=citizen, body="Trees")
    actions.proposal_support(proposal=proposal, user=other_citizen)
    client.force_login(citizen)
    response = patch(client, proposal, {"title": "Changed after support"})
    assert response.status_code == 400
    assert "proposal" in response.json()
    assert Proposal.objects.get().title == "Shade trees on Jl. Braga"


def test_a_commented_proposal_can_no_longer_be_edited(client, citizen, other_citizen):
    proposal = StoredProposalFactory(author=citizen, body="Trees")
    actions.proposal_comment_create(proposal=proposal, author=other_citizen, body="Good idea")
    client.force_login(citizen)
    response = patch(client, proposal, {"summary": "Changed after a comment"})
    assert response.status_code == 400
    assert "proposal" in response.json()
    assert Proposal.objects.get().summary == "Plant trees along the street."


@pytest.mark.parametrize(
    "change, field",
    [
        ({"title": ""}, "title"),
        ({"title": "x" * 121}, "title"),
        ({"body": "x" * 10_001}, "body"),
        ({"topic": "Teleportation"}, "topic"),
        ({"lat": 51.5, "lon": -0.12}, "location"),
        ({"lat": "nan"}, "lat"),
    ],
    ids=["empty title", "long title", "long body", "bad topic", "outside the city", "nan"],
)
def test_a_bad_edit_is_a_400_and_changes_nothing(client, citizen, change, field):
    proposal = StoredProposalFactory(author=citizen, body="Trees", lat=-6.91, lon=107.6)
    client.force_login(citizen)
    response = patch(client, proposal, change)
    assert response.status_code == 400
    assert field in response.json()
    proposal.refresh_from_db()
    assert (proposal.title, proposal.body, proposal.topic, proposal.lat, proposal.edited_at) == (
        "Shade trees on Jl. Braga",
        "Trees",
        "other",
        -6.91,
        None,
    )


def test_an_author_whose_email_is_unconfirmed_cannot_edit(client):
    author = UserFactory(verified=False)
    proposal = StoredProposalFactory(author=author, body="Trees")
    client.force_login(author)
    assert patch(client, proposal, {"title": "Changed"}).status_code == 403
    assert Proposal.objects.get().title == "Shade trees on Jl. Braga"


def test_a_proposal_the_public_may_not_see_is_not_found_for_others(client, citizen, other_citizen):
    proposal = StoredProposalFactory(author=citizen, body="Trees", moderation_state=ModerationState.HIDDEN)
    client.force_login(other_citizen)
    assert patch(client, proposal, {"title": "Changed"}).status_code == 404
    assert Proposal.objects.get().title == "Shade trees on Jl. Braga"
