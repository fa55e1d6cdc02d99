"""A proposal page's content comes from the shared cache for every signed-in reader, and reads
exactly as it would rendered afresh: the reader's own panels and comments, their token, in few queries."""

import re

import pytest
from django.test import Client

from citizens.tests.factories import UserFactory
from cocreate.redaction import published_html
from proposals.tests.factories import CommentFactory, ProposalFactory

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


@pytest.fixture
def author():
    return UserFactory(display_name="Author")


@pytest.fixture
def proposal(citizen, other_citizen, author):
    proposal = ProposalFactory(title="Shade trees on Jl. Braga", author=author)
    text = "Call me on 0812 3456 7890 to help."
    first = CommentFactory(proposal=proposal, author=citizen, body=text, body_html=published_html(text))
    CommentFactory(proposal=proposal, author=other_citizen, parent=first, body="Count me in.")
    CommentFactory(proposal=proposal, author=other_citizen, body="Jl. Dago needs them too.")
    return proposal


def page_of(client: Client, proposal) -> str:
    return TOKEN.sub("TOKEN", client.get(f"/proposals/{proposal.pk}/").content.decode())


@pytest.mark.parametrize("reader", ["visitor", "citizen", "other_citizen", "author"])
def test_the_cached_page_reads_exactly_as_rendered_afresh(client, settings, proposal, reader, request):
    if reader != "visitor":
        client.force_login(request.getfixturevalue(reader))
    settings.PAGE_CACHE_SECONDS = 0
    fresh = page_of(client, proposal)
    settings.PAGE_CACHE_SECONDS = 60
    page_of(client, proposal)  # fills the cache
    assert page_of(client, proposal) == fresh


def test_a_reader_reads_their_own_comment_in_full_with_edit_and_delete_and_others_redacted(
    client, settings, proposal, citizen, other_citizen
):
    settings.PAGE_CACHE_SECONDS = 60
    client.force_login(other_citizen)
    page = page_of(client, proposal)
    assert "0812 3456 7890" not in page
    assert page.count(">Delete</a>") == 2

    client.force_login(citizen)
    page = page_of(client, proposal)
    assert "0812 3456 7890" in page
    assert page.count(">Delete</a>") == 1
    assert page.count(">Edit</a>") == 1


def test_the_forms_of_the_cached_comments_carry_the_readers_own_token(settings, proposal, other_citizen):
    settings.PAGE_CACHE_SECONDS = 60
    first = Client(enforce_csrf_checks=True)  # someone else fills the cache
    first.force_login(UserFactory())
    first.get(f"/proposals/{proposal.pk}/")

    client = Client(enforce_csrf_checks=True)
    client.force_login(other_citizen)
    page = client.get(f"/proposals/{proposal.pk}/").content.decode()
    token = re.search(
        r'<form method="post" action="/proposals/\d+/comment/">\s*<input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)"',
        page,
    )
    response = client.post(
        f"/proposals/{proposal.pk}/comment/",
        {
            "csrfmiddlewaretoken": token.group(1),
            "body": "A reply through a cached form",
            "parent": proposal.comments.first().pk,
        },
    )
    assert response.status_code == 302
    assert proposal.comments.filter(body="A reply through a cached form").exists()


def test_a_signed_in_proposal_page_costs_a_few_queries_whatever_the_comments(
    client, settings, other_citizen, django_assert_max_num_queries
):
    """Session, account, the proposal with the reader's support and follow, and the reader's role;
    the rest comes from the cache, with one more query when the reader wrote some of the comments."""
    settings.PAGE_CACHE_SECONDS = 60
    proposal = ProposalFactory()
    for _ in range(30):
        top = CommentFactory(proposal=proposal)
        CommentFactory(proposal=proposal, parent=top)
    client.force_login(other_citizen)
    client.get(f"/proposals/{proposal.pk}/")
    with django_assert_max_num_queries(4):
        body = client.get(f"/proposals/{proposal.pk}/").content.decode()
    assert body.count('class="comment"') == 60
    CommentFactory(proposal=proposal, author=other_citizen)
    client.get(f"/proposals/{proposal.pk}/?comments=newest")
    with django_assert_max_num_queries(5):
        client.get(f"/proposals/{proposal.pk}/?comments=newest")


def test_a_reader_supports_through_the_cached_page_and_sees_it_at_once(
    client, settings, proposal, other_citizen, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_SECONDS = 60
    client.force_login(other_citizen)
    page = client.get(f"/proposals/{proposal.pk}/").content.decode()
    support_form = f'<form method="post" action="/proposals/{proposal.pk}/support/" class="support-form" data-support-form="support">'
    assert support_form in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/proposals/{proposal.pk}/support/")
    page = client.get(f"/proposals/{proposal.pk}/").content.decode()
    assert "You support this proposal." in page
    assert '<strong id="support-count" class="support-count">1</strong>' in page


def test_city_staff_get_their_answer_form_while_the_page_is_cached(client, settings, proposal, staff):
    from citizens.tests.two_factor import sign_in_with_totp

    settings.PAGE_CACHE_SECONDS = 60
    client.get(f"/proposals/{proposal.pk}/")
    sign_in_with_totp(client, staff)
    assert "Answer (city staff)" in client.get(f"/proposals/{proposal.pk}/").content.decode()
