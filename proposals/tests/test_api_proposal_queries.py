"""The proposal lists cost the same number of queries whatever the number of rows."""

import pytest
from django.utils import timezone

from citizens.tests.factories import UserFactory
from proposals import actions
from proposals.models import Support
from proposals.tests.factories import StoredProposalFactory

pytestmark = pytest.mark.django_db


def many_proposals(count: int, supporter) -> None:
    """Proposals by different authors, shown names, answers and the supporter's supports: every field is used."""
    now = timezone.now()
    for n in range(count):
        proposal = StoredProposalFactory(
            author=UserFactory(), show_name=True, answer="Yes", answer_html="<p>Yes</p>", answered_at=now
        )
        if n % 2:
            Support.objects.create(proposal=proposal, user=supporter)


@pytest.mark.parametrize("count", [3, 30])
@pytest.mark.parametrize("query", ["", "?sort=closing&topic=other", "?sort=answered&status=published&q=shade"])
def test_the_list_costs_one_query_for_a_visitor_whatever_the_number_of_proposals(
    client, citizen, django_assert_max_num_queries, count, query
):
    many_proposals(count, citizen)
    with django_assert_max_num_queries(1):
        response = client.get(f"/api/v1/proposals/{query}")
    assert len(response.json()["results"]) == count


@pytest.mark.parametrize("count", [3, 30])
def test_the_list_costs_the_same_for_a_signed_in_person_whose_supports_are_marked(
    client, citizen, django_assert_max_num_queries, count
):
    many_proposals(count, citizen)
    client.force_login(citizen)
    with django_assert_max_num_queries(3):  # the session, the person, the page
        response = client.get("/api/v1/proposals/")
    results = response.json()["results"]
    assert len(results) == count
    assert sum(proposal["supported_by_me"] for proposal in results) == count // 2


@pytest.mark.parametrize("count", [3, 30])
def test_the_supported_sort_adds_only_its_count_query(client, citizen, django_assert_max_num_queries, count):
    many_proposals(count, citizen)
    client.force_login(citizen)
    with django_assert_max_num_queries(4):  # the session, the person, the count, the page
        response = client.get("/api/v1/proposals/?sort=supported")
    assert response.json()["count"] == count


@pytest.mark.parametrize("count", [3, 30])
def test_the_threads_cost_the_same_whatever_the_number_of_comments(
    client, citizen, django_assert_max_num_queries, count
):
    proposal = StoredProposalFactory(author=citizen)
    for _ in range(count):
        top = actions.proposal_comment_create(proposal=proposal, author=UserFactory(), body="Top")
        actions.proposal_comment_create(proposal=proposal, author=UserFactory(), body="Reply", parent=top)
    with django_assert_max_num_queries(3):  # the proposal, the comments, their replies
        response = client.get(f"/api/v1/proposals/{proposal.pk}/comments/")
    threads = response.json()["results"]
    assert len(threads) == count
    assert all(len(thread["replies"]) == 1 for thread in threads)
