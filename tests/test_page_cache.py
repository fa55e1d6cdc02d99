"""Visitors' pages are served from the shared cache, and that cache never shows what it should
not: a hidden proposal, another language, a signed-in person's page, a message or an error."""

import pytest
from django.contrib import messages
from django.db import connection
from django.shortcuts import render
from django.test.utils import CaptureQueriesContext
from django.urls import path as url_path

from cocreate.page_cache import public_page
from cocreate.urls import urlpatterns as site_urlpatterns
from moderation import actions as moderation_actions
from moderation.models import ActionKind
from proposals import actions as proposal_actions
from proposals.tests.factories import CommentFactory, ProposalFactory
from services import actions as report_actions
from services.catalogue import catalogue_load
from services.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 60


@pytest.fixture
def proposal(citizen):
    proposal = ProposalFactory(title="Shade trees on Jl. Braga", author=citizen)
    CommentFactory(proposal=proposal, body="Yes please, the pavement is too hot.")
    return proposal


def test_a_visitor_gets_the_proposal_list_and_page_from_the_cache_without_a_query(
    client, proposal, django_assert_num_queries
):
    for path in ("/proposals/", f"/proposals/{proposal.pk}/", "/proposals/?sort=newest&page=1"):
        first = client.get(path)
        with django_assert_num_queries(0):
            again = client.get(path)
        assert again.status_code == 200
        assert again.content == first.content
        assert again["ETag"] == first["ETag"]
        assert "public" in again["Cache-Control"]


def test_a_page_from_the_cache_carries_the_security_headers(client, proposal, django_assert_num_queries):
    client.get("/proposals/")
    with django_assert_num_queries(0):
        response = client.get("/proposals/")
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Language"] == "en"
    assert not response.cookies


