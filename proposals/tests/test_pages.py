"""The proposal pages over HTTP: browse, propose, support, comment, answer, and the account page."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone

from citizens.tests.factories import UserFactory
from citizens.tests.two_factor import sign_in_with_totp
from moderation.models import ModerationState
from proposals import actions
from proposals.models import Proposal, ProposalComment, ProposalFollow, ProposalStatus, Support
from proposals.notifications import unfollow_token
from proposals.tests.factories import CommentFactory, ProposalFactory, SupportFactory
from services.tests.factories import ServiceFactory, image_upload

pytestmark = pytest.mark.django_db

JSON = {"Accept": "application/json", "X-Requested-With": "XMLHttpRequest"}


def titles_in(body: str, *titles: str) -> list[str]:
    """The given titles in the order they appear on the page (absent ones left out)."""
    return sorted((title for title in titles if title in body), key=body.index)


def proposal_data(**overrides):
    data = {
        "title": "Shade trees on Jalan Braga",
        "summary": "Plant trees so that people can walk in the shade.",
        "body": "The pavement is **too hot** at noon.",
        "topic": "other",
        "lat": "",
        "lon": "",
    }
    return {**data, **overrides}


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


# Making a proposal


def test_the_proposal_form_needs_a_login(client):
    response = client.get("/proposals/new/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_proposal_form_needs_a_verified_email(client):
    client.force_login(UserFactory(verified=False))
    response = client.get("/proposals/new/", follow=True)
    assert response.redirect_chain[0] == ("/accounts/email/", 302)
    assert "Confirm your email address before you make a proposal." in response.content.decode()


def test_the_topics_are_the_service_groups_and_other(client, citizen):
    ServiceFactory(group="Lighting")
    client.force_login(citizen)
    body = client.get("/proposals/new/").content.decode()
    assert '<option value="Lighting">Lighting</option>' in body
    assert '<option value="other" selected>Other</option>' in body
    assert 'accept="image/*"' in body


def test_in_indonesian_the_topics_are_named_in_indonesian_on_the_form_list_and_page(client, citizen):
    ServiceFactory(group="Lighting", group_id="Penerangan")
    proposal = ProposalFactory(topic="Lighting")
    client.force_login(citizen)
    citizen.preferred_language = "id"
    citizen.save()
    assert '<option value="Lighting">Penerangan</option>' in client.get("/proposals/new/").content.decode()
    listing = client.get("/proposals/").content.decode()
    assert '<option value="Lighting">Penerangan</option>' in listing
    assert "· Penerangan" in listing
    assert "<dd>Penerangan</dd>" in client.get(f"/proposals/{proposal.pk}/").content.decode()


def test_a_citizen_publishes_a_proposal(client, citizen, settings):
    settings.PROPOSAL_SUPPORT_THRESHOLD = 7
    client.force_login(citizen)
    response = client.post("/proposals/new/", proposal_data(lat="-6.9147", lon="107.6098", show_name="on"))
    proposal = Proposal.objects.get()
    assert response["Location"] == f"/proposals/{proposal.pk}/"
    assert (proposal.author, proposal.threshold, proposal.show_name) == (citizen, 7, True)
    assert (proposal.lat, proposal.lon) == (-6.9147, 107.6098)
    page = client.get(response["Location"]).content.decode()
    assert "Thank you. Your proposal is published" in page
    assert "<strong>too hot</strong>" in page
    assert "by Citizen One" in page
    assert ProposalFollow.objects.filter(proposal=proposal, user=citizen).exists()


def test_the_author_name_is_hidden_unless_chosen(client, citizen):
    client.force_login(citizen)
    client.post("/proposals/new/", proposal_data())
    proposal = Proposal.objects.get()
    assert proposal.show_name is False
    client.logout()
    page = client.get(f"/proposals/{proposal.pk}/").content.decode()
    assert "Citizen One" not in page and citizen.email not in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "", "This field is required."),
        ("title", "t" * 121, "Ensure this value has at most 120 characters (it has 121)."),
        ("summary", "", "This field is required."),
        ("body", "b" * 10_001, "Ensure this value has at most 10000 characters (it has 10001)."),
        ("topic", "sewers", "Select a valid choice."),
        ("lat", "-6.9147", "Give both latitude and longitude."),
        ("lat", "nan", "Enter a finite number."),
        ("lat", "-6.2", "This point is outside the city."),
    ],
)
def test_a_bad_proposal_is_refused_beside_the_field_and_keeps_what_was_typed(client, citizen, field, value, message):
    client.force_login(citizen)
    data = proposal_data(**{field: value})
    if field == "lat" and value != "-6.9147":
        data["lon"] = "106.8"
    response = client.post("/proposals/new/", data)
    assert response.status_code == 200
    body = response.content.decode()
    assert Proposal.objects.count() == 0
    assert 'class="field field-error"' in body
    assert message in body
    assert "Plant trees so that people can walk in the shade." in body or field == "summary"


def test_a_title_with_only_spaces_is_refused(client, citizen):
    client.force_login(citizen)
    response = client.post("/proposals/new/", proposal_data(title="   "))
    assert response.status_code == 200 and Proposal.objects.count() == 0
    assert "This field is required." in response.content.decode()


def test_markdown_is_rendered_safely_and_raw_html_is_escaped(client, citizen):
    client.force_login(citizen)
    body = (
        "<script>alert(1)</script>\n\n"
        "[click](javascript:alert(2)) and [site](https://example.org)\n\n"
        '<img src=x onerror="alert(3)">'
    )
    client.post("/proposals/new/", proposal_data(title="<b>Bold</b> title", body=body))
    proposal = Proposal.objects.get()
    page = client.get(f"/proposals/{proposal.pk}/").content.decode()
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert 'href="javascript:' not in page
    assert '<a href="https://example.org" rel="nofollow ugc">site</a>' in page
    assert "<img src=x" not in page and "&lt;img src=x" in page
    assert "&lt;b&gt;Bold&lt;/b&gt; title" in page
    assert "<b>Bold</b>" not in page
    assert "&lt;b&gt;Bold&lt;/b&gt; title" in client.get("/proposals/").content.decode()


def test_a_proposal_with_an_image_shows_it_once_processed(
    client, citizen, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(citizen)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/proposals/new/", {**proposal_data(), "image": image_upload(exif_gps=True)})
    proposal = Proposal.objects.get()
    page = client.get(f"/proposals/{proposal.pk}/").content.decode()
    assert 'alt="Image attached to the proposal"' in page


def test_a_file_that_is_not_an_image_is_refused(client, citizen, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(citizen)
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("notes.jpg", b"not an image at all", content_type="image/jpeg")
    response = client.post("/proposals/new/", {**proposal_data(), "image": upload})
    assert response.status_code == 200 and Proposal.objects.count() == 0
    assert 'class="field field-error"' in response.content.decode()
    assert "Please choose your image again" in response.content.decode()


# Editing and withdrawing


def test_the_author_edits_a_proposal_until_its_first_support(client, citizen):
    proposal = ProposalFactory(author=citizen, title="Fist title")
    client.force_login(citizen)
    assert 'value="Fist title"' in client.get(f"/proposals/{proposal.pk}/edit/").content.decode()
    data = proposal_data(title="First title", topic="other")
    assert client.post(f"/proposals/{proposal.pk}/edit/", data)["Location"] == f"/proposals/{proposal.pk}/"
    proposal.refresh_from_db()
    assert proposal.title == "First title" and proposal.edited_at is not None
    SupportFactory(proposal=proposal)
    response = client.get(f"/proposals/{proposal.pk}/edit/", follow=True)
    assert "cannot be edited once it has supports or comments" in response.content.decode()


def test_only_the_author_may_edit_or_withdraw(client, other_citizen):
    proposal = ProposalFactory()
    client.force_login(other_citizen)
    assert client.get(f"/proposals/{proposal.pk}/edit/").status_code == 403
    assert client.post(f"/proposals/{proposal.pk}/withdraw/").status_code == 403
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PUBLISHED


def test_the_author_withdraws_after_confirming_and_history_says_so(client, citizen):
    proposal = ProposalFactory(author=citizen)
    client.force_login(citizen)
    assert "Withdraw your proposal?" in client.get(f"/proposals/{proposal.pk}/withdraw/").content.decode()
    page = client.post(f"/proposals/{proposal.pk}/withdraw/", follow=True).content.decode()
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.WITHDRAWN
    assert "Your proposal is withdrawn." in page and "Withdrawn by the author" in page
    assert f'action="/proposals/{proposal.pk}/support/"' not in page


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


# Following


def test_a_citizen_follows_and_unfollows(client, citizen):
    proposal = ProposalFactory()
    client.force_login(citizen)
    client.post(f"/proposals/{proposal.pk}/follow/")
    assert ProposalFollow.objects.filter(proposal=proposal, user=citizen).exists()
    client.post(f"/proposals/{proposal.pk}/follow/", {"action": "unfollow"})
    assert not ProposalFollow.objects.filter(proposal=proposal, user=citizen).exists()


def test_the_unsubscribe_link_stops_following_through_proposal_unfollow(client, citizen):
    proposal = ProposalFactory()
    ProposalFollow.objects.create(proposal=proposal, user=citizen)
    url = f"/proposals/unfollow/{unfollow_token(user_id=citizen.pk, proposal_id=proposal.pk)}/"
    assert "Stop following this proposal?" in client.get(url).content.decode()
    with mock.patch.object(actions, "proposal_unfollow", wraps=actions.proposal_unfollow) as unfollow:
        page = client.post(url, follow=True).content.decode()
    unfollow.assert_called_once_with(proposal=proposal, user=citizen)
    assert "You will no longer receive emails about this proposal." in page
    assert not ProposalFollow.objects.filter(proposal=proposal, user=citizen).exists()
    assert client.get("/proposals/unfollow/forged-token/").status_code == 404


# Comments


def test_comments_are_threaded_one_level_and_sorted_oldest_or_newest_first(client, citizen):
    proposal = ProposalFactory()
    now = timezone.now()
    first = CommentFactory(proposal=proposal, body="First comment", created_at=now - timedelta(hours=3))
    CommentFactory(proposal=proposal, body="Second comment", created_at=now - timedelta(hours=2))
    client.force_login(citizen)
    client.post(f"/proposals/{proposal.pk}/comment/", {"body": "A reply to the first", "parent": first.pk})
    reply = ProposalComment.objects.get(body="A reply to the first")
    assert reply.parent == first
    oldest = client.get(f"/proposals/{proposal.pk}/").content.decode()
    assert titles_in(oldest, "First comment", "A reply to the first", "Second comment") == [
        "First comment",
        "A reply to the first",
        "Second comment",
    ]
    assert '<ol class="replies">' in oldest
    newest = client.get(f"/proposals/{proposal.pk}/", {"comments": "newest"}).content.decode()
    assert titles_in(newest, "First comment", "A reply to the first", "Second comment") == [
        "Second comment",
        "First comment",
        "A reply to the first",
    ]


def test_a_reply_to_a_reply_or_to_another_proposal_is_refused(client, citizen):
    proposal = ProposalFactory()
    top = CommentFactory(proposal=proposal)
    reply = CommentFactory(proposal=proposal, parent=top)
    elsewhere = CommentFactory()
    client.force_login(citizen)
    page = client.post(
        f"/proposals/{proposal.pk}/comment/", {"body": "Deeper", "parent": reply.pk}, follow=True
    ).content.decode()
    assert "Reply to a comment of this proposal." in page
    page = client.post(
        f"/proposals/{proposal.pk}/comment/", {"body": "Elsewhere", "parent": elsewhere.pk}, follow=True
    ).content.decode()
    assert "Reply to a comment of this proposal." in page
    assert not ProposalComment.objects.filter(body__in=["Deeper", "Elsewhere"]).exists()


def test_a_comment_is_rendered_safely(client, citizen):
    proposal = ProposalFactory()
    client.force_login(citizen)
    client.post(
        f"/proposals/{proposal.pk}/comment/",
        {"body": "<script>alert(1)</script> [x](javascript:alert(1)) *fine*"},
    )
    page = client.get(f"/proposals/{proposal.pk}/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page and 'href="javascript:' not in page
    assert "<em>fine</em>" in page


def test_an_empty_or_over_long_comment_is_refused_with_a_message(client, citizen):
    proposal = ProposalFactory()
    client.force_login(citizen)
    page = client.post(f"/proposals/{proposal.pk}/comment/", {"body": ""}, follow=True).content.decode()
    assert "This field is required." in page
    page = client.post(f"/proposals/{proposal.pk}/comment/", {"body": "c" * 5001}, follow=True).content.decode()
    assert "at most 5000 characters" in page
    assert not ProposalComment.objects.exists()


def test_commenting_on_a_hidden_proposal_is_not_found(client, citizen):
    hidden = ProposalFactory(moderation_state=ModerationState.HIDDEN)
    client.force_login(citizen)
    assert client.post(f"/proposals/{hidden.pk}/comment/", {"body": "Hello"}).status_code == 404
    assert not ProposalComment.objects.exists()


def test_a_comment_can_be_edited_within_fifteen_minutes_and_is_marked_edited(client, citizen):
    comment = CommentFactory(author=citizen, body="Typo hree")
    client.force_login(citizen)
    url = f"/proposals/{comment.proposal_id}/comments/{comment.pk}/edit/"
    assert f'href="{url}"' in client.get(f"/proposals/{comment.proposal_id}/").content.decode()
    client.post(url, {"body": "Typo here"})
    page = client.get(f"/proposals/{comment.proposal_id}/").content.decode()
    assert "Typo here" in page and '<span class="edited">edited</span>' in page


def test_a_comment_cannot_be_edited_after_fifteen_minutes(client, citizen):
    comment = CommentFactory(author=citizen, body="Old words", created_at=timezone.now() - timedelta(minutes=16))
    client.force_login(citizen)
    url = f"/proposals/{comment.proposal_id}/comments/{comment.pk}/edit/"
    assert f'href="{url}"' not in client.get(f"/proposals/{comment.proposal_id}/").content.decode()
    response = client.post(url, {"body": "New words"})
    assert "Comments can be edited for 15 minutes" in response.content.decode()
    comment.refresh_from_db()
    assert comment.body == "Old words" and comment.edited_at is None


def test_only_the_author_may_edit_or_delete_a_comment(client, other_citizen):
    comment = CommentFactory(body="Mine")
    client.force_login(other_citizen)
    assert (
        client.post(f"/proposals/{comment.proposal_id}/comments/{comment.pk}/edit/", {"body": "x"}).status_code == 403
    )
    assert client.post(f"/proposals/{comment.proposal_id}/comments/{comment.pk}/delete/").status_code == 403
    comment.refresh_from_db()
    assert comment.body == "Mine" and comment.deleted_at is None


def test_deleting_a_comment_keeps_its_replies(client, citizen):
    comment = CommentFactory(author=citizen, body="Regrettable words")
    CommentFactory(proposal=comment.proposal, parent=comment, body="A kind reply")
    client.force_login(citizen)
    url = f"/proposals/{comment.proposal_id}/comments/{comment.pk}/delete/"
    assert "Delete your comment?" in client.get(url).content.decode()
    client.post(url)
    page = client.get(f"/proposals/{comment.proposal_id}/").content.decode()
    assert "Regrettable words" not in page
    assert "This comment was deleted." in page
    assert "A kind reply" in page


def test_the_detail_page_runs_a_constant_number_of_queries(client, citizen, django_assert_max_num_queries):
    proposal = ProposalFactory()
    client.force_login(citizen)

    def add_threads(count):
        for _ in range(count):
            top = CommentFactory(proposal=proposal, author=citizen)
            CommentFactory(proposal=proposal, parent=top)

    add_threads(5)
    # One of them names the topics in the page's language.
    with django_assert_max_num_queries(10):
        client.get(f"/proposals/{proposal.pk}/")
    add_threads(45)
    with django_assert_max_num_queries(10):
        body = client.get(f"/proposals/{proposal.pk}/").content.decode()
    assert body.count('class="comment"') == 100


# The city's answer


def test_staff_answer_and_the_answer_shows_on_the_page(client, staff, django_capture_on_commit_callbacks):
    proposal = ProposalFactory(status=ProposalStatus.UNDER_REVIEW, title="More buses at night")
    sign_in_with_totp(client, staff)
    assert "Answer (city staff)" in client.get(f"/proposals/{proposal.pk}/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/proposals/{proposal.pk}/answer/", {"status": "accepted", "answer": "We add **two** night buses."}
        )
    client.logout()
    page = client.get(f"/proposals/{proposal.pk}/").content.decode()
    assert "The city's answer" in page
    assert "We add <strong>two</strong> night buses." in page
    assert "The city answered: Accepted" in page
    assert [message.to for message in mail.outbox] == [[proposal.author.email]]
    assert "More buses at night" in mail.outbox[0].subject


@pytest.mark.parametrize("role", ["citizen", "moderator"])
def test_citizens_and_moderators_cannot_answer(client, request, role):
    proposal = ProposalFactory()
    client.force_login(request.getfixturevalue(role))
    assert "Answer (city staff)" not in client.get(f"/proposals/{proposal.pk}/").content.decode()
    response = client.post(f"/proposals/{proposal.pk}/answer/", {"status": "accepted", "answer": "Yes"})
    assert response.status_code == 403
    proposal.refresh_from_db()
    assert proposal.answered_at is None


def test_an_answer_without_text_is_refused_with_a_message(client, staff):
    proposal = ProposalFactory()
    sign_in_with_totp(client, staff)
    page = client.post(
        f"/proposals/{proposal.pk}/answer/", {"status": "accepted", "answer": ""}, follow=True
    ).content.decode()
    assert "This field is required." in page
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PUBLISHED


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
