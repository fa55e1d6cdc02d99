"""Emails about a proposal's status: one per person (author, supporters, followers), in their language."""

import time

import pytest
from django.conf import settings
from django.core import mail, signing
from django.urls import reverse
from django.utils import translation

from citizens.tests.factories import UserFactory
from cocreate import following
from moderation.models import ModerationState
from proposals.actions import (
    proposal_answer,
    proposal_create,
    proposal_follow,
    proposal_support,
    proposal_unfollow,
)
from proposals.models import Proposal, ProposalStatus
from proposals.notifications import read_unfollow_token, unfollow_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposal(citizen):
    return proposal_create(author=citizen, title="Shade trees", summary="Plant trees.")


def answer(proposal, staff, capture, text="We will plant forty trees."):
    with capture(execute=True):
        proposal_answer(proposal=proposal, by=staff, status=ProposalStatus.ACCEPTED, answer=text)


def recipients() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def token_in(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[1]


def test_the_author_each_supporter_and_each_follower_get_one_email_each(
    proposal, citizen, staff, django_capture_on_commit_callbacks
):
    supporter, follower, both = UserFactory.create_batch(3)
    proposal_support(proposal=proposal, user=supporter)
    proposal_follow(proposal=proposal, user=follower)
    proposal_support(proposal=proposal, user=both)
    proposal_follow(proposal=proposal, user=both)
    proposal_follow(proposal=proposal, user=citizen)  # the author follows already: two roles, one email

    answer(proposal, staff, django_capture_on_commit_callbacks)

    assert recipients() == sorted([citizen.email, supporter.email, follower.email, both.email])
    assert all(len(message.to) == 1 for message in mail.outbox)
    assert staff.email not in recipients()


def test_each_email_links_to_the_proposal_and_to_a_personal_unfollow_link(
    proposal, citizen, other_citizen, staff, django_capture_on_commit_callbacks
):
    proposal_support(proposal=proposal, user=other_citizen)

    answer(proposal, staff, django_capture_on_commit_callbacks, text="We will plant forty trees.")

    proposal_url = settings.SITE_URL + reverse("proposals:detail", args=[proposal.pk])
    people = {citizen.email: citizen, other_citizen.email: other_citizen}
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        person = people[message.to[0]]
        assert "Shade trees" in message.subject
        assert proposal_url in message.body
        assert "We will plant forty trees." in message.body
        unfollow_url = next(line for line in message.body.splitlines() if "/proposals/unfollow/" in line).strip()
        assert unfollow_url.startswith(settings.SITE_URL + "/proposals/unfollow/")
        assert read_unfollow_token(token_in(unfollow_url)) == (person.pk, proposal.pk)
        assert message.extra_headers["List-Unsubscribe"] == f"<{unfollow_url}>"


def test_each_email_is_written_in_the_recipients_language(
    proposal, citizen, staff, monkeypatch, django_capture_on_commit_callbacks
):
    indonesian = UserFactory(preferred_language="id")
    proposal_support(proposal=proposal, user=indonesian)
    rendered_in: dict[int, set[str]] = {}
    render = following.render_to_string

    def recording_render(template_name, context):
        user_id, _proposal_id = read_unfollow_token(token_in(context["unfollow_url"]))
        rendered_in.setdefault(user_id, set()).add(translation.get_language())
        return render(template_name, context)

    monkeypatch.setattr(following, "render_to_string", recording_render)

    with translation.override("en"):
        answer(proposal, staff, django_capture_on_commit_callbacks)

    assert rendered_in == {citizen.pk: {"en"}, indonesian.pk: {"id"}}
    assert recipients() == sorted([citizen.email, indonesian.email])


def test_reaching_the_threshold_tells_everyone_once(proposal, citizen, django_capture_on_commit_callbacks):
    Proposal.objects.filter(pk=proposal.pk).update(threshold=2)
    first, second = UserFactory.create_batch(2)
    proposal_support(proposal=proposal, user=first)

    with django_capture_on_commit_callbacks(execute=True):
        proposal_support(proposal=proposal, user=second)

    assert recipients() == sorted([citizen.email, first.email, second.email])


def test_inactive_people_get_nothing(proposal, citizen, other_citizen, staff, django_capture_on_commit_callbacks):
    gone_supporter, gone_follower = UserFactory.create_batch(2)
    proposal_support(proposal=proposal, user=gone_supporter)
    proposal_follow(proposal=proposal, user=gone_follower)
    proposal_follow(proposal=proposal, user=other_citizen)
    type(citizen).objects.filter(pk__in=[gone_supporter.pk, gone_follower.pk, citizen.pk]).update(is_active=False)

    answer(proposal, staff, django_capture_on_commit_callbacks)

    assert recipients() == [other_citizen.email]


def test_a_follower_who_stopped_following_gets_nothing(
    proposal, citizen, other_citizen, staff, django_capture_on_commit_callbacks
):
    proposal_follow(proposal=proposal, user=other_citizen)
    proposal_unfollow(proposal=proposal, user=other_citizen)

    answer(proposal, staff, django_capture_on_commit_callbacks)

    assert recipients() == [citizen.email]


@pytest.mark.parametrize("state", [ModerationState.HIDDEN, ModerationState.PENDING, ModerationState.REJECTED])
def test_a_proposal_the_public_cannot_see_sends_no_email(
    proposal, other_citizen, staff, state, django_capture_on_commit_callbacks
):
    proposal_support(proposal=proposal, user=other_citizen)
    Proposal.objects.filter(pk=proposal.pk).update(moderation_state=state)

    answer(proposal, staff, django_capture_on_commit_callbacks)

    assert mail.outbox == []


def test_the_unfollow_token_reads_back_its_person_and_proposal():
    assert read_unfollow_token(unfollow_token(user_id=12, proposal_id=34)) == (12, 34)


def test_a_tampered_or_foreign_unfollow_token_is_refused():
    token = unfollow_token(user_id=12, proposal_id=34)
    value, signature = token.rsplit(":", 1)
    other_payload = unfollow_token(user_id=13, proposal_id=34).split(":", 1)[0]
    foreign = signing.dumps({"u": 12, "p": 34}, salt="another.salt")

    assert read_unfollow_token(f"{value}:{signature[::-1]}") is None
    assert read_unfollow_token(other_payload + ":" + token.split(":", 1)[1]) is None
    assert read_unfollow_token(foreign) is None
    assert read_unfollow_token("not-a-token") is None
    assert read_unfollow_token("") is None


def test_an_unfollow_token_expires_after_a_year(monkeypatch):
    token = unfollow_token(user_id=12, proposal_id=34)
    a_year_later = time.time() + 366 * 24 * 60 * 60

    monkeypatch.setattr(signing.time, "time", lambda: a_year_later)
    expired = read_unfollow_token(token)
    monkeypatch.undo()

    assert expired is None
