"""A citizen reports an abandoned bike from a phone; staff answer; the follower is told by email."""

import re

import pytest
from django.core import mail
from PIL import Image
from playwright.sync_api import expect

from citizens.tests.factories import PASSWORD, UserFactory
from e2e.conftest import open_menu
from e2e.test_staff_two_factor import log_in_with_totp
from operators.actions import operator_save
from services.catalogue import catalogue_load
from services.models import Report, ReportPhoto
from services.tests.factories import image_upload

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def catalogue():
    return catalogue_load()


def offline_tiles(page):
    page.route(re.compile(r"^https://tile\.openstreetmap\.org/.*"), lambda route: route.fulfill(status=204))


def log_in(page, email):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("link", name="My account", include_hidden=True)).to_be_attached()


def test_a_citizen_reports_an_abandoned_bike_and_follows_the_answer(
    page, browser, live_server, catalogue, staff, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    citizen = UserFactory(email="sari@example.org", display_name="Sari")
    photo_file = tmp_path / "bike.jpg"
    photo_file.write_bytes(image_upload(exif_gps=True, size=(1200, 900)).read())
    with Image.open(photo_file) as original:
        assert original.getexif().get_ifd(0x8825), "the test photo must carry a GPS position"

    operator_save(slug="bikeshare-a", name="Kring Bike")
    offline_tiles(page)
    log_in(page, citizen.email)
    page.get_by_role("link", name="Report a problem").first.click()
    page.get_by_label("Search by keyword").fill("scooter")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name=re.compile("Abandoned share-bike")).click()

    page.get_by_label("Which operator's vehicle is it?").select_option("bikeshare-a")
    page.get_by_label("Vehicle code printed on the vehicle").fill("KB-0042")
    page.get_by_label("Is it blocking the footpath?").select_option("yes")
    expect(page.get_by_label("Latitude")).not_to_have_value("")
    page.get_by_label("What is the problem?").fill("Bike lying across the footpath <script>alert(1)</script>")
    page.get_by_label("Choose from gallery").set_input_files(str(photo_file))
    expect(page.get_by_role("img", name="Photo to send 1")).to_be_visible()
    page.get_by_role("button", name="Send report").click()

    expect(page.get_by_text("Thank you. Your report is published")).to_be_visible()
    report = Report.objects.get()
    assert page.url.endswith(f"/reports/{report.pk}/")
    expect(page.get_by_text("Bike lying across the footpath <script>alert(1)</script>")).to_be_visible()
    expect(page.get_by_role("link", name="Kring Bike")).to_be_visible()  # the operator answering for it
    expect(page.get_by_role("img", name="Photo 1 of the problem")).to_be_visible()
    photo = ReportPhoto.objects.get(report=report)
    with Image.open(photo.image.path) as stored:
        assert not stored.getexif()
        assert "exif" not in stored.info
    assert report.attributes == {"operator": "bikeshare-a", "vehicle_code": "KB-0042", "blocking_footpath": "yes"}
    min_lon, min_lat, max_lon, max_lat = settings.CITY_BOUNDS
    assert min_lat <= report.lat <= max_lat and min_lon <= report.lon <= max_lon

    open_menu(page)
    page.get_by_role("link", name="Map", exact=True).click()
    expect(page.locator("#reports-map")).to_have_attribute("data-loaded", "1")
    expect(page.locator(".leaflet-marker-icon")).to_have_count(1)

    staff_context = browser.new_context(viewport={"width": 360, "height": 740}, base_url=live_server.url)
    staff_page = staff_context.new_page()
    offline_tiles(staff_page)
    log_in_with_totp(staff_page, staff)
    staff_page.goto(f"/reports/{report.pk}/")
    staff_page.get_by_label("New status").select_option("in_progress")
    staff_page.get_by_label("Public note").fill("A crew will collect the bike today.")
    staff_page.get_by_role("button", name="Change status").click()
    expect(staff_page.get_by_text("A crew will collect the bike today.")).to_be_visible()
    staff_context.close()

    page.goto(f"/reports/{report.pk}/")
    expect(page.get_by_text("Status: In progress")).to_be_visible()
    emails = [message for message in mail.outbox if message.to == ["sari@example.org"]]
    # First the news that the report went to the operator she named, then the city's answer.
    assert [message.subject for message in emails] == [
        f"News on report #{report.pk}",
        f"Report #{report.pk} is now: In progress",
    ]
    assert "Sent to Kring Bike, the operator the reporter named." in emails[0].body
    emails = emails[1:]
    assert "A crew will collect the bike today." in emails[0].body
    assert "/unfollow/" in emails[0].body


def test_the_report_form_speaks_indonesian(page, catalogue):
    citizen = UserFactory(preferred_language="id")
    offline_tiles(page)
    log_in_id = page.goto("/accounts/login/")
    assert log_in_id.ok
    page.get_by_label("Email").fill(citizen.email)
    page.get_by_label(re.compile("^(Password|Kata sandi)")).first.fill(PASSWORD)
    page.locator("form[action='/accounts/login/'] button[type=submit]").click()
    page.goto("/report/abandoned-vehicle/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sepeda atau skuter sewa terbengkalai")
    expect(page.get_by_label("Kendaraan operator mana?")).to_be_visible()
    expect(page.get_by_role("button", name="Kirim laporan")).to_be_visible()
