"""On a phone: a staff member makes an API token after TOTP and sees its dates; a citizen who writes
too fast is told to wait, on a page of ours."""

import re
import urllib.request

import pytest
from playwright.sync_api import expect

from citizens.tests.factories import PASSWORD, UserFactory
from e2e.conftest import open_menu
from e2e.test_staff_two_factor import log_in_with_totp
from services.models import ReportComment
from services.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_staff_make_a_token_after_totp_and_see_when_it_expires_and_was_last_used(page, live_server, staff, settings):
    settings.STAFF_API_TOKEN_DAYS = 90
    report = ReportFactory()
    log_in_with_totp(page, staff)
    open_menu(page)
    page.get_by_role("link", name="My account").click()
    expect(page.get_by_text("it expires after 90 days")).to_be_visible()

    page.get_by_role("button", name="Create a token").click()
    shown = page.get_by_text(re.compile(r"Your new API token is \w+\."))
    expect(shown).to_be_visible()
    key = re.search(r"Your new API token is (\w+)\.", shown.inner_text()).group(1)
    expect(page.locator(".token-facts")).to_contain_text("Never")

    request = urllib.request.Request(
        f"{live_server.url}/api/v1/reports/{report.pk}/follow/",
        method="POST",
        headers={"Authorization": f"Token {key}"},
    )
    assert urllib.request.urlopen(request).status == 201

    page.reload()
    facts = page.locator(".token-facts")
    expect(facts).not_to_contain_text("Never")
    expect(page.get_by_role("button", name="Revoke my token")).to_be_visible()


def test_a_citizen_who_comments_too_fast_is_told_to_wait_and_nothing_is_saved(page, settings):
    settings.WRITE_RATES = {**settings.WRITE_RATES, "user": "1/minute"}
    citizen = UserFactory(display_name="Quick Fingers")
    report = ReportFactory()
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(citizen.email)
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    for text in ("First comment", "Second comment"):
        page.goto(f"/reports/{report.pk}/")
        page.get_by_label("Your comment").fill(text)
        page.get_by_role("button", name="Publish comment").click()

    expect(page.get_by_role("heading", name="Too many requests")).to_be_visible()
    expect(page.get_by_text("Nothing was saved this time")).to_be_visible()
    assert list(ReportComment.objects.values_list("body", flat=True)) == ["First comment"]
