"""The header on a phone: one row, a menu, the language applied on selection and kept on log in, and
no cookie for a visitor until they choose a language."""

import re

import pytest
from playwright.sync_api import expect

from citizens.models import User
from citizens.tests.factories import PASSWORD, UserFactory
from e2e.conftest import PHONE, open_menu

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_header_is_one_short_row_with_report_and_a_menu(page):
    page.goto("/reports/")
    header = page.locator(".site-header").bounding_box()
    assert header["height"] <= 64, f"the header is {header['height']}px tall on a {PHONE['height']}px screen"
    report = page.locator(".site-header").get_by_role("link", name="Report a problem")
    expect(report).to_be_visible()
    box = report.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44
    expect(page.get_by_role("link", name="Proposals", exact=True)).to_be_hidden()

    page.get_by_text("Menu", exact=True).click()
    for name in ("Reports", "Map", "Proposals", "Open data", "Log in", "Sign up"):
        link = page.locator(".site-menu").get_by_role("link", name=name, exact=True)
        expect(link).to_be_visible()
        assert link.bounding_box()["height"] >= 44, f"{name} is too small to tap"
    expect(page.get_by_role("button", name="Change")).to_be_hidden()  # the script applies the choice
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_choosing_a_language_applies_it_at_once(page):
    page.goto("/proposals/")
    open_menu(page)
    page.get_by_label("Language").select_option("id")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page).to_have_url("/proposals/")
    expect(page.locator(".site-header").get_by_role("link", name="Laporkan masalah")).to_be_visible()


def test_the_language_switcher_works_without_javascript(browser, live_server):
    context = browser.new_context(viewport=PHONE, base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto("/proposals/")
        page.get_by_text("Menu", exact=True).click()
        page.get_by_label("Language").select_option("id")
        page.get_by_role("button", name="Change").click()
        expect(page.locator("html")).to_have_attribute("lang", "id")
        expect(page).to_have_url(re.compile(r"/proposals/$"))
    finally:
        context.close()


def test_a_visitor_gets_no_cookie_until_they_choose_a_language(page):
    for path in ("/", "/proposals/", "/reports/"):
        page.goto(path)
    assert page.context.cookies() == []

    open_menu(page)
    page.get_by_label("Language").select_option("id")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    assert [cookie["name"] for cookie in page.context.cookies()] == ["django_language"]


def test_a_signed_in_citizens_choice_is_kept_on_the_account_with_and_without_javascript(browser, live_server):
    citizen = UserFactory(email="budi@example.org", preferred_language="en")
    for javascript, language, label in ((True, "id", "Language"), (False, "en", "Bahasa")):
        context = browser.new_context(viewport=PHONE, base_url=live_server.url, java_script_enabled=javascript)
        page = context.new_page()
        try:
            page.goto("/accounts/login/")
            page.get_by_label("Email").fill(citizen.email)
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Log in").click()
            expect(
                page.get_by_role("link", name=re.compile("My account|Akun saya"), include_hidden=True)
            ).to_be_attached()
            page.goto("/proposals/")
            page.locator("details.site-menu summary").click()
            page.get_by_label(label).select_option(language)
            if not javascript:
                page.get_by_role("button", name="Ubah").click()
            expect(page.locator("html")).to_have_attribute("lang", language)
            assert User.objects.get(pk=citizen.pk).preferred_language == language
        finally:
            context.close()


def test_a_visitor_who_chose_indonesian_keeps_it_after_logging_in(page):
    citizen = UserFactory(email="sari@example.org", preferred_language="en")
    page.goto("/")
    open_menu(page)
    page.get_by_label("Language").select_option("id")
    expect(page.locator("html")).to_have_attribute("lang", "id")

    open_menu(page)
    page.locator(".site-menu").get_by_role("link", name="Masuk").click()
    page.get_by_label("Email").fill(citizen.email)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()

    expect(page.get_by_role("link", name="Akun saya", include_hidden=True)).to_be_attached()
    expect(page.locator("html")).to_have_attribute("lang", "id")
    page.goto("/accounts/profile/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Akun saya")
    assert User.objects.get(pk=citizen.pk).preferred_language == "id"


def test_the_open_menu_covers_the_map_controls(page):
    page.route(re.compile(r"^https?://[^/]*tile[^/]*/.*"), lambda route: route.fulfill(status=204))
    page.goto("/reports/map/")
    zoom_in = page.get_by_role("button", name="Zoom in")
    expect(zoom_in).to_be_visible()
    open_menu(page)
    box = zoom_in.bounding_box()
    # Stretch the open panel over the map, then ask what a tap on the zoom button would hit.
    on_top = page.evaluate(
        """([x, y]) => {
            document.querySelector(".menu-panel").style.minHeight = "1200px";
            return Boolean(document.elementFromPoint(x, y).closest(".menu-panel"));
        }""",
        [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2],
    )
    assert on_top, "the map's controls show through the open menu"


def test_with_pages_cached_a_visitor_who_switches_language_gets_their_language(page, settings):
    settings.PAGE_CACHE_SECONDS = 60
    page.goto("/proposals/")
    page.goto("/proposals/")  # from the server's cache now, and kept by the browser
    expect(page.locator("html")).to_have_attribute("lang", "en")

    open_menu(page)
    page.get_by_label("Language").select_option("id")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    page.goto("/proposals/")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.get_by_role("heading", level=1)).to_have_text("Usulan")
