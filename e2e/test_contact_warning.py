"""Before publishing contact details, the citizen is warned on their phone; the public sees them redacted."""

import pytest
from playwright.sync_api import expect

from citizens.tests.factories import PASSWORD, UserFactory
from proposals.models import ProposalComment
from proposals.tests.factories import ProposalFactory
from services.models import Report
from services.tests.factories import ServiceFactory

pytestmark = pytest.mark.django_db(transaction=True)

WARNING = "This looks like a phone number, an email address or an identity number."


def log_in(page, email):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("link", name="My account", include_hidden=True)).to_be_attached()


def test_a_phone_number_in_a_report_is_warned_about_then_sent_and_published_redacted(page, browser, live_server):
    ServiceFactory(service_code="streetlight", name="Broken streetlight")
    citizen = UserFactory(email="rina@example.org")
    log_in(page, citizen.email)
    page.goto("/report/streetlight/")
    page.get_by_label("Address or landmark").fill("Jl. Braga 12")
    page.get_by_label("What is the problem?").fill("Dark since Monday. Call me on 0812 34 56 78 90.")
    page.get_by_role("button", name="Send report").click()

    expect(page.get_by_role("alert").filter(has_text=WARNING)).to_be_visible()
    assert not Report.objects.exists()

    page.get_by_role("button", name="Send report").click()
    expect(page.get_by_text("Thank you. Your report is published")).to_be_visible()
    report = Report.objects.get()
    assert report.description.endswith("0812 34 56 78 90.")
    expect(page.get_by_text("Call me on 0812 34 56 78 90.")).to_be_visible()  # the author reads the original

    anonymous = browser.new_context(viewport={"width": 360, "height": 740}, base_url=live_server.url).new_page()
    anonymous.goto(f"/reports/{report.pk}/")
    expect(anonymous.get_by_text("Call me on [redacted].")).to_be_visible()


def test_ordinary_text_is_sent_without_a_warning_and_an_email_in_a_comment_is_warned_about(page):
    proposal = ProposalFactory(title="More benches in Taman Lansia")
    citizen = UserFactory(email="dodi@example.org")
    log_in(page, citizen.email)
    page.goto(f"/proposals/{proposal.pk}/")
    comment = page.get_by_label("Your comment")
    comment.fill("Write to me: dodi [at] example [dot] com")
    page.get_by_role("button", name="Publish comment").click()
    expect(page.get_by_role("alert").filter(has_text=WARNING)).to_be_visible()
    assert not ProposalComment.objects.exists()

    comment.fill("Yes, near the fountain, open 08.00 - 17.00 since 2026-11-02.")  # the warning goes with the edit
    expect(page.get_by_role("alert").filter(has_text=WARNING)).to_have_count(0)
    page.get_by_role("button", name="Publish comment").click()
    expect(page.get_by_text("near the fountain, open 08.00 - 17.00")).to_be_visible()
    assert ProposalComment.objects.count() == 1
