"""GET /api/v1/proposals/<id>/: one proposal, with the city's answer once there is one."""

import pytest

from moderation.models import ModerationState
from proposals import actions
from proposals.models import ProposalStatus
from proposals.tests.factories import StoredProposalFactory

pytestmark = pytest.mark.django_db


def test_anyone_reads_a_published_proposal(client, citizen):
    proposal = StoredProposalFactory(author=citizen)
    response = client.get(f"/api/v1/proposals/{proposal.pk}/")
    assert response.status_code == 200
    body = response.json()
    assert (body["id"], body["title"], body["author_name"]) == (proposal.pk, "Shade trees on Jl. Braga", "Citizen One")
    assert body["url"] == f"http://testserver/proposals/{proposal.pk}/"
    assert body["answer"] is None


def test_the_city_answer_comes_with_its_status_text_html_and_date(client, citizen, staff):
    proposal = StoredProposalFactory(author=citizen, status=ProposalStatus.UNDER_REVIEW)
    actions.proposal_answer(proposal=proposal, by=staff, status=ProposalStatus.PLANNED, answer="We plant in **May**.")
    body = client.get(f"/api/v1/proposals/{proposal.pk}/").json()
    assert body["status"] == "planned"
    answer = body["answer"]
    assert set(answer) == {"status", "text", "html", "answered_at"}
    assert (answer["status"], answer["text"]) == ("planned", "We plant in **May**.")
    assert answer["html"] == "<p>We plant in <strong>May</strong>.</p>"
    assert answer["answered_at"]
    assert staff.email not in str(body)


@pytest.mark.parametrize("state", [ModerationState.HIDDEN, ModerationState.PENDING, ModerationState.REJECTED])
def test_a_proposal_the_public_may_not_see_is_not_found(client, citizen, other_citizen, state):
    proposal = StoredProposalFactory(author=citizen, moderation_state=state)
    assert client.get(f"/api/v1/proposals/{proposal.pk}/").status_code == 404
    client.force_login(other_citizen)
    assert client.get(f"/api/v1/proposals/{proposal.pk}/").status_code == 404


def test_the_author_reads_their_own_proposal_while_it_awaits_moderation(client, citizen):
    proposal = StoredProposalFactory(author=citizen, moderation_state=ModerationState.PENDING)
    client.force_login(citizen)
    response = client.get(f"/api/v1/proposals/{proposal.pk}/")
    assert response.status_code == 200
    assert response.json()["id"] == proposal.pk


def test_an_unknown_proposal_is_a_404_json_error(client):
    response = client.get("/api/v1/proposals/987654/")
    assert response.status_code == 404
    assert "detail" in response.json()
