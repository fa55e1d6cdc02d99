"""A staff member is made to set up TOTP before the administration opens or a staff power acts."""

import re

import pytest
from allauth.mfa.totp.internal.auth import (
    TOTP,
    generate_totp_secret,
)
from playwright.sync_api import expect

from citizens.tests.factories import PASSWORD
from citizens.tests.two_factor import current_code
from services.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db(transaction=True)


def log_in_with_totp(page, user, start: str = "/accounts/login/") -> None:
    """Set TOTP up for a staff account, then sign in from ``start`` with password and code as staff do."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    page.goto(start)
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
    page.get_by_label("Code").fill(current_code(secret))
    page.get_by_role("button", name="Log in").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/"))


def test_staff_without_totp_are_sent_to_set_it_up_before_changing_a_status(page, staff):
    report = ReportFactory()
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(staff.email)
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"/reports/{report.pk}/")
    page.get_by_label("New status").select_option("in_progress")
    page.get_by_role("button", name="Change status").click()

    expect(page.get_by_text("Staff powers need two-factor authentication")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/accounts/(reauthenticate|2fa/totp/activate)/"))
    report.refresh_from_db()
    assert report.status == "open"


def test_staff_must_set_up_totp_before_the_admin(page, staff):
    page.goto("/admin/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
    page.get_by_label("Email").fill(staff.email)
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    expect(page.get_by_text("Set up two-factor authentication before you use the administration.")).to_be_visible()
    # Changing two-factor settings asks for the password again (allauth's reauthentication).
    expect(page).to_have_url(re.compile(r"/accounts/reauthenticate/"))
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/totp/activate/"))
    secret = page.locator("#authenticator_secret").input_value()
    page.get_by_label("Authenticator code").fill(current_code(secret))
    page.get_by_role("button", name="Activate").click()

    page.goto("/admin/")
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()
