"""proposal_create: who may publish, what is checked, and what a new proposal starts with."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from citizens.tests.factories import UserFactory
from proposals.actions import proposal_create
from proposals.models import BODY_MAX, SUMMARY_MAX, TITLE_MAX, Proposal, ProposalFollow, ProposalStatus
from services.tests.factories import CITY_LAT, CITY_LON, ServiceFactory

pytestmark = pytest.mark.django_db

VALID = {"title": "Shade trees on Jalan Braga", "summary": "Plant trees so people can walk in the shade."}


def test_a_verified_citizen_publishes_a_proposal_with_the_configured_threshold_and_window(citizen, settings):
    settings.PROPOSAL_SUPPORT_THRESHOLD = 7
    settings.PROPOSAL_SUPPORT_WINDOW_DAYS = 10

    proposal = proposal_create(author=citizen, **VALID, body="Forty *trees*.", lat=CITY_LAT, lon=CITY_LON)

    proposal.refresh_from_db()
    assert (proposal.title, proposal.summary, proposal.author) == (VALID["title"], VALID["summary"], citizen)
    assert proposal.status == ProposalStatus.PUBLISHED
    assert proposal.threshold == 7
    assert proposal.closes_at - proposal.created_at == timedelta(days=10)
    assert (proposal.support_count, proposal.comment_count) == (0, 0)
    assert (proposal.lat, proposal.lon) == (CITY_LAT, CITY_LON)
    assert proposal.body_html == "<p>Forty <em>trees</em>.</p>"
    assert proposal.is_collecting and proposal.is_editable


def test_the_author_follows_the_new_proposal(citizen):
    proposal = proposal_create(author=citizen, **VALID)

    assert list(ProposalFollow.objects.values_list("proposal", "user")) == [(proposal.pk, citizen.pk)]


def test_the_body_is_stored_as_written_and_shown_sanitized(citizen):
    body = "Look <script>alert(1)</script> [here](javascript:alert(2)) and [there](https://example.org)"

    proposal = proposal_create(author=citizen, **VALID, body=body)

    assert proposal.body == body
    assert "<script" not in proposal.body_html
    assert "javascript:" not in proposal.body_html
    assert '<a href="https://example.org" rel="nofollow ugc">there</a>' in proposal.body_html


def test_the_text_is_trimmed_and_the_limits_are_inclusive(citizen):
    proposal = proposal_create(
        author=citizen, title=f"  {'t' * TITLE_MAX}  ", summary="s" * SUMMARY_MAX, body="b" * BODY_MAX
    )

    assert proposal.title == "t" * TITLE_MAX
    assert len(proposal.body) == BODY_MAX


def test_a_topic_is_a_group_of_the_active_catalogue_or_other(citizen):
    ServiceFactory(group="Parks")

    assert proposal_create(author=citizen, **VALID, topic="Parks").topic == "Parks"
    assert proposal_create(author=citizen, **VALID, topic="").topic == "other"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "   "}, "title"),
        ({"title": "t" * (TITLE_MAX + 1)}, "title"),
        ({"title": "Trees\x00"}, "title"),
        ({"summary": ""}, "summary"),
        ({"summary": "s" * (SUMMARY_MAX + 1)}, "summary"),
        ({"summary": "Shade\x00"}, "summary"),
        ({"body": "b" * (BODY_MAX + 1)}, "body"),
        ({"body": "Forty\x00 trees"}, "body"),
        ({"topic": "Spaceports"}, "topic"),
        ({"topic": "Closed"}, "topic"),
        ({"lat": 0.0, "lon": 0.0}, "location"),
        ({"lat": CITY_LAT}, "location"),
        ({"lat": "north", "lon": CITY_LON}, "lat"),
        ({"lat": "nan", "lon": CITY_LON}, "lat"),
        ({"lat": CITY_LAT, "lon": "inf"}, "lon"),
    ],
    ids=[
        "empty title",
        "blank title",
        "121-character title",
        "NUL in title",
        "summary missing",
        "summary too long",
        "NUL in summary",
        "body over 10,000",
        "NUL in body",
        "unknown topic",
        "group of an inactive service",
        "point outside the city",
        "latitude without longitude",
        "latitude not a number",
        "latitude not finite",
        "longitude not finite",
    ],
)
def test_bad_input_is_refused_and_nothing_is_saved(citizen, changes, field):
    ServiceFactory(group="Closed", active=False)

    with pytest.raises(ValidationError) as refused:
        proposal_create(author=citizen, **{**VALID, **changes})

    assert field in refused.value.message_dict
    assert not Proposal.objects.exists()
    assert not ProposalFollow.objects.exists()


def test_every_bad_field_is_reported_at_once(citizen):
    with pytest.raises(ValidationError) as refused:
        proposal_create(author=citizen, title="", summary="", body="b" * (BODY_MAX + 1), topic="Spaceports")

    assert set(refused.value.message_dict) == {"title", "summary", "body", "topic"}


def test_an_unverified_citizen_cannot_publish():
    unverified = UserFactory(verified=False)

    with pytest.raises(PermissionDenied):
        proposal_create(author=unverified, **VALID)

    assert not Proposal.objects.exists()


@pytest.mark.parametrize("who", ["anonymous", "nobody", "inactive"])
def test_only_an_active_signed_in_person_can_publish(who):
    author = {"anonymous": AnonymousUser(), "nobody": None, "inactive": UserFactory(is_active=False)}[who]

    with pytest.raises(PermissionDenied):
        proposal_create(author=author, **VALID)

    assert not Proposal.objects.exists()


def test_permission_is_checked_before_the_input(db):
    with pytest.raises(PermissionDenied):
        proposal_create(author=UserFactory(verified=False), title="", summary="")
