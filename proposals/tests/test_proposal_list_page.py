"""The proposal list page over HTTP: sorting, filters, search, paging, what is hidden; and the account page's lists."""

from datetime import timedelta

import pytest
from django.utils import timezone

from moderation.models import ModerationState
from proposals.models import ProposalStatus
from proposals.tests.factories import ProposalFactory, SupportFactory
from proposals.tests.page_text import titles_in
from services.tests.factories import ServiceFactory

pytestmark = pytest.mark.django_db


# The list


def test_the_list_shows_the_most_supported_first(client):
    ProposalFactory(title="Few supports", support_count=2)
    ProposalFactory(title="Many supports", support_count=40)
    ProposalFactory(title="No support")
    body = client.get("/proposals/").content.decode()
    assert titles_in(body, "Few supports", "Many supports", "No support") == [
        "Many supports",
        "Few supports",
        "No support",
    ]


def test_the_list_sorts_by_newest_closing_soon_and_recently_answered(client):
    now = timezone.now()
    ProposalFactory(title="Old one", created_at=now - timedelta(days=30))
    ProposalFactory(title="Closing one", created_at=now - timedelta(days=80), closes_at=now + timedelta(days=2))
    ProposalFactory(title="Fresh one", created_at=now)
    ProposalFactory(
        title="Answered one",
        status=ProposalStatus.ACCEPTED,
        created_at=now - timedelta(days=100),
        answered_at=now - timedelta(days=1),
    )
    newest = client.get("/proposals/", {"sort": "newest"}).content.decode()
    assert titles_in(newest, "Old one", "Closing one", "Fresh one", "Answered one") == [
        "Fresh one",
        "Old one",
        "Closing one",
        "Answered one",
    ]
    closing = client.get("/proposals/", {"sort": "closing"}).content.decode()
    assert titles_in(closing, "Old one", "Closing one", "Fresh one", "Answered one") == [
        "Closing one",
        "Old one",
        "Fresh one",
    ]
    answered = client.get("/proposals/", {"sort": "answered"}).content.decode()
    assert titles_in(answered, "Old one", "Closing one", "Fresh one", "Answered one") == ["Answered one"]


def test_the_list_filters_by_topic_and_status(client):
    ServiceFactory(group="Mobility")
    ProposalFactory(title="Bike lanes", topic="Mobility")
    ProposalFactory(title="Benches", topic="other")
    ProposalFactory(title="Bus shelters", topic="Mobility", status=ProposalStatus.UNDER_REVIEW)
    body = client.get("/proposals/", {"topic": "Mobility"}).content.decode()
    assert "Bike lanes" in body and "Bus shelters" in body and "Benches" not in body
    body = client.get("/proposals/", {"topic": "Mobility", "status": "under_review"}).content.decode()
    assert "Bus shelters" in body and "Bike lanes" not in body


def test_the_list_searches_titles_and_summaries(client):
    ProposalFactory(title="Bicycle parking at the station", summary="Racks")
    ProposalFactory(title="Benches", summary="Somewhere to sit near the bicycle shop")
    ProposalFactory(title="Street lights", summary="Brighter nights")
    body = client.get("/proposals/", {"q": "bicycle"}).content.decode()
    assert "Bicycle parking" in body and "Benches" in body and "Street lights" not in body


