"""The map page on a phone: a filter by service and status, a legend, and a sentence with the count."""

import re

import pytest
from playwright.sync_api import expect

from services.models import ReportStatus
from services.tests.factories import ReportFactory, ServiceFactory

pytestmark = pytest.mark.django_db(transaction=True)


def offline_tiles(page):
    page.route(re.compile(r"^https?://[^/]*tile[^/]*/.*"), lambda route: route.fulfill(status=204))


@pytest.fixture
def reports():
    lights = ServiceFactory(service_code="streetlight", name="Broken streetlight", name_ind="Lampu jalan rusak")
    holes = ServiceFactory(service_code="pothole", name="Pothole", name_ind="Jalan berlubang")
    ReportFactory.create_batch(2, service=lights, status=ReportStatus.OPEN)
    ReportFactory(service=lights, status=ReportStatus.RESOLVED)
    ReportFactory(service=holes, status=ReportStatus.OPEN)


def test_the_map_filters_by_service_and_status_and_says_how_many_are_shown(page, reports):
    offline_tiles(page)
    page.goto("/reports/map/")
    expect(page.get_by_role("status")).to_have_text("4 reports shown")
    expect(page.get_by_role("heading", name="Legend")).to_be_visible()
    expect(page.get_by_text("Resolved or closed")).to_be_visible()

    page.get_by_label("Service").select_option(label="Broken streetlight")
    expect(page.get_by_role("status")).to_have_text("3 reports shown")
    page.get_by_label("Status").select_option("resolved")
    expect(page.get_by_role("status")).to_have_text("1 report shown")
    expect(page).to_have_url(re.compile(r"/reports/map/\?service=streetlight&status=resolved$"))
    expect(page.get_by_role("link", name="See them as a list")).to_have_attribute(
        "href", "/reports/?service=streetlight&status=resolved"
    )
    expect(page.get_by_role("button", name="Apply filters")).to_be_hidden()

    # The filters survive a reload, and the zoom buttons are big enough for a thumb.
    page.reload()
    expect(page.get_by_role("status")).to_have_text("1 report shown")
    zoom_in = page.get_by_role("button", name="Zoom in")
    box = zoom_in.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44
    credits = page.locator(".leaflet-control-attribution").bounding_box()
    assert credits["height"] <= 20, "the map credits wrap onto a second line"


def test_the_map_speaks_indonesian(page, reports, live_server):
    offline_tiles(page)
    page.context.add_cookies([{"name": "django_language", "value": "id", "url": live_server.url}])
    page.goto("/reports/map/")
    expect(page.get_by_role("status")).to_have_text("4 laporan ditampilkan")
    expect(page.get_by_role("button", name="Perbesar")).to_be_visible()
    expect(page.get_by_role("button", name="Perkecil")).to_be_visible()
    page.get_by_label("Layanan").select_option(label="Jalan berlubang")
    expect(page.get_by_role("status")).to_have_text("1 laporan ditampilkan")
