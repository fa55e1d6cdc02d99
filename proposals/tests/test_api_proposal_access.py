"""Every proposal write needs a signed-in person with a confirmed email address; reads need no account."""

import pytest

from citizens.tests.factories import UserFactory
from proposals.models import Proposal, ProposalComment, Support
from proposals.tests.factories import StoredProposalFactory

pytestmark = pytest.mark.django_db


WRITES = {
    "publish": ("post", "/api/v1/proposals/", {"title": "Benches", "summary": "Places to sit."}),
    "edit": ("patch", "/api/v1/proposals/{id}/", {"title": "Changed"}),
    "support": ("post", "/api/v1/proposals/{id}/support/", {}),
    "withdraw support": ("delete", "/api/v1/proposals/{id}/support/", None),
    "comment": ("post", "/api/v1/proposals/{id}/comments/", {"body": "Hello"}),
}


def send(client, method, path, data, proposal):
    url = path.format(id=proposal.pk)
    if data is None:
        return getattr(client, method)(url)
    return getattr(client, method)(url, data, content_type="application/json")


def assert_nothing_written(proposal, supporter):
    assert list(Proposal.objects.values_list("pk", "title")) == [(proposal.pk, "Shade trees on Jl. Braga")]
    assert list(Support.objects.values_list("user_id", flat=True)) == [supporter.pk]
    assert not ProposalComment.objects.exists()


@pytest.mark.parametrize("method, path, data", WRITES.values(), ids=WRITES.keys())
def test_an_anonymous_visitor_cannot_write(client, citizen, method, path, data):
    proposal = StoredProposalFactory(author=citizen)
    Support.objects.create(proposal=proposal, user=citizen)
    response = send(client, method, path, data, proposal)
    assert response.status_code in (401, 403)
    assert "detail" in response.json()
    assert_nothing_written(proposal, citizen)


@pytest.mark.parametrize("method, path, data", WRITES.values(), ids=WRITES.keys())
def test_a_person_whose_email_is_unconfirmed_gets_a_403_saying_so(client, method, path, data):
    unverified = UserFactory(verified=False)
    proposal = StoredProposalFactory(author=unverified)
    Support.objects.create(proposal=proposal, user=unverified)
    client.force_login(unverified)
    response = send(client, method, path, data, proposal)
    assert response.status_code == 403
    assert response.json()["detail"] == "Confirm your email address before you contribute."
    assert_nothing_written(proposal, unverified)


def test_a_deactivated_account_cannot_write(client, citizen):
    proposal = StoredProposalFactory(author=citizen)
    citizen.is_active = False
    citizen.save(update_fields=["is_active"])
    client.force_login(citizen)
    assert client.post(f"/api/v1/proposals/{proposal.pk}/support/").status_code in (401, 403)
    assert not Support.objects.exists()


def test_reads_need_no_account(client, citizen):
    proposal = StoredProposalFactory(author=citizen)
    for url in (
        "/api/v1/proposals/",
        f"/api/v1/proposals/{proposal.pk}/",
        f"/api/v1/proposals/{proposal.pk}/comments/",
    ):
        assert client.get(url).status_code == 200, url
