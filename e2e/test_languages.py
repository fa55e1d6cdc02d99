"""A phone in Thai, Japanese, Korean and Chinese: a report filed in Thai, a proposal supported in
Japanese, and pages that fit 360 px with the script's own fonts.

The flows find the controls by their names in the form, not by their words, and then check
that none of the flow's English words is left on the page: they pass once the language's
catalogue is committed. A failing test leaves a screenshot in test-artifacts/ (e2e/conftest.py).
"""

import pytest
from playwright.sync_api import expect

from citizens.tests.factories import PASSWORD, UserFactory
from e2e.conftest import PHONE
from proposals.tests.factories import ProposalFactory
from services.catalogue import catalogue_load
from services.models import Report

pytestmark = pytest.mark.django_db(transaction=True)

HERE = {"latitude": -6.9175, "longitude": 107.6191}  # inside the default city bounds
# Words of the pages these flows go through, as they read in English.
REPORT_FLOW_ENGLISH = [
    "Report a problem",
    "What is the problem?",
    "Take a photo",
    "Send report",
    "Thank you",
    "Follow",
    "Menu",
]
PROPOSAL_FLOW_ENGLISH = ["Support for this proposal", "Support", "supports needed", "You support this proposal", "Menu"]
# What each script's pages are drawn with first, after the Latin UI fonts (static/css/site.css).
FONTS = {"th": "Noto Sans Thai", "ja": "Hiragino Sans", "ko": "Apple SD Gothic Neo", "zh-hans": "PingFang SC"}
PAGES = ["/", "/reports/", "/reports/map/", "/report/", "/proposals/", "/data/", "/operators/", "/accounts/signup/"]


def log_in(page, user) -> None:
    """Log in on the English page (the visitor has chosen nothing yet); the account's language then applies."""
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(user.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    expect(page.locator("html")).to_have_attribute("lang", user.preferred_language)


def english_left(page, phrases: list[str]) -> list[str]:
    shown = page.evaluate("document.body.innerText")
    return [phrase for phrase in phrases if phrase in shown]


def fits_a_phone(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width}px wide on a {PHONE['width']}px phone"


def test_a_citizen_files_a_report_in_thai(page):
    catalogue_load()
    citizen = UserFactory(email="somchai@example.org", preferred_language="th")
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation(HERE)
    log_in(page, citizen)

    page.locator(".site-header a.header-report").click()
    expect(page.locator("#id_lat")).to_have_value(f"{HERE['latitude']:.6f}")
    fits_a_phone(page)
    left = english_left(page, REPORT_FLOW_ENGLISH)
    page.locator(".service-list a", has_text="ไฟถนนดับ").click()  # "Streetlight out", from the catalogue
    expect(page.locator("h1")).to_have_text("ไฟถนนดับ")
    fits_a_phone(page)
    left += english_left(page, REPORT_FLOW_ENGLISH)
    page.locator("textarea[name=description]").fill("ไฟถนนหน้าซอย 5 ดับมาสามคืนแล้ว")
    page.locator("#send-report").click()

    expect(page).to_have_url(f"/reports/{Report.objects.get().pk}/")
    expect(page.locator("html")).to_have_attribute("lang", "th")
    expect(page.get_by_text("ไฟถนนหน้าซอย 5 ดับมาสามคืนแล้ว")).to_be_visible()
    fits_a_phone(page)
    left += english_left(page, REPORT_FLOW_ENGLISH)
    assert not left, f"English on the Thai report pages: {sorted(set(left))}"


def test_a_citizen_supports_a_proposal_in_japanese(page):
    proposal = ProposalFactory(title="Jalan Braga ni kokage o", summary="Shade trees")
    citizen = UserFactory(email="haruka@example.org", preferred_language="ja")
    log_in(page, citizen)

    page.goto(proposal.get_absolute_url())
    expect(page.locator("form[data-support-form='support']")).to_have_attribute("data-enhanced", "true")
    fits_a_phone(page)
    left = english_left(page, PROPOSAL_FLOW_ENGLISH)
    page.locator("form[data-support-form='support'] button[type=submit]").click()

    expect(page.locator("#support-count")).to_have_text("1")
    expect(page.locator("#support-message")).not_to_be_empty()
    assert proposal.supports.filter(user=citizen).exists()
    fits_a_phone(page)
    left += english_left(page, PROPOSAL_FLOW_ENGLISH)
    assert not left, f"English on the Japanese proposal page: {sorted(set(left))}"


@pytest.mark.parametrize("language", ["th", "ja", "ko", "zh-hans"])
def test_the_main_pages_fit_a_phone_in_their_scripts_fonts(page, live_server, language):
    catalogue_load()
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    for path in PAGES:
        page.goto(path)
        expect(page.locator("html")).to_have_attribute("lang", language)
        assert FONTS[language] in page.evaluate("getComputedStyle(document.body).fontFamily"), path
        fits_a_phone(page)
    assert not english_left(page, ["Report a problem", "Sign up", "Menu"]), f"English left in {language}"
