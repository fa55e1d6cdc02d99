"""Proposals: who proposes, supports, comments and edits their own, on the website and through the API,
and who answers (city staff only: on the proposal's page, or in the admin with TOTP)."""

from __future__ import annotations

import pytest
from django.core import mail
from rest_framework.test import APIClient

from citizens.tests.factories import UserFactory
from moderation.models import ActionKind, ModerationAction
from proposals.models import Proposal, ProposalComment, ProposalStatus, ProposalStatusChange, Support
from proposals.tests.factories import CommentFactory, ProposalFactory
from tests.permissions import (
    ALLOWED,
    ANONYMOUS,
    EMAIL_PAGE,
    WITH_TOTP,
    a_proposal,
    assert_refused_by_the_admin,
    assert_refused_by_the_api,
    assert_refused_on_the_site,
    assert_told,
    cells,
    person,
    sign_in,
)

pytestmark = pytest.mark.django_db

IDEA = {"title": "A bench at the bus stop", "summary": "People wait standing for twenty minutes.", "topic": "other"}
EDITED = {**IDEA, "title": "Two benches at the bus stop", "lat": "", "lon": "", "body": ""}


# Proposing ------------------------------------------------------------------------------------------


@cells("propose_web")
def test_propose_on_the_website(client, request, role, expected):
    user = sign_in(client, request, role)

    response = client.post("/proposals/new/", IDEA)

    if expected == ALLOWED:
        proposal = Proposal.objects.get()
        assert proposal.author == user
        assert_told(
            response,
            "Thank you. Your proposal is published: share it to gather support.",
            at=proposal.get_absolute_url(),
        )
    else:
        assert_refused_on_the_site(
            response,
            expected,
            back=None,
            confirm_at=EMAIL_PAGE,
            confirm="Confirm your email address before you make a proposal.",
        )
        assert not Proposal.objects.exists()


@cells("propose_api")
def test_propose_through_the_api(request, role, expected):
    api = APIClient()
    user = sign_in(api, request, role)

    response = api.post("/api/v1/proposals/", IDEA, format="json")

    if expected == ALLOWED:
        assert response.status_code == 201, response.content
        assert Proposal.objects.get(pk=response.json()["id"]).author == user
    else:
        assert_refused_by_the_api(response, expected)
        assert not Proposal.objects.exists()


# Supporting -----------------------------------------------------------------------------------------


def assert_not_supported(proposal: Proposal) -> None:
    assert not Support.objects.exists()
    proposal.refresh_from_db()
    assert proposal.support_count == 0


@cells("support_web")
def test_support_a_proposal_on_the_website(client, request, role, expected):
    proposal = a_proposal()
    user = sign_in(client, request, role)

    response = client.post(f"/proposals/{proposal.pk}/support/")

    if expected == ALLOWED:
        assert_told(response, "Thank you for your support.", at=proposal.get_absolute_url())
        assert Support.objects.get().user == user
    else:
        assert_refused_on_the_site(response, expected, back=proposal.get_absolute_url())
        assert_not_supported(proposal)


@cells("support_api")
def test_support_a_proposal_through_the_api(request, role, expected):
    proposal = a_proposal()
    api = APIClient()
    user = sign_in(api, request, role)

    response = api.post(f"/api/v1/proposals/{proposal.pk}/support/")

    if expected == ALLOWED:
        assert (response.status_code, response.json()) == (201, {"supported": True, "support_count": 1})
        assert Support.objects.get().user == user
    else:
        assert_refused_by_the_api(response, expected)
        assert_not_supported(proposal)


@cells("support_own_web")
def test_support_ones_own_proposal_on_the_website(client, request, role, expected):
    user = sign_in(client, request, role)
    proposal = a_proposal(author=user)

    response = client.post(f"/proposals/{proposal.pk}/support/")

    assert_refused_on_the_site(response, expected, back=proposal.get_absolute_url())
    assert_not_supported(proposal)


@cells("support_own_api")
def test_support_ones_own_proposal_through_the_api(request, role, expected):
    api = APIClient()
    user = sign_in(api, request, role)
    proposal = a_proposal(author=user)

    response = api.post(f"/api/v1/proposals/{proposal.pk}/support/")

    assert_refused_by_the_api(response, expected)
    assert_not_supported(proposal)


# Commenting -----------------------------------------------------------------------------------------


@cells("comment_proposal_web")
def test_comment_on_a_proposal_on_the_website(client, request, role, expected):
    proposal = a_proposal()
    user = sign_in(client, request, role)

    response = client.post(f"/proposals/{proposal.pk}/comment/", {"body": "Yes, and some shade too."})

    if expected == ALLOWED:
        comment = ProposalComment.objects.get()
        assert comment.author == user
        assert_told(response, "Your comment is published.", at=f"{proposal.get_absolute_url()}#comment-{comment.pk}")
    else:
        assert_refused_on_the_site(response, expected, back=proposal.get_absolute_url())
        assert not ProposalComment.objects.exists()


@cells("comment_proposal_api")
def test_comment_on_a_proposal_through_the_api(request, role, expected):
    proposal = a_proposal()
    api = APIClient()
    user = sign_in(api, request, role)

    response = api.post(
        f"/api/v1/proposals/{proposal.pk}/comments/", {"body": "Yes, and some shade too."}, format="json"
    )

    if expected == ALLOWED:
        assert response.status_code == 201, response.content
        assert ProposalComment.objects.get().author == user
    else:
        assert_refused_by_the_api(response, expected)
        assert not ProposalComment.objects.exists()


