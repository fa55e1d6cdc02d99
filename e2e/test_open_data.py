"""City staff build the open datasets from the open data page, watch the progress, and download a file."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from citizens.tests.factories import PASSWORD
from e2e.test_staff_two_factor import log_in_with_totp
from opendata.builder import snapshot_build, snapshot_start
from opendata.models import Snapshot
from services.tests.factories import ReportFactory, ServiceFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def reports(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    service = ServiceFactory(service_code="pothole", name="Pothole")
    return ReportFactory.create_batch(3, service=service, created_at=timezone.now() - timedelta(days=2))


def log_in(page, email):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("link", name="My account", include_hidden=True)).to_be_attached()


def test_staff_build_the_datasets_and_download_the_reports(page, staff, reports, tmp_path):
    log_in_with_totp(page, staff)
    page.goto("/data/")
    expect(page.get_by_text("No dataset has been published yet")).to_be_visible()
    expect(page.get_by_role("link", name="reports.csv")).to_have_count(0)

    page.get_by_role("button", name="Build the datasets now").click()

    # Celery runs in process here: the build ends before the page comes back.
    expect(page.get_by_text("The datasets are being built.")).to_be_visible()
    expect(page.locator("[data-build-status]")).to_have_text("Succeeded")
    bar = page.locator('progress[data-dataset="reports"]')
    expect(bar).to_have_attribute("max", "3")
    expect(bar).to_have_attribute("value", "3")
    progress = page.request.get("/data/build/progress/").json()
    assert progress["status"] == "succeeded"
    assert progress["datasets"]["reports"] == {"done": 3, "total": 3}

    expect(page.get_by_text("No dataset has been published yet")).to_have_count(0)
    link = page.get_by_role("link", name="reports.csv")
    expect(link).to_be_visible()
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename == "reports.csv"
    target = tmp_path / "reports.csv"
    download.save_as(target)
    content = target.read_text(encoding="utf-8")
    assert content.startswith("id,url,service_code")
    assert len(content.strip().splitlines()) == 4


def test_the_progress_bars_follow_a_running_build_then_the_page_shows_its_files(page, staff, reports):
    snapshot = snapshot_start(requested_by_role="schedule")
    log_in_with_totp(page, staff)
    page.goto("/data/")
    expect(page.locator("[data-build-status]")).to_have_text("Building")
    bar = page.locator('progress[data-dataset="reports"]')
    expect(bar).to_have_attribute("value", "0")
    expect(page.get_by_role("button", name="Build the datasets now")).to_be_visible()

    # The worker moves on: the page polls the progress and follows.
    Snapshot.objects.filter(pk=snapshot.pk).update(progress={**snapshot.progress, "reports": {"done": 2, "total": 3}})
    expect(page.locator('[data-dataset-count="reports"]')).to_have_text("2 / 3")
    assert bar.evaluate("element => element.value") == 2

    snapshot_build(snapshot)

    # Finished: the page reloads itself and offers the new files.
    expect(page.get_by_role("link", name="reports.csv")).to_be_visible()
    expect(page.locator("[data-build-status]")).to_have_text("Succeeded")
    expect(bar).to_have_attribute("value", "3")


def test_the_page_fits_a_phone_and_draws_its_charts(page, reports):
    snapshot_build(snapshot_start())
    page.goto("/data/")
    expect(page.get_by_role("img", name="Reports per month, by service")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
    page.get_by_text("The same figures as a table").first.click()
    expect(page.get_by_role("table", name="Reports per month, by service")).to_be_visible()
