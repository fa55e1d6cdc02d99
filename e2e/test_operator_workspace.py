"""Operator staff work their queue on a phone: they open the workspace from the menu, find the
bike on the list and the map, and mark it removed; the citizen who reported it sees the answer on
the report's page and gets an email saying the operator wrote. The workspace pages pass the same
accessibility checks as the rest of the site (e2e/test_accessibility.py)."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from citizens.tests.factories import UserFactory
from conftest import skip_unless_available
from e2e.conftest import PHONE, open_menu
from e2e.test_report_flow import log_in
from operators.models import Assignment
from operators.tests.factories import operator_with_staff
from services import actions
from services.models import ReportStatus
from services.tests.factories import CITY_LAT, CITY_LON

pytestmark = pytest.mark.django_db(transaction=True)


def offline_tiles(page):
    page.route(re.compile(r"^https?://[^/]*tile[^/]*/.*"), lambda route: route.fulfill(status=204))


@pytest.fixture
def routed_bike():
    """Kring with one staff account, and a citizen's report of a Kring bike, routed to Kring."""
    _operator, staff = operator_with_staff("kring", name="Kring Bike")
    citizen = UserFactory(email="sari@example.org", display_name="Sari Citizen")
    report = actions.report_create(
        service_code="abandoned-vehicle",
        lat=CITY_LAT,
        lon=CITY_LON,
        description="Bike lying across the footpath, call me on 0812 3456 7890",
        attributes={"blocking_footpath": "yes", "operator": "kring"},
        reporter=citizen,
        show_name=True,
    )
    assert Assignment.objects.get(report=report).operator.slug == "kring"  # routed after commit
    mail.outbox.clear()
    return staff, citizen, report


def test_operator_staff_mark_a_bike_removed_and_the_citizen_is_told(page, browser, live_server, routed_bike):
    staff, citizen, report = routed_bike
    offline_tiles(page)
    log_in(page, staff.email)
    open_menu(page)
    page.get_by_role("link", name="Operator workspace").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Reports for Kring Bike")
    expect(page.locator("#queue-map")).to_have_attribute("data-loaded", "1")
    expect(page.locator(".leaflet-marker-icon")).to_have_count(1)
    item = page.locator(".queue-item")
    expect(item).to_contain_text("left")
    expect(item).to_contain_text("call me on [redacted]")
    expect(item).to_contain_text("Chosen by the reporter")
    assert "Sari Citizen" not in page.content() and "sari@example.org" not in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "nothing wider than the phone"

    item.get_by_role("link", name=re.compile(f"#{report.pk}")).click()
    page.get_by_label("What did you do?").select_option("removed")
    page.get_by_label("Public note").fill("Taken to our depot.")
    page.get_by_role("button", name="Send the answer").click()
    expect(page.get_by_text(f"Report #{report.pk}: Removed.")).to_be_visible()
    expect(page.get_by_text("No open reports: nothing is waiting for you.")).to_be_visible()
    page.get_by_role("link", name="Recently resolved").click()
    expect(page.locator(".queue-item")).to_contain_text("Removed on")

    report.refresh_from_db()
    assert report.status == ReportStatus.RESOLVED

    citizen_context = browser.new_context(viewport=PHONE, base_url=live_server.url, locale="en-US")
    citizen_page = citizen_context.new_page()
    offline_tiles(citizen_page)
    log_in(citizen_page, citizen.email)
    citizen_page.goto(f"/reports/{report.pk}/")
    expect(citizen_page.get_by_text("Status: Resolved")).to_be_visible()
    expect(citizen_page.get_by_text("The operator removed the vehicle. Taken to our depot.")).to_be_visible()
    expect(citizen_page.get_by_role("link", name="Kring Bike")).to_have_attribute("href", "/operators/kring/")
    expect(citizen_page.get_by_role("button", name="The vehicle is still there — reopen")).to_be_visible()
    citizen_context.close()

    emails = [message for message in mail.outbox if message.to == ["sari@example.org"]]
    assert len(emails) == 1
    assert f"Report #{report.pk}" in emails[0].subject
    assert "Note from the operator:\nThe operator removed the vehicle. Taken to our depot." in emails[0].body


def test_the_workspace_pages_pass_the_accessibility_checks(page, routed_bike):
    from e2e.test_accessibility import AXE, AXE_URL, check_every_page

    if not AXE.exists():
        skip_unless_available(f"axe-core not found at {AXE}: run 'npm ci' (make test does)")
    staff, _citizen, report = routed_bike
    offline_tiles(page)
    page.context.route(f"**{AXE_URL}", lambda route: route.fulfill(path=str(AXE), content_type="text/javascript"))
    log_in(page, staff.email)
    problems = check_every_page(page, ["/operator/", f"/operator/reports/{report.pk}/", "/operator/resolved/"])
    assert not problems, "axe-core found violations:\n" + "\n".join(problems)