def test_a_cached_page_answers_304_to_a_matching_etag(client, proposal, django_assert_num_queries):
    first = client.get(f"/proposals/{proposal.pk}/")
    with django_assert_num_queries(0):
        again = client.get(f"/proposals/{proposal.pk}/", headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304


def test_a_search_is_answered_fresh_every_time(client, proposal):
    client.get("/proposals/?q=shade")
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/proposals/?q=shade").content.decode()
    assert queries.captured_queries
    assert "Shade trees on Jl. Braga" in page


def test_a_proposal_hidden_by_a_moderator_disappears_from_the_cached_list_and_page_at_once(
    client, proposal, moderator, django_capture_on_commit_callbacks
):
    assert "Shade trees on Jl. Braga" in client.get("/proposals/").content.decode()
    assert client.get(f"/proposals/{proposal.pk}/").status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        moderation_actions.moderate(moderator=moderator, target=proposal, action=ActionKind.HIDE, reason_code="spam")

    assert "Shade trees on Jl. Braga" not in client.get("/proposals/").content.decode()
    assert client.get(f"/proposals/{proposal.pk}/").status_code == 404


def test_a_comment_hidden_by_a_moderator_disappears_from_the_cached_page_at_once(
    client, proposal, moderator, django_capture_on_commit_callbacks
):
    comment = proposal.comments.get()
    assert "the pavement is too hot" in client.get(f"/proposals/{proposal.pk}/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        moderation_actions.moderate(moderator=moderator, target=comment, action=ActionKind.HIDE, reason_code="spam")

    assert "the pavement is too hot" not in client.get(f"/proposals/{proposal.pk}/").content.decode()


def test_a_support_shows_at_once_on_the_cached_list_and_page(
    client, proposal, other_citizen, django_capture_on_commit_callbacks
):
    assert (
        '<strong id="support-count" class="support-count">0</strong>'
        in client.get(f"/proposals/{proposal.pk}/").content.decode()
    )
    client.get("/proposals/")

    with django_capture_on_commit_callbacks(execute=True):
        proposal_actions.proposal_support(proposal=proposal, user=other_citizen)

    page = client.get(f"/proposals/{proposal.pk}/").content.decode()
    assert '<strong id="support-count" class="support-count">1</strong>' in page
    assert "1 support of" in client.get("/proposals/").content.decode()


def test_a_signed_in_citizen_never_gets_the_visitors_cached_page(client, proposal, other_citizen):
    for path in ("/proposals/", f"/proposals/{proposal.pk}/"):
        assert "Log out" not in client.get(path).content.decode()
    client.force_login(other_citizen)
    for path in ("/proposals/", f"/proposals/{proposal.pk}/"):
        response = client.get(path)
        page = response.content.decode()
        assert "Log out" in page and "My account" in page, path
        assert "private" in response["Cache-Control"]
    assert "Add a comment" in client.get(f"/proposals/{proposal.pk}/").content.decode()


def test_a_visitors_page_is_not_kept_from_a_signed_in_request(client, proposal, other_citizen):
    client.force_login(other_citizen)
    client.get(f"/proposals/{proposal.pk}/")
    client.logout()
    assert "Log out" not in client.get(f"/proposals/{proposal.pk}/").content.decode()


def test_the_cached_english_page_is_never_served_to_an_indonesian_visitor(client, proposal):
    english = client.get("/proposals/", headers={"accept-language": "en"})
    assert '<html lang="en">' in english.content.decode()

    by_browser = client.get("/proposals/", headers={"accept-language": "id"})
    assert '<html lang="id">' in by_browser.content.decode()
    client.cookies["django_language"] = "id"
    by_choice = client.get("/proposals/", headers={"accept-language": "en"})
    assert '<html lang="id">' in by_choice.content.decode()
    assert by_choice["Content-Language"] == "id"


def test_a_page_showing_a_message_is_neither_served_from_the_cache_nor_kept(client, citizen):
    from proposals.notifications import unfollow_token

    proposal = ProposalFactory()
    client.get(f"/proposals/{proposal.pk}/")
    token = unfollow_token(user_id=citizen.pk, proposal_id=proposal.pk)
    shown = client.post(f"/proposals/unfollow/{token}/", follow=True)
    assert "You will no longer receive emails about this proposal." in shown.content.decode()

    client.cookies.clear()
    assert "You will no longer receive emails" not in client.get(f"/proposals/{proposal.pk}/").content.decode()


def test_a_missing_page_is_not_kept(client, proposal):
    assert client.get("/proposals/999999/").status_code == 404
    ProposalFactory(pk=999999, title="Now it exists")
    assert client.get("/proposals/999999/").status_code == 200


def test_a_report_page_shows_a_new_status_at_once(client, staff, django_capture_on_commit_callbacks):
    report = ReportFactory(service=catalogue_load()[0])
    assert "In progress" not in client.get(f"/reports/{report.pk}/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        report_actions.report_change_status(report=report, to_status="in_progress", by=staff, note="On our way.")
    assert "On our way." in client.get(f"/reports/{report.pk}/").content.decode()


def test_without_a_cache_the_pages_are_still_served(client, proposal):
    from django.core.cache.backends.base import BaseCache

    class Down(BaseCache):
        """A cache that remembers nothing, as TolerantRedisCache behaves while Redis is down."""

        def get_many(self, keys, version=None):
            return {}

        def get(self, key, default=None, version=None):
            return default

        def set(self, key, value, timeout=None, version=None):
            return None

    from cocreate import page_cache

    original = page_cache.cache
    page_cache.cache = Down({})
    try:
        for _ in range(2):
            assert client.get(f"/proposals/{proposal.pk}/").status_code == 200
    finally:
        page_cache.cache = original


# A public page that shows a form or a message by mistake is still never shared.


@public_page()
def page_with_a_form(request):
    return render(request, "proposals/unfollow.html", {"proposal": ProposalFactory.build(pk=1)})


@public_page()
def page_with_a_message(request):
    messages.info(request, "Only for you")
    return render(request, "privacy.html")


urlpatterns = [
    url_path("form/", page_with_a_form),
    url_path("message/", page_with_a_message),
    *site_urlpatterns,
]


@pytest.mark.parametrize("path", ["/form/", "/message/"])
def test_a_public_page_showing_a_csrf_token_or_a_message_is_private_and_not_kept(client, settings, path):
    settings.ROOT_URLCONF = __name__
    client.cookies["csrftoken"] = "a" * 32  # a visitor who already has one still gets a private page
    first = client.get(path)
    assert "private" in first["Cache-Control"] and "public" not in first["Cache-Control"]
    again = client.get(path)  # a kept page would come back public
    assert "private" in again["Cache-Control"] and "public" not in again["Cache-Control"]
