"""On a phone, a citizen downloads their data, then deletes their account and cannot log in again."""

import json

import pytest
from django.core import mail
from playwright.sync_api import expect

from citizens.models import User
from citizens.tests.factories import PASSWORD, UserFactory
from e2e.conftest import open_menu
from services.models import Report
from services.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(page, email):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_a_citizen_downloads_their_data_then_deletes_the_account(page):
    citizen = UserFactory(email="dewi@example.org", display_name="Dewi")
    report = ReportFactory(reporter=citizen, description="Flooded underpass on Jalan Pasteur")

    log_in(page, citizen.email)
    open_menu(page)
    page.get_by_role("link", name="My account").click()
    expect(page.get_by_role("heading", name="Your data")).to_be_visible()
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download my data").click()
    download = download_info.value
    assert download.suggested_filename == "cocreate-my-data.json"
    with open(download.path(), encoding="utf-8") as file:
        data = json.load(file)
    assert data["account"]["email"] == "dewi@example.org"
    assert [item["description"] for item in data["reports"]] == ["Flooded underpass on Jalan Pasteur"]

    page.get_by_role("link", name="Delete my account…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Delete your account?")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the page is {width}px wide on a 360px screen"
    page.get_by_label("Your email address").fill("dewi@example.org")
    page.get_by_label("Your password").fill("not-my-password")
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_text("This is not your password.")).to_be_visible()
    assert User.objects.filter(email="dewi@example.org").exists()

    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your city, made together")
    expect(page.get_by_text("Your account has been deleted.")).to_be_visible()
    expect(page.get_by_role("link", name="My account", include_hidden=True)).to_have_count(0)
    assert not User.objects.filter(email="dewi@example.org").exists()
    assert Report.objects.get(pk=report.pk).reporter_id is None
    assert [message.to for message in mail.outbox] == [["dewi@example.org"]]

    log_in(page, "dewi@example.org")
    expect(page.get_by_text("The email address and/or password you specified are not correct.")).to_be_visible()
