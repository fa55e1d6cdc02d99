"""The operator pages on a phone: the comparison page and one operator's page fit 360 px, draw
their charts, show the hot-spot map with its circles, and log no console error (a CSP violation
is logged as one)."""

from __future__ import annotations

import base64
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from e2e.conftest import PHONE
from operators.models import FeedState
from operators.tests.factories import OperatorFactory, VehicleFactory
from operators.tests.figures import AssignmentFactory, BreachFactory, FleetDayFactory, resolved
from services.tests.factories import CITY_LAT, CITY_LON

pytestmark = pytest.mark.django_db(transaction=True)

# A 1×1 transparent PNG: every map tile, so no request leaves the machine.
TILE = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=")
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || "inline"}`);
});
"""
METRE = 1 / 111_320


@pytest.fixture
def operators():
    now = timezone.now()
    kring = OperatorFactory(
        slug="kring",
        name="Kring Bikes",
        permit_number="DISHUB/2026/017",
        fine_per_breach=Decimal("250000"),
        feed_state=FeedState.FAILING,
        feed_error="HTTP 503",
        feed_error_code="http_error",
    )
    kring.vehicle_types.create(form_factor="bicycle", fleet_cap=300)
    roda = OperatorFactory(slug="roda", name="Roda Scooters")
    for operator, hours in ((kring, 5), (roda, 30)):
        resolved(operator, now - timedelta(days=3), hours)
        AssignmentFactory(operator=operator, assigned_at=now - timedelta(days=2))
        for back in range(10):
            FleetDayFactory(
                operator=operator,
                day=timezone.localdate() - timedelta(days=back),
                vehicles_peak=280 + 5 * back,
                fleet_cap=300,
            )
    BreachFactory(operator=kring)
    idle_since = now - timedelta(hours=60)
    for step in range(3):
        VehicleFactory(operator=kring, lat=CITY_LAT + step * 10 * METRE, lon=CITY_LON, first_seen_at=idle_since)
    for step in range(2):
        VehicleFactory(operator=kring, lat=CITY_LAT + 0.01, lon=CITY_LON + step * 10 * METRE, first_seen_at=idle_since)
    return kring, roda


@pytest.fixture
def errors(page):
    found: list[str] = []
    page.context.add_init_script(CSP_LISTENER)
    page.route(
        re.compile(r"^https?://[^/]*tile[^/]*/.*"), lambda route: route.fulfill(body=TILE, content_type="image/png")
    )
    page.on("console", lambda message: found.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: found.append(f"uncaught: {error}"))
    return found


def fits_a_phone(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_the_comparison_page_fits_a_phone_with_its_table_and_charts(page, operators, errors):
    page.goto("/operators/")

    expect(page.get_by_role("heading", name="Mobility operators", level=1)).to_be_visible()
    table = page.get_by_role("table", name="How each operator answers reports, and its fleet")
    expect(table.get_by_role("rowheader")).to_have_count(2)
    expect(page.get_by_role("img", name="Reports answered in time")).to_be_visible()
    expect(page.get_by_role("img", name="Median time to resolve a report")).to_be_visible()
    fits_a_phone(page)

    page.get_by_role("link", name="Kring Bikes").click()
    expect(page).to_have_url(re.compile(r"/operators/kring/$"))
    assert errors == []


def test_an_operator_page_shows_its_permit_charts_feed_and_hot_spot_map(page, operators, errors):
    page.goto("/operators/kring/")

    expect(page.get_by_role("heading", name="Kring Bikes", level=1)).to_be_visible()
    expect(page.get_by_text("DISHUB/2026/017")).to_be_visible()
    expect(page.get_by_role("img", name="Vehicles each day")).to_be_visible()
    expect(page.get_by_role("img", name="Missed deadlines by month")).to_be_visible()
    expect(page.get_by_text("The feed's server answered with an error.")).to_be_visible()

    hotspot_map = page.get_by_role("region", name="Map of idle-vehicle hot spots")
    hotspot_map.scroll_into_view_if_needed()
    expect(hotspot_map).to_have_attribute("data-loaded", "2")
    expect(hotspot_map.locator("path.leaflet-interactive")).to_have_count(2)
    box = hotspot_map.bounding_box()
    assert box["width"] > 300 and box["height"] >= 200
    hotspot_map.locator("path.leaflet-interactive").first.hover()
    expect(page.locator(".leaflet-tooltip")).to_have_text("3 idle vehicles")
    expect(page.get_by_role("table", name="Hot spots").get_by_role("row")).to_have_count(3)
    fits_a_phone(page)
    assert errors == []


def test_the_menu_leads_to_the_operators(page, operators, errors):
    page.goto("/")
    page.locator("details.site-menu summary").click()
    page.get_by_role("link", name="Operators").click()

    expect(page).to_have_url(re.compile(r"/operators/$"))
    assert errors == []
