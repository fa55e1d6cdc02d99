"""An author opens their own proposal: no support button, the reason instead; a forged support is refused."""

import pytest
from playwright.sync_api import expect

from citizens.tests.factories import PASSWORD, UserFactory
from proposals.models import Support
from proposals.tests.factories import ProposalFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_author_cannot_support_their_own_proposal(page):
    author = UserFactory(email="rina@example.org")
    proposal = ProposalFactory(author=author, title="Benches at the bus stops")
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(author.email)
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    page.goto(proposal.get_absolute_url())
    expect(page.get_by_text("This is your proposal, so you cannot support it yourself")).to_be_visible()
    expect(page.get_by_role("button", name="Support", exact=True)).to_have_count(0)

    # A support sent anyway (an old tab, a crafted request) is refused with the reason.
    answer = page.evaluate(
        """async (url) => {
            const token = document.querySelector("input[name=csrfmiddlewaretoken]").value;
            const response = await fetch(url, {method: "POST", headers: {"X-CSRFToken": token,
                "Accept": "application/json", "X-Requested-With": "XMLHttpRequest"}});
            return {status: response.status, body: await response.json()};
        }""",
        f"/proposals/{proposal.pk}/support/",
    )
    assert answer["status"] == 403
    assert answer["body"]["message"].startswith("You cannot support your own proposal")
    assert not Support.objects.exists()
