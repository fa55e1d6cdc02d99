"""POST /api/v1/proposals/: a verified citizen publishes a proposal and gets it back."""

import pytest

from citizens.tests.factories import UserFactory
from proposals.models import Proposal, ProposalFollow
from services.tests.factories import CITY_LAT, CITY_LON, ServiceFactory

pytestmark = pytest.mark.django_db


def post(client, data):
    return client.post("/api/v1/proposals/", data, content_type="application/json")


def test_a_verified_citizen_publishes_a_proposal_and_gets_it_back_with_201(client, citizen, settings):
    settings.PROPOSAL_SUPPORT_THRESHOLD = 250
    ServiceFactory(group="Parks")
    client.force_login(citizen)
    response = post(
        client,
        {
            "title": "  Shade trees on Jl. Braga  ",
            "summary": "Plant trees along the street.",
            "body": "Trees give **shade**.",
            "topic": "Parks",
            "lat": CITY_LAT,
            "lon": CITY_LON,
        },
    )
    assert response.status_code == 201, response.content
    proposal = Proposal.objects.get()
    body = response.json()
    assert body["id"] == proposal.pk
    assert body["url"] == f"http://testserver/proposals/{proposal.pk}/"
    assert (body["title"], body["topic"], body["status"]) == ("Shade trees on Jl. Braga", "Parks", "published")
    assert (body["body"], body["body_html"]) == ("Trees give **shade**.", "<p>Trees give <strong>shade</strong>.</p>")
    assert (body["lat"], body["lon"]) == (CITY_LAT, CITY_LON)
    assert (body["support_count"], body["threshold"], body["comment_count"]) == (0, 250, 0)
    assert body["author_name"] == "Citizen One"
    assert body["supported_by_me"] is False
    assert body["answer"] is None
    assert (proposal.author, proposal.show_name) == (citizen, True)
    assert ProposalFollow.objects.filter(proposal=proposal, user=citizen).exists()


def test_the_topic_body_and_point_are_optional(client, citizen):
    client.force_login(citizen)
    response = post(client, {"title": "Benches", "summary": "Places to sit."})
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["topic"], body["body"], body["body_html"], body["lat"], body["lon"]) == ("other", "", "", None, None)


def test_a_null_point_is_no_point(client, citizen):
    client.force_login(citizen)
    response = post(client, {"title": "Benches", "summary": "Places to sit.", "lat": None, "lon": None})
    assert response.status_code == 201, response.content
    assert Proposal.objects.get().lat is None


def test_the_author_can_keep_their_name_off_the_proposal(client, citizen):
    client.force_login(citizen)
    response = post(client, {"title": "Benches", "summary": "Places to sit.", "show_name": False})
    assert response.status_code == 201
    assert response.json()["author_name"] is None
    assert Proposal.objects.get().show_name is False


def test_the_author_is_always_the_requester_whatever_the_body_says(client, citizen, other_citizen):
    client.force_login(citizen)
    response = post(
        client,
        {"title": "Benches", "summary": "Places to sit.", "author": other_citizen.pk, "user_id": other_citizen.pk},
    )
    assert response.status_code == 201
    assert Proposal.objects.get().author == citizen


def test_an_unverified_citizen_gets_a_403_with_a_clear_message_and_nothing_is_stored(client):
    client.force_login(UserFactory(verified=False))
    response = post(client, {"title": "Benches", "summary": "Places to sit."})
    assert response.status_code == 403
    assert response.json()["detail"] == "Confirm your email address before you contribute."
    assert not Proposal.objects.exists()


def test_an_anonymous_visitor_cannot_publish(client):
    response = post(client, {"title": "Benches", "summary": "Places to sit."})
    assert response.status_code in (401, 403)
    assert "detail" in response.json()
    assert not Proposal.objects.exists()
