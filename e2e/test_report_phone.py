"""Reporting from a phone in the street: the place first, few taps, a visitor confirms by email,
a report made offline waits on the phone, and a refused form keeps everything, photos included."""

import re

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.test import Client
from PIL import Image
from playwright.sync_api import expect

from citizens.tests.factories import UserFactory
from e2e.conftest import PHONE, link_in_last_email
from services.catalogue import catalogue_load
from services.models import Report, ReportPhoto

pytestmark = pytest.mark.django_db(transaction=True)

HERE = {"latitude": -6.9175, "longitude": 107.6191}  # Jalan Asia Afrika, inside the default city bounds
TILES = re.compile(r"^https://tile\.openstreetmap\.org/.*")


@pytest.fixture
def catalogue():
    return catalogue_load()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def phone(browser, live_server):
    """A phone-sized browser that knows where it is (the person allowed the site their location)."""
    context = browser.new_context(
        viewport=PHONE,
        base_url=live_server.url,
        locale="en-US",
        geolocation=HERE,
        permissions=["geolocation"],
        has_touch=True,
    )
    context.set_default_timeout(15_000)
    context.route(TILES, lambda route: route.fulfill(status=204))
    yield context
    context.close()


def sign_in(context, live_server, user):
    client = Client()
    client.force_login(user)
    session = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": django_settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}])