# Editing one's own ----------------------------------------------------------------------------------


def own_proposal(request, role: str) -> Proposal:
    """The person's own proposal; the anonymous visitor tries someone else's."""
    author = person(request, role) if role != ANONYMOUS else UserFactory()
    return ProposalFactory(author=author, title="One bench at the bus stop")


def told_on_the_form_or(response, proposal: Proposal) -> str | None:
    """Where an edit's refusal is told: the form shown again (200), or else the proposal's page."""
    return None if response.status_code == 200 else proposal.get_absolute_url()


def assert_title_unchanged(proposal: Proposal) -> None:
    proposal.refresh_from_db()
    assert (proposal.title, proposal.edited_at) == ("One bench at the bus stop", None)


@cells("edit_proposal_web")
def test_edit_own_proposal_on_the_website(client, request, role, expected):
    proposal = own_proposal(request, role)
    if role != ANONYMOUS:
        client.force_login(proposal.author)

    response = client.post(f"/proposals/{proposal.pk}/edit/", EDITED)

    if expected == ALLOWED:
        assert_told(response, "Your proposal is updated.", at=proposal.get_absolute_url())
        proposal.refresh_from_db()
        assert proposal.title == "Two benches at the bus stop"
    else:
        assert_refused_on_the_site(response, expected, back=told_on_the_form_or(response, proposal))
        assert_title_unchanged(proposal)


@cells("edit_proposal_api")
def test_edit_own_proposal_through_the_api(request, role, expected):
    proposal = own_proposal(request, role)
    api = APIClient()
    if role != ANONYMOUS:
        api.force_login(proposal.author)

    response = api.patch(f"/api/v1/proposals/{proposal.pk}/", {"title": "Two benches at the bus stop"}, format="json")

    if expected == ALLOWED:
        assert (response.status_code, response.json()["title"]) == (200, "Two benches at the bus stop")
    else:
        assert_refused_by_the_api(response, expected)
        assert_title_unchanged(proposal)


@cells("edit_proposal_comment_web")
def test_edit_own_proposal_comment_on_the_website(client, request, role, expected):
    """Within the 15 minutes a comment stays editable."""
    proposal = a_proposal()
    author = person(request, role) if role != ANONYMOUS else UserFactory()
    comment = CommentFactory(proposal=proposal, author=author, body="Yes, please.")
    if role != ANONYMOUS:
        client.force_login(author)

    response = client.post(f"/proposals/{proposal.pk}/comments/{comment.pk}/edit/", {"body": "Buy my watches!"})

    comment.refresh_from_db()
    if expected == ALLOWED:
        assert_told(response, "Your comment is updated.", at=f"{proposal.get_absolute_url()}#comment-{comment.pk}")
        assert comment.body == "Buy my watches!"
    else:
        assert_refused_on_the_site(response, expected, back=told_on_the_form_or(response, proposal))
        assert (comment.body, comment.edited_at) == ("Yes, please.", None)


# Answering ------------------------------------------------------------------------------------------


def proposal_under_review() -> Proposal:
    return ProposalFactory(author=UserFactory(display_name="Proposer"), status=ProposalStatus.UNDER_REVIEW)


def assert_not_answered(proposal: Proposal, callbacks) -> None:
    proposal.refresh_from_db()
    assert (proposal.status, proposal.answer, proposal.answered_by) == (ProposalStatus.UNDER_REVIEW, "", None)
    assert not ProposalStatusChange.objects.exists()
    assert not ModerationAction.objects.filter(action=ActionKind.ANSWER).exists()
    assert callbacks == []
    assert mail.outbox == []


def assert_answered_and_author_told(proposal: Proposal, user) -> None:
    proposal.refresh_from_db()
    assert (proposal.status, proposal.answer, proposal.answered_by) == (
        ProposalStatus.ACCEPTED,
        "We will build it in March.",
        user,
    )
    assert ModerationAction.objects.get(action=ActionKind.ANSWER).actor == user
    assert [message.to for message in mail.outbox] == [[proposal.author.email]]


@cells("answer_web")
def test_answer_a_proposal_on_its_page(client, request, role, expected, django_capture_on_commit_callbacks):
    proposal = proposal_under_review()
    user = sign_in(client, request, role, totp=True)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(
            f"/proposals/{proposal.pk}/answer/",
            {"status": ProposalStatus.ACCEPTED, "answer": "We will build it in March."},
        )

    if expected == WITH_TOTP:
        assert_told(
            response,
            "The answer is published and the author, supporters and followers are told.",
            at=proposal.get_absolute_url(),
        )
        assert_answered_and_author_told(proposal, user)
    else:
        assert_refused_on_the_site(response, expected, back=proposal.get_absolute_url())
        assert_not_answered(proposal, callbacks)


@cells("answer_admin")
def test_answer_a_proposal_in_the_admin(client, request, role, expected, django_capture_on_commit_callbacks):
    proposal = proposal_under_review()
    user = sign_in(client, request, role, totp=True)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(
            f"/admin/proposals/proposal/{proposal.pk}/change/",
            {"new_status": ProposalStatus.ACCEPTED, "answer_text": "We will build it in March.", "_save": "1"},
            follow=True,
        )

    if expected == WITH_TOTP:
        assert response.redirect_chain == [("/admin/proposals/proposal/", 302)]
        assert_answered_and_author_told(proposal, user)
    else:
        assert_refused_by_the_admin(response, expected)
        assert_not_answered(proposal, callbacks)
