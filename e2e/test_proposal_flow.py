"""Citizens propose and support from their phones; the city answers; the author is told by email."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from citizens.tests.factories import PASSWORD, UserFactory
from e2e.conftest import PHONE, open_menu
from e2e.test_staff_two_factor import log_in_with_totp
from proposals.models import Proposal, ProposalComment
from proposals.tests.factories import ProposalFactory

pytestmark = pytest.mark.django_db(transaction=True)

TITLE = "Shade trees on Jalan Braga"


def log_in(page, email):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("link", name="My account", include_hidden=True)).to_be_attached()


def test_citizens_propose_and_support_and_the_city_answers(page, browser, live_server, staff, settings):
    settings.PROPOSAL_SUPPORT_THRESHOLD = 3
    author = UserFactory(email="ayu@example.org", display_name="Ayu")
    supporter = UserFactory(email="budi@example.org", display_name="Budi")

    # A proposes.
    log_in(page, author.email)
    open_menu(page)
    page.get_by_role("link", name="Proposals", exact=True).click()
    page.get_by_role("link", name="Make a proposal").click()
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Summary").fill("Plant trees so that people can walk in the shade at noon.")
    page.get_by_label("Your proposal in detail").fill("The pavement is **too hot**.\n\n<script>alert(1)</script>")
    page.get_by_label("Topic").select_option("other")
    page.get_by_label("Show my display name on this proposal").check()
    page.get_by_role("button", name="Publish proposal").click()
    expect(page.get_by_text("Thank you. Your proposal is published")).to_be_visible()
    proposal = Proposal.objects.get()
    assert page.url.endswith(f"/proposals/{proposal.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator(".proposal-body strong")).to_have_text("too hot")
    expect(page.get_by_text("<script>alert(1)</script>")).to_be_visible()

    # B supports without a reload, then comments.
    supporter_context = browser.new_context(viewport=PHONE, base_url=live_server.url)
    other = supporter_context.new_page()
    log_in(other, supporter.email)
    other.goto("/proposals/")
    other.get_by_role("link", name=TITLE).click()
    expect(other.locator("#support-count")).to_have_text("0")
    # The button is sent without a reload once the page's script has taken over the form.
    expect(other.locator("form[data-support-form='support']")).to_have_attribute("data-enhanced", "true")
    other.evaluate("window.supportMarker = 'still here'")
    other.get_by_role("button", name="Support", exact=True).click()
    expect(other.locator("#support-count")).to_have_text("1")
    expect(other.locator("#support-progress")).to_have_js_property("value", 1)
    expect(other.get_by_role("button", name="Withdraw my support")).to_be_visible()
    expect(other.get_by_role("button", name="Support", exact=True)).to_be_hidden()
    expect(other.locator("#support-message")).to_have_text("Thank you for your support.")
    assert other.evaluate("window.supportMarker") == "still here", "the page reloaded"
    other.get_by_label("Your comment").fill("Yes please, the pavement is too hot.")
    other.get_by_role("button", name="Publish comment").click()
    expect(other.get_by_text("Your comment is published.")).to_be_visible()
    expect(other.locator(".comment-text")).to_have_text("Yes please, the pavement is too hot.")
    assert ProposalComment.objects.get().author == supporter
    supporter_context.close()

    # C, city staff, answers.
    staff_context = browser.new_context(viewport=PHONE, base_url=live_server.url)
    city = staff_context.new_page()
    log_in_with_totp(city, staff)
    city.goto(f"/proposals/{proposal.pk}/")
    city.get_by_label("New status").select_option("accepted")
    city.get_by_label("Official answer").fill("We will plant forty trees in March.")
    city.get_by_role("button", name="Publish the answer").click()
    expect(city.get_by_text("The answer is published")).to_be_visible()
    staff_context.close()

    # A sees the answer and was told by email.
    page.reload()
    answer = page.locator("section.official-answer")
    expect(answer).to_contain_text("We will plant forty trees in March.")
    expect(answer).to_contain_text("Accepted")
    expect(page.locator("#proposal-status")).to_have_text("Accepted")
    emails = [message for message in mail.outbox if message.to == [author.email]]
    assert len(emails) == 1
    assert TITLE in emails[0].subject and TITLE in emails[0].body
    assert "We will plant forty trees in March." in emails[0].body
    assert any(message.to == [supporter.email] for message in mail.outbox)


def test_the_proposal_pages_speak_indonesian(page):
    citizen = UserFactory(preferred_language="id")
    proposal = ProposalFactory(title="Pohon peneduh di Jalan Braga")
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(citizen.email)
    page.get_by_label(re.compile("^(Password|Kata sandi)")).first.fill(PASSWORD)
    page.locator("form[action='/accounts/login/'] button[type=submit]").click()
    page.goto("/proposals/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Usulan")
    expect(page.get_by_role("link", name="Buat usulan")).to_be_visible()
    page.goto(f"/proposals/{proposal.pk}/")
    expect(page.get_by_role("button", name="Dukung", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Riwayat")).to_be_visible()
    expect(page.get_by_role("heading", name="Komentar", exact=True)).to_be_visible()