def street_photo(path, size=(3000, 2250)):
    """A phone-camera-sized JPEG with some texture, so that its size is realistic."""
    Image.effect_noise((size[0] // 10, size[1] // 10), 60).convert("RGB").resize(size).save(path, quality=92)
    return path


def answer_the_scooter_questions_and_send(page):
    page.get_by_label("Which operator's vehicle is it?").select_option("scoot-b")
    page.get_by_label("Is it blocking the footpath?").select_option("yes")
    page.get_by_role("button", name="Send report").click()
    expect(page.get_by_text("Thank you. Your report is published")).to_be_visible()


def assert_published_with_one_photo(description):
    report = Report.objects.get()
    assert report.description == description
    assert ReportPhoto.objects.filter(report=report, state=ReportPhoto.State.READY).count() == 1


def test_a_signed_in_citizen_reports_with_one_photo_in_at_most_six_taps(phone, live_server, catalogue, media, tmp_path):
    citizen = UserFactory()
    sign_in(phone, live_server, citizen)
    photo = street_photo(tmp_path / "light.jpg")
    page = phone.new_page()
    page.goto("/")
    taps = []

    def tap(locator, what):
        locator.click()
        taps.append(what)

    tap(page.get_by_role("link", name="Report a problem").first, "report a problem")
    # The map opens at street zoom on the phone's position: the pin at its centre is the place.
    expect(page.locator("#id_lat")).to_have_value(f"{HERE['latitude']:.6f}")
    expect(page.get_by_role("link", name=re.compile("Streetlight out"))).to_have_attribute(
        "href", re.compile(r"lat=-6\.917500&lon=107\.619100")
    )
    tap(page.get_by_role("link", name=re.compile("Streetlight out")), "the kind of problem")
    with page.expect_file_chooser() as chooser:
        tap(page.locator("label[for=id_photos]"), "take a photo")
    assert chooser.value.element.get_attribute("capture") == "environment"
    chooser.value.set_files(str(photo))
    expect(page.get_by_role("img", name="Photo to send 1")).to_be_visible()
    sent = page.evaluate(
        """() => { const file = document.getElementById('id_photos').files[0];
                   return createImageBitmap(file).then(b => [b.width, b.height, file.size, file.type]); }"""
    )
    tap(page.get_by_label("What is the problem?"), "the description")
    page.keyboard.type("The lamp at the crossing is dark all night.")
    tap(page.get_by_role("button", name="Send report"), "send")

    expect(page.get_by_text("Thank you. Your report is published")).to_be_visible()
    report = Report.objects.get()
    assert report.reporter == citizen
    assert report.service.service_code == "streetlight"
    assert (round(report.lat, 6), round(report.lon, 6)) == (HERE["latitude"], HERE["longitude"])
    assert ReportPhoto.objects.filter(report=report).count() == 1
    original = photo.stat().st_size
    print(f"\nTaps to report with one photo: {len(taps)} ({', '.join(taps)})")
    print(f"Photo: {original} bytes at 3000x2250 chosen, {sent[2]} bytes at {sent[0]}x{sent[1]} sent")
    assert len(taps) <= 6
    assert max(sent[0], sent[1]) == 2048 and sent[3] == "image/jpeg"
    assert sent[2] < original


def test_a_visitor_reports_first_and_confirms_the_email_after(phone, live_server, catalogue, media):
    page = phone.new_page()
    page.goto("/report/")
    expect(page.locator("#id_lat")).to_have_value(f"{HERE['latitude']:.6f}")
    page.get_by_role("link", name=re.compile("Streetlight out")).click()
    page.get_by_label("What is the problem?").fill("Dark lamp by the bus stop")
    page.get_by_label("Your email address").fill("dewi@example.org")
    page.get_by_label("Your name (optional)").fill("Dewi")
    page.get_by_role("button", name="Send report").click()

    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    report = Report.objects.get()
    assert not report.is_visible
    page.goto("/reports/")
    expect(page.get_by_text("Dark lamp by the bus stop")).to_have_count(0)

    page.goto(link_in_last_email("/report/confirm/"))
    expect(page.get_by_text("Your report is published.")).to_be_visible()
    page.get_by_role("link", name="See your report").click()
    expect(page.get_by_text("Dark lamp by the bus stop")).to_be_visible()
    report.refresh_from_db()
    assert report.is_visible and report.reporter.email == "dewi@example.org"
    assert mail.outbox[-1].to == ["dewi@example.org"]


def test_a_report_made_offline_waits_on_the_phone_and_is_sent_when_back_online(
    phone, live_server, catalogue, media, tmp_path
):
    citizen = UserFactory()
    sign_in(phone, live_server, citizen)
    page = phone.new_page()
    page.goto("/report/streetlight/?lat=-6.917500&lon=107.619100")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    cached_paths = """() => caches.keys().then(keys => caches.open(keys.find(k => k.startsWith('cocreate-'))))
                 .then(cache => cache.keys()).then(requests => requests.map(r => new URL(r.url).pathname))"""
    page.wait_for_function(f"({cached_paths})().then(paths => paths.includes('/report/streetlight/'))")
    cached = page.evaluate(cached_paths)
    assert any(path.endswith(".js") and "report-form" in path for path in cached), cached
    assert "/report/" in cached

    phone.set_offline(True)
    page.get_by_label("What is the problem?").fill("Lamp dark since Monday")
    page.get_by_label("Choose from gallery").set_input_files(str(street_photo(tmp_path / "lamp.jpg", (800, 600))))
    expect(page.get_by_role("img", name="Photo to send 1")).to_be_visible()
    page.get_by_role("button", name="Send report").click()

    expect(page.get_by_text("Saved on this phone, will be sent when you are online.")).to_be_visible()
    assert Report.objects.count() == 0
    page.reload()
    expect(page.get_by_text("Saved on this phone, will be sent when you are online.")).to_be_visible()

    phone.set_offline(False)

    expect(page.get_by_text("Your saved report was sent.")).to_be_visible()
    report = Report.objects.get()
    assert report.description == "Lamp dark since Monday"
    assert report.reporter == citizen
    assert ReportPhoto.objects.filter(report=report).count() == 1
    page.get_by_role("link", name="See it").click()
    expect(page.get_by_text("Lamp dark since Monday")).to_be_visible()


def test_a_report_saved_offline_can_be_discarded(phone, live_server, catalogue, media):
    sign_in(phone, live_server, UserFactory())
    page = phone.new_page()
    page.goto("/report/streetlight/?lat=-6.917500&lon=107.619100")
    phone.set_offline(True)
    page.get_by_label("What is the problem?").fill("Never mind")
    page.get_by_role("button", name="Send report").click()
    expect(page.get_by_text("Saved on this phone")).to_be_visible()

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Discard").click()

    expect(page.get_by_text("Saved on this phone")).to_be_hidden()
    phone.set_offline(False)
    page.wait_for_timeout(500)
    assert Report.objects.count() == 0


def test_one_round_of_validation_names_every_problem_and_keeps_the_photo(
    phone, live_server, catalogue, media, tmp_path
):
    sign_in(phone, live_server, UserFactory())
    page = phone.new_page()
    page.goto("/report/abandoned-vehicle/")
    page.get_by_text("Enter coordinates").click()
    page.get_by_label("Latitude").fill("-6.2")
    page.get_by_label("Longitude").fill("106.8")
    page.get_by_label("Longitude").press("Tab")
    page.get_by_label("What is the problem?").fill("Scooter lying in the gutter")
    page.get_by_label("Choose from gallery").set_input_files(str(street_photo(tmp_path / "scooter.jpg", (800, 600))))
    expect(page.get_by_role("img", name="Photo to send 1")).to_be_visible()
    page.get_by_role("button", name="Send report").click()

    expect(page.get_by_text("Please correct the 2 problems below.")).to_be_visible()
    expect(page.get_by_text("This point is outside the city")).to_be_visible()
    # "Is it blocking the footpath?"; the operator may be left out (the vehicle nearby decides).
    expect(page.get_by_text("This answer is required.")).to_have_count(1)
    expect(page.get_by_label("What is the problem?")).to_have_value("Scooter lying in the gutter")
    expect(page.get_by_role("img", name="Photo 1, kept from your last try")).to_be_visible()
    expect(page.get_by_label("Keep this photo")).to_be_checked()

    page.get_by_label("Latitude").fill("-6.9147")
    page.get_by_label("Longitude").fill("107.6098")
    page.get_by_label("Longitude").press("Tab")
    answer_the_scooter_questions_and_send(page)
    assert_published_with_one_photo("Scooter lying in the gutter")


def test_without_javascript_a_citizen_types_coordinates_and_reports(browser, live_server, catalogue, media):
    context = browser.new_context(viewport=PHONE, base_url=live_server.url, locale="en-US", java_script_enabled=False)
    context.set_default_timeout(15_000)
    sign_in(context, live_server, UserFactory())
    page = context.new_page()
    page.goto("/report/")
    expect(page.locator("#pick-map")).to_be_hidden()

    page.get_by_text("Enter coordinates").click()
    page.get_by_label("Latitude").fill("-6.9147")
    page.get_by_label("Longitude").fill("107.6098")
    page.get_by_role("button", name="Use these coordinates").click()
    page.get_by_role("link", name=re.compile("Pothole")).click()
    page.get_by_label("How big is it?").select_option("large")
    page.get_by_label("What is the problem?").fill("Hole in the left lane")
    page.get_by_role("button", name="Send report").click()

    expect(page.get_by_text("Thank you. Your report is published")).to_be_visible()
    report = Report.objects.get()
    assert (report.lat, report.lon) == (-6.9147, 107.6098)
    context.close()


def test_a_saved_report_the_site_refuses_is_put_back_into_the_form(phone, live_server, catalogue, media, tmp_path):
    sign_in(phone, live_server, UserFactory())
    page = phone.new_page()
    page.goto("/report/abandoned-vehicle/")  # "Open it" then only changes the address's #fragment
    phone.set_offline(True)
    page.get_by_label("What is the problem?").fill("Scooter on the pavement")
    page.get_by_label("Choose from gallery").set_input_files(str(street_photo(tmp_path / "s.jpg", (800, 600))))
    expect(page.get_by_role("img", name="Photo to send 1")).to_be_visible()
    page.get_by_role("button", name="Send report").click()
    expect(page.get_by_text("Saved on this phone")).to_be_visible()

    phone.set_offline(False)  # sent, and refused: the footpath question has no answer

    expect(page.get_by_text("Your saved report was not accepted. Open it to correct it.")).to_be_visible()
    page.get_by_role("link", name="Open it").click()
    expect(page.get_by_label("What is the problem?")).to_have_value("Scooter on the pavement")
    expect(page.get_by_role("img", name="Photo to send 1")).to_be_visible()
    answer_the_scooter_questions_and_send(page)
    assert_published_with_one_photo("Scooter on the pavement")
