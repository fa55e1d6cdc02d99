"""GET /api/v1/proposals/: published proposals, filtered, searched, sorted, a page at a time."""

from datetime import timedelta

import pytest
from django.utils import timezone

from moderation.models import ModerationState
from proposals.models import ProposalStatus, Support
from proposals.tests.factories import StoredProposalFactory

pytestmark = pytest.mark.django_db

FIELDS = {
    "id",
    "url",
    "title",
    "summary",
    "body",
    "body_html",
    "topic",
    "status",
    "support_count",
    "threshold",
    "closes_at",
    "created_at",
    "comment_count",
    "lat",
    "lon",
    "author_name",
    "supported_by_me",
    "answer",
}


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [proposal["id"] for proposal in response.json()["results"]]


def test_a_proposal_shows_its_public_fields_and_no_private_ones(client, citizen):
    proposal = StoredProposalFactory(
        author=citizen, body="More *shade*", body_html="<p>More <em>shade</em></p>", lat=-6.91, lon=107.6
    )
    [listed] = client.get("/api/v1/proposals/").json()["results"]
    assert set(listed) == FIELDS
    assert listed["id"] == proposal.pk
    assert listed["url"] == f"http://testserver/proposals/{proposal.pk}/"
    assert (listed["title"], listed["summary"]) == ("Shade trees on Jl. Braga", "Plant trees along the street.")
    assert (listed["body"], listed["body_html"]) == ("More *shade*", "<p>More <em>shade</em></p>")
    assert (listed["topic"], listed["status"]) == ("other", "published")
    assert (listed["support_count"], listed["threshold"], listed["comment_count"]) == (0, 100, 0)
    assert (listed["lat"], listed["lon"]) == (-6.91, 107.6)
    assert listed["author_name"] == "Citizen One"
    assert listed["supported_by_me"] is False
    assert listed["answer"] is None
    assert citizen.email not in str(listed)


def test_the_author_name_shows_only_when_they_chose_to_show_it(client, citizen):
    StoredProposalFactory(author=citizen, show_name=True)
    StoredProposalFactory(author=citizen, show_name=False)
    names = [proposal["author_name"] for proposal in client.get("/api/v1/proposals/").json()["results"]]
    assert sorted(names, key=str) == ["Citizen One", None]


def test_hidden_pending_and_rejected_proposals_are_not_listed_even_to_their_author(client, citizen):
    shown = StoredProposalFactory(author=citizen)
    for state in (ModerationState.HIDDEN, ModerationState.PENDING, ModerationState.REJECTED):
        StoredProposalFactory(author=citizen, moderation_state=state)
    assert ids(client.get("/api/v1/proposals/")) == [shown.pk]
    client.force_login(citizen)
    assert ids(client.get("/api/v1/proposals/")) == [shown.pk]


def test_it_filters_by_topic_and_by_statuses(client, citizen):
    parks = StoredProposalFactory(author=citizen, topic="Parks")
    roads = StoredProposalFactory(author=citizen, topic="Roads")
    declined_roads = StoredProposalFactory(author=citizen, topic="Roads", status=ProposalStatus.DECLINED)
    accepted = StoredProposalFactory(author=citizen, status=ProposalStatus.ACCEPTED)
    assert ids(client.get("/api/v1/proposals/?topic=Parks")) == [parks.pk]
    assert set(ids(client.get("/api/v1/proposals/?topic=Roads"))) == {roads.pk, declined_roads.pk}
    assert set(ids(client.get("/api/v1/proposals/?status=accepted,declined"))) == {accepted.pk, declined_roads.pk}
    assert ids(client.get("/api/v1/proposals/?topic=Roads&status=published")) == [roads.pk]


def test_an_unknown_status_is_a_400_naming_the_known_ones(client):
    response = client.get("/api/v1/proposals/?status=published,approved")
    assert response.status_code == 400
    assert "approved" in response.json()["status"][0]
    assert "under_review" in response.json()["status"][0]


def test_an_unknown_sort_is_a_400_naming_the_known_ones(client):
    response = client.get("/api/v1/proposals/?sort=popular")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "popular" in response.json()["sort"][0]
    assert "supported" in response.json()["sort"][0]


def test_q_finds_proposals_by_words_in_their_title_summary_or_body(client, citizen):
    by_title = StoredProposalFactory(author=citizen, title="Benches in the park", summary="Places to sit")
    by_summary = StoredProposalFactory(author=citizen, title="Resting places", summary="More benches near the station")
    by_body = StoredProposalFactory(
        author=citizen, title="Shelter", summary="Shade at stops", body="Add benches under each roof"
    )
    StoredProposalFactory(author=citizen, title="Bicycle lanes", summary="Paint lanes")
    found = set(ids(client.get("/api/v1/proposals/?q=benches")))
    assert found == {by_title.pk, by_summary.pk, by_body.pk}
    assert ids(client.get("/api/v1/proposals/?q=benches park")) == [by_title.pk]
    assert ids(client.get("/api/v1/proposals/?q=tramway")) == []


