"""Proposal writes are rate-limited per person and per address, as every API write; reads are not."""

import pytest

from citizens.tests.factories import UserFactory
from proposals.models import Proposal, ProposalComment
from proposals.tests.factories import StoredProposalFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rates(settings):
    def set_rates(user: str, address: str) -> None:
        settings.WRITE_RATES = {**settings.WRITE_RATES, "user": user, "address": address}

    return set_rates


def test_a_person_over_their_write_rate_gets_a_429_on_every_kind_of_write(client, citizen, other_citizen, rates):
    rates(user="2/minute", address="300/minute")
    proposal = StoredProposalFactory(author=other_citizen)
    client.force_login(citizen)
    support = f"/api/v1/proposals/{proposal.pk}/support/"
    assert [client.post(support).status_code for _ in range(3)] == [201, 200, 429]
    response = client.delete(support)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    data = {"title": "Benches", "summary": "Places to sit."}
    assert client.post("/api/v1/proposals/", data, content_type="application/json").status_code == 429
    comment = {"body": "Hello"}
    url = f"/api/v1/proposals/{proposal.pk}/comments/"
    assert client.post(url, comment, content_type="application/json").status_code == 429
    assert Proposal.objects.count() == 1
    assert not ProposalComment.objects.exists()


def test_an_edit_counts_as_a_write(client, citizen, rates):
    rates(user="1/minute", address="300/minute")
    proposal = StoredProposalFactory(author=citizen)
    client.force_login(citizen)
    url = f"/api/v1/proposals/{proposal.pk}/"
    assert client.patch(url, {"title": "One"}, content_type="application/json").status_code == 200
    assert client.patch(url, {"title": "Two"}, content_type="application/json").status_code == 429
    assert Proposal.objects.get().title == "One"


def test_the_address_limit_counts_every_person_behind_one_address(client, citizen, other_citizen, rates):
    rates(user="100/minute", address="1/minute")
    proposal = StoredProposalFactory(author=UserFactory())
    client.force_login(citizen)
    assert client.post(f"/api/v1/proposals/{proposal.pk}/support/").status_code == 201
    client.force_login(other_citizen)
    assert client.post(f"/api/v1/proposals/{proposal.pk}/support/").status_code == 429


def test_reads_are_not_limited(client, citizen, rates):
    rates(user="1/minute", address="1/minute")
    proposal = StoredProposalFactory(author=citizen)
    client.force_login(citizen)
    for _ in range(5):
        assert client.get("/api/v1/proposals/").status_code == 200
        assert client.get(f"/api/v1/proposals/{proposal.pk}/").status_code == 200
        assert client.get(f"/api/v1/proposals/{proposal.pk}/comments/").status_code == 200
