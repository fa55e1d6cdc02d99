"""Supporting a proposal over HTTP, with and without JavaScript, and when support is refused."""

from datetime import timedelta

import pytest
from django.utils import timezone

from citizens.tests.factories import UserFactory
from moderation.models import ModerationState
from proposals.models import ProposalStatus, Support
from proposals.tests.factories import ProposalFactory

pytestmark = pytest.mark.django_db

JSON = {"Accept": "application/json", "X-Requested-With": "XMLHttpRequest"}


# Supporting


def test_a_citizen_supports_without_javascript(client, citizen):
    proposal = ProposalFactory()
    client.force_login(citizen)
    response = client.post(f"/proposals/{proposal.pk}/support/")
    assert response.status_code == 302 and response["Location"] == f"/proposals/{proposal.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "Thank you for your support." in page
    assert "You support this proposal." in page
    assert '<strong id="support-count" class="support-count">1</strong>' in page
    proposal.refresh_from_db()
    assert proposal.support_count == 1


def test_the_author_sees_why_there_is_no_support_button_and_a_post_is_refused(client, citizen):
    proposal = ProposalFactory(author=citizen)
    client.force_login(citizen)
    page = client.get(f"/proposals/{proposal.pk}/").content.decode()
    assert "you cannot support it yourself" in page
    assert 'data-support-form="support"' not in page

    response = client.post(f"/proposals/{proposal.pk}/support/", headers=JSON)
    assert response.status_code == 403
    assert response.json()["message"].startswith("You cannot support your own proposal")
    assert response.json()["support_count"] == 0
    follow = client.post(f"/proposals/{proposal.pk}/support/", follow=True)
    assert "You cannot support your own proposal" in follow.content.decode()
    assert not Support.objects.exists()


def test_a_citizen_supports_with_javascript_and_gets_the_new_count(client, citizen, settings):
    proposal = ProposalFactory(threshold=10)
    client.force_login(citizen)
    response = client.post(f"/proposals/{proposal.pk}/support/", headers=JSON)
    assert response.status_code == 200
    assert response.json() == {
        "supported": True,
        "support_count": 1,
        "threshold": 10,
        "status": "published",
        "status_label": "Collecting support",
        "message": "Thank you for your support.",
    }
    again = client.post(f"/proposals/{proposal.pk}/support/", headers=JSON).json()
    assert again["support_count"] == 1 and again["message"] == "You already support this proposal."
    assert Support.objects.filter(proposal=proposal).count() == 1


def test_the_last_support_needed_sends_the_proposal_to_the_city(client, citizen):
    proposal = ProposalFactory(threshold=1)
    client.force_login(citizen)
    data = client.post(f"/proposals/{proposal.pk}/support/", headers=JSON).json()
    assert data["status"] == "under_review" and data["status_label"] == "Under review by the city"
    page = client.get(f"/proposals/{proposal.pk}/").content.decode()
    assert "Support threshold reached" in page
    assert "The city will answer by" in page


def test_a_supporter_withdraws_their_support(client, citizen):
    proposal = ProposalFactory()
    client.force_login(citizen)
    client.post(f"/proposals/{proposal.pk}/support/")
    data = client.post(f"/proposals/{proposal.pk}/unsupport/", headers=JSON).json()
    assert data["supported"] is False and data["support_count"] == 0
    client.post(f"/proposals/{proposal.pk}/support/")
    page = client.post(f"/proposals/{proposal.pk}/unsupport/", follow=True).content.decode()
    assert "Your support is withdrawn." in page
    assert not Support.objects.filter(proposal=proposal).exists()


@pytest.mark.parametrize(
    "changes",
    [
        {"status": ProposalStatus.WITHDRAWN},
        {"status": ProposalStatus.DECLINED},
        {"closes_at": timezone.now() - timedelta(days=1)},
    ],
    ids=["withdrawn", "answered", "closed"],
)
def test_support_is_refused_when_the_proposal_no_longer_collects(client, citizen, changes):
    proposal = ProposalFactory(**changes)
    client.force_login(citizen)
    page = client.post(f"/proposals/{proposal.pk}/support/", follow=True).content.decode()
    assert "This proposal is no longer collecting support." in page
    response = client.post(f"/proposals/{proposal.pk}/support/", headers=JSON)
    assert response.status_code == 400 and response.json()["supported"] is False
    assert not Support.objects.exists()


def test_support_of_an_unknown_or_hidden_proposal_is_not_found(client, citizen):
    hidden = ProposalFactory(moderation_state=ModerationState.HIDDEN)
    client.force_login(citizen)
    assert client.post("/proposals/999999/support/").status_code == 404
    assert client.post(f"/proposals/{hidden.pk}/support/").status_code == 404
    assert not Support.objects.exists()


def test_an_unverified_account_is_told_to_confirm_before_supporting(client):
    proposal = ProposalFactory()
    client.force_login(UserFactory(verified=False))
    page = client.post(f"/proposals/{proposal.pk}/support/", follow=True).content.decode()
    assert "Confirm your email address before you contribute." in page
    response = client.post(f"/proposals/{proposal.pk}/support/", headers=JSON)
    assert response.status_code == 403
    assert response.json()["message"] == "Confirm your email address before you contribute."
    assert not Support.objects.exists()


def test_visitors_are_asked_to_log_in_to_support(client):
    proposal = ProposalFactory()
    page = client.get(f"/proposals/{proposal.pk}/").content.decode()
    assert "Log in to support this proposal" in page
    response = client.post(f"/proposals/{proposal.pk}/support/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_a_get_to_the_support_address_changes_nothing(client, citizen):
    proposal = ProposalFactory()
    client.force_login(citizen)
    assert client.get(f"/proposals/{proposal.pk}/support/").status_code == 405
    assert not Support.objects.exists()


def test_the_detail_page_shows_progress_and_a_share_link(client):
    proposal = ProposalFactory(support_count=30, threshold=120)
    page = client.get(f"/proposals/{proposal.pk}/").content.decode()
    assert 'max="120" value="30"' in page
    assert f'value="http://testserver/proposals/{proposal.pk}/" readonly' in page