def test_a_bad_filter_is_a_form_error_not_a_crash(client):
    response = client.get("/proposals/", {"status": "<script>", "sort": "sideways"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert "<script>" not in response.content.decode()


def test_the_list_shows_twenty_proposals_a_page(client):
    ProposalFactory.create_batch(25)
    first = client.get("/proposals/").content.decode()
    assert first.count('class="proposal-item"') == 20
    assert "Page 1 of 2" in first
    second = client.get("/proposals/", {"page": 2}).content.decode()
    assert second.count('class="proposal-item"') == 5


def test_each_listed_proposal_shows_its_support_progress_and_counts(client):
    proposal = ProposalFactory(title="Water fountains", support_count=25, threshold=100, comment_count=3)
    body = client.get("/proposals/").content.decode()
    assert f'<progress max="100" value="25" aria-labelledby="supports-{proposal.pk}">' in body
    assert "25 supports of 100 needed" in body
    assert "3 comments" in body
    assert "Support closes on" in body


def test_the_list_runs_a_constant_number_of_queries(client, citizen, django_assert_max_num_queries):
    client.force_login(citizen)
    ProposalFactory.create_batch(3)
    with django_assert_max_num_queries(5):
        client.get("/proposals/")
    ProposalFactory.create_batch(30)
    with django_assert_max_num_queries(5):
        client.get("/proposals/", {"sort": "newest", "q": "Proposal"})


def test_hidden_proposals_are_neither_listed_nor_shown(client, citizen):
    hidden = ProposalFactory(title="Hidden idea", moderation_state=ModerationState.HIDDEN)
    client.force_login(citizen)
    assert "Hidden idea" not in client.get("/proposals/").content.decode()
    assert client.get(f"/proposals/{hidden.pk}/").status_code == 404


def test_the_author_sees_their_pending_proposal_marked_as_awaiting_moderation(client, citizen):
    pending = ProposalFactory(title="My pending idea", author=citizen, moderation_state=ModerationState.PENDING)
    client.force_login(citizen)
    assert "My pending idea" in client.get("/proposals/").content.decode()
    assert "Awaiting moderation" in client.get(f"/proposals/{pending.pk}/").content.decode()
    client.logout()
    assert client.get(f"/proposals/{pending.pk}/").status_code == 404


# The account page


def test_the_account_page_lists_my_proposals_and_those_i_support(client, citizen, django_assert_max_num_queries):
    ProposalFactory(author=citizen, title="My own idea")
    ProposalFactory(author=citizen, title="My pending idea", moderation_state=ModerationState.PENDING)
    SupportFactory(user=citizen, proposal=ProposalFactory(title="An idea I like"))
    ProposalFactory(title="An idea I ignore")
    client.force_login(citizen)
    body = client.get("/accounts/profile/").content.decode()
    assert "My proposals" in body and "Proposals I support" in body
    assert "My own idea" in body and "My pending idea" in body and "An idea I like" in body
    assert "An idea I ignore" not in body
    # Six, and one for the "My reports" section above these.
    with django_assert_max_num_queries(7):
        client.get("/accounts/profile/")
    for index in range(10):
        SupportFactory(user=citizen, proposal=ProposalFactory(author=citizen, title=f"Idea {index}"))
    # Six, and one for the "My reports" section above these.
    with django_assert_max_num_queries(7):
        client.get("/accounts/profile/")


def test_a_reader_without_proposals_gets_the_list_from_the_cache_in_three_queries(
    client, settings, other_citizen, django_assert_max_num_queries
):
    """Session, account, and whether the reader has a proposal of their own."""
    settings.PAGE_CACHE_SECONDS = 60
    ProposalFactory.create_batch(25)
    client.force_login(other_citizen)
    client.get("/proposals/", {"sort": "newest", "page": "2"})
    with django_assert_max_num_queries(3):
        page = client.get("/proposals/", {"sort": "newest", "page": "2"}).content.decode()
    assert page.count('<li class="proposal-item">') == 5
    assert "Log out" in page


def test_an_author_still_sees_their_pending_proposal_while_the_list_is_cached(client, settings, citizen):
    settings.PAGE_CACHE_SECONDS = 60
    ProposalFactory(title="A published idea")
    client.get("/proposals/")
    ProposalFactory(title="My pending idea", author=citizen, moderation_state=ModerationState.PENDING)
    client.force_login(citizen)
    page = client.get("/proposals/").content.decode()
    assert "My pending idea" in page and "A published idea" in page
