"""A new citizen signs up, verifies the email, logs in and switches to Bahasa Indonesia."""

import pytest
from django.core import mail
from playwright.sync_api import expect

from citizens.models import User
from e2e.conftest import link_in_last_email, open_menu

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "jalan-braga-2026!"


def test_sign_up_verify_log_in_and_read_the_site_in_indonesian(page):
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your city, made together")

    page.get_by_role("main").get_by_role("link", name="Sign up").click()
    page.get_by_label("Email").fill("wulan@example.org")
    page.get_by_label("Display name").fill("Wulan")
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again):").fill("a-different-password-1")
    page.get_by_role("button", name="Sign up").click()
    # The error sits beside the field and what was typed is kept.
    expect(page.get_by_text("You must type the same password each time.")).to_be_visible()
    expect(page.get_by_label("Email")).to_have_value("wulan@example.org")
    expect(page.get_by_label("Display name")).to_have_value("Wulan")

    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again):").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", name="Verify Your Email Address")).to_be_visible()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["wulan@example.org"]

    page.goto(link_in_last_email("/accounts/confirm-email/"))
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("link", name="My account", include_hidden=True)).to_be_attached()
    assert User.objects.get(email="wulan@example.org").has_verified_email()

    open_menu(page)
    page.get_by_role("button", name="Log out").click()
    page.get_by_role("main").get_by_role("link", name="Log in").click()
    page.get_by_label("Email").fill("WULAN@example.org")
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("link", name="My account", include_hidden=True)).to_be_attached()

    open_menu(page)
    page.get_by_label("Language").select_option("id")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kota Anda, dibangun bersama")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.get_by_role("link", name="Akun saya", include_hidden=True)).to_be_attached()
    assert User.objects.get(email="wulan@example.org").preferred_language == "id"


def test_the_home_page_fits_a_phone_screen(page):
    page.goto("/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the page is {width}px wide on a 360px screen"
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
