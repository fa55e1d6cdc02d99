"""/api/v1/proposals/<id>/support/: support a proposal as yourself, and withdraw that support."""

from datetime import timedelta

import pytest
from django.utils import timezone

from citizens.tests.factories import UserFactory
from moderation.models import ModerationState
from proposals.models import Proposal, ProposalStatus, Support
from proposals.tests.factories import StoredProposalFactory

pytestmark = pytest.mark.django_db


def support_url(proposal) -> str:
    return f"/api/v1/proposals/{proposal.pk}/support/"


def test_supporting_is_201_the_first_time_and_200_after(client, citizen, other_citizen):
    proposal = StoredProposalFactory(author=other_citizen)
    client.force_login(citizen)
    first = client.post(support_url(proposal))
    again = client.post(support_url(proposal))
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json() == again.json() == {"supported": True, "support_count": 1}
    assert Support.objects.filter(proposal=proposal, user=citizen).count() == 1
    assert Proposal.objects.get().support_count == 1
    assert client.get(f"/api/v1/proposals/{proposal.pk}/").json()["supported_by_me"] is True


def test_a_support_is_always_the_requesters_own_whatever_the_body_says(client, citizen, other_citizen):
    proposal = StoredProposalFactory(author=UserFactory())
    client.force_login(citizen)
    response = client.post(
        support_url(proposal),
        {"user": other_citizen.pk, "user_id": other_citizen.pk, "email": other_citizen.email},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert list(Support.objects.values_list("user_id", flat=True)) == [citizen.pk]
    assert not Support.objects.filter(user=other_citizen).exists()


def test_the_author_cannot_support_their_own_proposal_through_the_api(client, citizen):
    proposal = StoredProposalFactory(author=citizen)
    client.force_login(citizen)
    response = client.post(support_url(proposal))
    assert response.status_code == 403
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"].startswith("You cannot support your own proposal")
    assert not Support.objects.exists()
    assert Proposal.objects.get().support_count == 0


def test_withdrawing_is_204_and_takes_the_support_back(client, citizen, other_citizen):
    proposal = StoredProposalFactory(author=other_citizen)
    client.force_login(citizen)
    client.post(support_url(proposal))
    assert client.delete(support_url(proposal)).status_code == 204
    assert not Support.objects.exists()
    assert Proposal.objects.get().support_count == 0
    assert client.get(f"/api/v1/proposals/{proposal.pk}/").json()["supported_by_me"] is False


def test_withdrawing_a_support_one_never_gave_is_204_and_changes_nothing(client, citizen, other_citizen):
    proposal = StoredProposalFactory(author=other_citizen)
    Support.objects.create(proposal=proposal, user=other_citizen)
    Proposal.objects.filter(pk=proposal.pk).update(support_count=1)
    client.force_login(citizen)
    assert client.delete(support_url(proposal)).status_code == 204
    assert Support.objects.filter(user=other_citizen).exists()
    assert Proposal.objects.get().support_count == 1


def test_a_support_cannot_be_withdrawn_once_the_window_has_closed(client, citizen, other_citizen):
    proposal = StoredProposalFactory(
        author=other_citizen, closes_at=timezone.now() - timedelta(days=1), support_count=1
    )
    Support.objects.create(proposal=proposal, user=citizen)
    client.force_login(citizen)
    response = client.delete(support_url(proposal))
    assert response.status_code == 400
    assert "proposal" in response.json()
    assert Support.objects.filter(user=citizen).exists()


def test_the_support_that_reaches_the_threshold_sends_the_proposal_to_the_city(client, citizen, other_citizen):
    proposal = StoredProposalFactory(author=other_citizen, threshold=1)
    client.force_login(citizen)
    assert client.post(support_url(proposal)).status_code == 201
    assert client.get(f"/api/v1/proposals/{proposal.pk}/").json()["status"] == "under_review"


@pytest.mark.parametrize(
    "fields",
    [
        {"closes_at": timezone.now() - timedelta(minutes=1)},
        {"status": ProposalStatus.WITHDRAWN},
        {"status": ProposalStatus.UNDER_REVIEW},
        {"status": ProposalStatus.DECLINED},
    ],
    ids=["window closed", "withdrawn", "under review", "declined"],
)
def test_a_proposal_no_longer_collecting_cannot_be_supported(client, citizen, other_citizen, fields):
    proposal = StoredProposalFactory(author=other_citizen, **fields)
    client.force_login(citizen)
    response = client.post(support_url(proposal))
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "proposal" in response.json()
    assert not Support.objects.exists()


@pytest.mark.parametrize("state", [ModerationState.HIDDEN, ModerationState.PENDING, ModerationState.REJECTED])
def test_a_proposal_the_public_may_not_see_cannot_be_supported(client, citizen, other_citizen, state):
    proposal = StoredProposalFactory(author=other_citizen, moderation_state=state)
    client.force_login(citizen)
    assert client.post(support_url(proposal)).status_code == 404
    assert client.delete(support_url(proposal)).status_code == 404
    assert not Support.objects.exists()


def test_an_unknown_proposal_is_a_404(client, citizen):
    client.force_login(citizen)
    assert client.post("/api/v1/proposals/987654/support/").status_code == 404
    assert client.delete("/api/v1/proposals/987654/support/").status_code == 404
