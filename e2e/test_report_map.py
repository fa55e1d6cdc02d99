"""The map page on a phone: a filter by service and status, a legend, and a sentence with the count."""

import re

import pytest
from playwright.sync_api import expect

from services import map_tiles
from services.models import ReportStatus
from services.tests.factories import CITY_LAT, CITY_LON, ReportFactory, ServiceFactory
from services.tiles import Tile

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


@pytest.fixture
def close_reports():
    """Three reports within one 300 m square: one cluster at every zoom below street zoom, three pins above."""
    lights = ServiceFactory(service_code="streetlight", name="Broken streetlight")
    square = Tile.containing(CITY_LAT, CITY_LON, map_tiles.STREET_ZOOM + 1)  # a cell of a street-zoom tile
    places = [(0.25, 0.25), (0.5, 0.7), (0.75, 0.4)]
    return [
        ReportFactory(
            service=lights,
            lat=square.north + (square.south - square.north) * down,
            lon=square.west + (square.east - square.west) * right,
            status=state,
        )
        for (right, down), state in zip(places, [ReportStatus.OPEN, ReportStatus.OPEN, ReportStatus.RESOLVED])
    ]


def test_the_map_shows_a_cluster_at_city_zoom_and_pins_once_zoomed_in(page, close_reports):
    offline_tiles(page)
    page.goto("/reports/map/")
    cluster = page.locator(".map-cluster")
    expect(cluster).to_have_count(1)
    expect(cluster).to_have_text("3")
    expect(page.get_by_role("button", name="Show the 3 reports here")).to_have_count(1)
    expect(page.get_by_role("status")).to_have_text("3 reports shown")
    box = cluster.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44
    expect(page.locator(".map-pin")).to_have_count(0)

    # A keyboard zooms in as a tap does: Enter on the focused cluster.
    cluster.focus()
    page.keyboard.press("Enter")
    for _ in range(4):  # each tap zooms in two levels, until street zoom
        if page.locator(".map-pin").count():
            break
        expect(page.locator(".map-cluster")).to_have_count(1)
        page.locator(".map-cluster").click()
        page.wait_for_timeout(400)
    pins = page.locator(".map-pin")
    expect(pins).to_have_count(3)
    expect(page.locator(".map-cluster")).to_have_count(0)
    expect(page.locator(".map-pin .report-pin-done")).to_have_count(1)
    expect(page.get_by_role("status")).to_have_text("3 reports shown")
    assert all(pin.bounding_box()["width"] >= 44 for pin in pins.all())

    resolved = close_reports[2]
    page.get_by_role("button", name="Broken streetlight (Resolved)").click()
    expect(page.get_by_role("link", name=f"#{resolved.pk} Broken streetlight")).to_have_attribute(
        "href", f"/reports/{resolved.pk}/"
    )
