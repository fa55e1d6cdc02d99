"""proposal_update and proposal_withdraw: the author's own changes, and when they stop."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from proposals.actions import (
    proposal_comment_create,
    proposal_comment_delete,
    proposal_create,
    proposal_support,
    proposal_update,
    proposal_withdraw,
)
from proposals.models import Proposal, ProposalStatus, ProposalStatusChange
from services.tests.factories import CITY_LAT, CITY_LON

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposal(citizen):
    return proposal_create(author=citizen, title="Shade trees", summary="Plant trees.", body="Forty trees.")


def test_the_author_edits_a_proposal_before_its_first_support_or_comment(proposal, citizen):
    proposal_update(
        proposal=proposal, by=citizen, title="Shade trees on Braga", body="Fifty **trees**.", lat=CITY_LAT, lon=CITY_LON
    )

    proposal.refresh_from_db()
    assert proposal.title == "Shade trees on Braga"
    assert proposal.summary == "Plant trees."
    assert proposal.body_html == "<p>Fifty <strong>trees</strong>.</p>"
    assert (proposal.lat, proposal.lon) == (CITY_LAT, CITY_LON)
    assert proposal.edited_at is not None
    assert proposal.updated_at == proposal.edited_at


def test_an_edit_is_refused_after_the_first_support(proposal, citizen, other_citizen):
    proposal_support(proposal=proposal, user=other_citizen)

    with pytest.raises(ValidationError) as refused:
        proposal_update(proposal=proposal, by=citizen, title="Something else")

    assert "proposal" in refused.value.message_dict
    assert Proposal.objects.get().title == "Shade trees"


def test_an_edit_is_refused_after_the_first_comment_even_once_it_is_deleted(proposal, citizen, other_citizen):
    comment = proposal_comment_create(proposal=proposal, author=other_citizen, body="Yes please.")
    proposal_comment_delete(comment=comment, by=other_citizen)

    with pytest.raises(ValidationError):
        proposal_update(proposal=proposal, by=citizen, title="Something else")

    assert Proposal.objects.get().title == "Shade trees"


def test_only_the_author_edits(proposal, other_citizen, staff):
    for person in (other_citizen, staff):
        with pytest.raises(PermissionDenied):
            proposal_update(proposal=proposal, by=person, title="Hijacked")

    assert Proposal.objects.get().title == "Shade trees"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": ""}, "title"),
        ({"body": "b" * 10_001}, "body"),
        ({"lat": 0.0, "lon": 0.0}, "location"),
        ({"status": ProposalStatus.ACCEPTED}, "status"),
        ({"support_count": 1000}, "support_count"),
    ],
    ids=["empty title", "body too long", "outside the city", "status", "support count"],
)
def test_a_bad_edit_is_refused_and_changes_nothing(proposal, citizen, changes, field):
    with pytest.raises(ValidationError) as refused:
        proposal_update(proposal=proposal, by=citizen, **changes)

    assert field in refused.value.message_dict
    unchanged = Proposal.objects.get()
    assert (unchanged.title, unchanged.body, unchanged.status, unchanged.support_count, unchanged.edited_at) == (
        "Shade trees",
        "Forty trees.",
        ProposalStatus.PUBLISHED,
        0,
        None,
    )


def test_the_author_withdraws_a_proposal_collecting_support(proposal, citizen):
    proposal_withdraw(proposal=proposal, by=citizen)

    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.WITHDRAWN
    change = ProposalStatusChange.objects.get()
    assert (change.from_status, change.to_status, change.by_role) == (
        ProposalStatus.PUBLISHED,
        ProposalStatus.WITHDRAWN,
        "author",
    )


def test_only_the_author_withdraws(proposal, other_citizen, staff):
    for person in (other_citizen, staff):
        with pytest.raises(PermissionDenied):
            proposal_withdraw(proposal=proposal, by=person)

    assert Proposal.objects.get().status == ProposalStatus.PUBLISHED
    assert not ProposalStatusChange.objects.exists()


@pytest.mark.parametrize("status", [ProposalStatus.UNDER_REVIEW, ProposalStatus.ACCEPTED, ProposalStatus.WITHDRAWN])
def test_a_proposal_no_longer_collecting_support_cannot_be_withdrawn(proposal, citizen, status):
    Proposal.objects.filter(pk=proposal.pk).update(status=status)

    with pytest.raises(ValidationError):
        proposal_withdraw(proposal=proposal, by=citizen)

    assert Proposal.objects.get().status == status
    assert not ProposalStatusChange.objects.exists()


def test_a_withdrawn_proposal_cannot_be_edited(proposal, citizen):
    proposal_withdraw(proposal=proposal, by=citizen)

    with pytest.raises(ValidationError):
        proposal_update(proposal=proposal, by=citizen, title="Back again")