def test_newest_is_the_default_order(client, citizen):
    now = timezone.now()
    old = StoredProposalFactory(author=citizen, created_at=now - timedelta(days=3), support_count=50)
    recent = StoredProposalFactory(author=citizen, created_at=now - timedelta(days=1))
    middle = StoredProposalFactory(author=citizen, created_at=now - timedelta(days=2), support_count=10)
    expected = [recent.pk, middle.pk, old.pk]
    assert ids(client.get("/api/v1/proposals/")) == expected
    assert ids(client.get("/api/v1/proposals/?sort=newest")) == expected


def test_the_supported_sort_puts_the_most_supported_first(client, citizen):
    now = timezone.now()
    few = StoredProposalFactory(author=citizen, support_count=3, created_at=now - timedelta(days=1))
    many = StoredProposalFactory(author=citizen, support_count=40, created_at=now - timedelta(days=5))
    none = StoredProposalFactory(author=citizen, support_count=0, created_at=now)
    assert ids(client.get("/api/v1/proposals/?sort=supported")) == [many.pk, few.pk, none.pk]


def test_the_closing_sort_lists_proposals_collecting_support_closing_soonest_first(client, citizen):
    now = timezone.now()
    later = StoredProposalFactory(author=citizen, closes_at=now + timedelta(days=30))
    sooner = StoredProposalFactory(author=citizen, closes_at=now + timedelta(days=2))
    StoredProposalFactory(author=citizen, closes_at=now - timedelta(days=1))
    StoredProposalFactory(author=citizen, closes_at=now + timedelta(days=1), status=ProposalStatus.UNDER_REVIEW)
    StoredProposalFactory(author=citizen, closes_at=now + timedelta(days=1), status=ProposalStatus.WITHDRAWN)
    assert ids(client.get("/api/v1/proposals/?sort=closing")) == [sooner.pk, later.pk]


def test_the_answered_sort_lists_answered_proposals_latest_answer_first(client, citizen):
    now = timezone.now()
    first = StoredProposalFactory(author=citizen, status=ProposalStatus.DECLINED, answered_at=now - timedelta(days=4))
    latest = StoredProposalFactory(author=citizen, status=ProposalStatus.ACCEPTED, answered_at=now - timedelta(days=1))
    StoredProposalFactory(author=citizen)
    assert ids(client.get("/api/v1/proposals/?sort=answered")) == [latest.pk, first.pk]


def test_supported_by_me_is_true_only_for_the_requesters_own_supports(client, citizen, other_citizen):
    mine = StoredProposalFactory(author=other_citizen)
    theirs = StoredProposalFactory(author=other_citizen)
    Support.objects.create(proposal=mine, user=citizen)
    Support.objects.create(proposal=theirs, user=other_citizen)
    client.force_login(citizen)
    flags = {
        proposal["id"]: proposal["supported_by_me"] for proposal in client.get("/api/v1/proposals/").json()["results"]
    }
    assert flags == {mine.pk: True, theirs.pk: False}


@pytest.mark.parametrize("sort", ["newest", "closing"])
def test_pages_follow_each_other_with_a_cursor_in_the_chosen_order(client, citizen, sort):
    start = timezone.now()
    proposals = [
        StoredProposalFactory(
            author=citizen, created_at=start - timedelta(minutes=n), closes_at=start + timedelta(days=1, minutes=n)
        )
        for n in range(55)
    ]
    first = client.get("/api/v1/proposals/", {"sort": sort}).json()
    assert first["previous"] is None
    assert len(first["results"]) == 50
    assert "cursor=" in first["next"]
    assert f"sort={sort}" in first["next"]
    second = client.get(first["next"]).json()
    assert second["next"] is None
    seen = [proposal["id"] for proposal in first["results"] + second["results"]]
    assert seen == [proposal.pk for proposal in proposals]


def test_the_supported_sort_is_paged_by_number_so_ties_are_neither_repeated_nor_skipped(client, citizen):
    proposals = [StoredProposalFactory(author=citizen, support_count=n % 2) for n in range(55)]
    first = client.get("/api/v1/proposals/?sort=supported").json()
    assert first["count"] == 55
    assert "page=2" in first["next"]
    second = client.get(first["next"]).json()
    assert second["next"] is None
    seen = [proposal["id"] for proposal in first["results"] + second["results"]]
    assert sorted(seen) == sorted(proposal.pk for proposal in proposals)
    assert [proposal["support_count"] for proposal in first["results"][:28]] == [1] * 27 + [0]


def test_a_forged_cursor_is_a_404_not_a_crash(client, citizen):
    StoredProposalFactory(author=citizen)
    assert client.get("/api/v1/proposals/?cursor=not-a-cursor").status_code == 404
