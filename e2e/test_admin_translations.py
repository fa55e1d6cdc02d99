"""Staff translate the catalogue in the admin, one tab per language, under the site's CSP."""

import re

import pytest
from playwright.sync_api import expect

from e2e.test_operator_pages import CSP_LISTENER
from e2e.test_staff_two_factor import log_in_with_totp
from services.catalogue import catalogue_load
from services.models import Service

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def errors(page):
    found: list[str] = []
    page.context.add_init_script(CSP_LISTENER)
    page.on("console", lambda message: found.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: found.append(f"uncaught: {error}"))
    return found


def test_staff_write_a_services_thai_name_in_its_own_tab_and_see_what_is_missing(page, staff, errors):
    catalogue_load()
    pothole = Service.objects.get(service_code="pothole")
    Service.objects.filter(pk=pothole.pk).update(name_th=None)
    log_in_with_totp(page, staff, start=f"/admin/services/service/{pothole.pk}/change/")

    # One tab per language above the name, drawn by the tabs' script (jQuery UI from its package).
    tabs = page.locator(".ui-tabs-nav").first.locator("li")
    expect(tabs).to_have_count(8)
    expect(page.locator("#id_name_th")).to_be_hidden()
    tabs.filter(has_text=re.compile(r"^\s*(Thai|th)\s*$", re.IGNORECASE)).first.click()
    expect(page.locator("#id_name_th")).to_be_visible()
    page.locator("#id_name_th").fill("ถนนเป็นหลุมบ่อ")
    page.locator("input[name=_save]").click()

    expect(page.locator(".messagelist")).to_be_visible()
    assert Service.objects.get(pk=pothole.pk).name_th == "ถนนเป็นหลุมบ่อ"
    assert errors == [], errors

    Service.objects.filter(service_code="streetlight").update(description_ko="")
    page.goto("/admin/services/service/?missing_translation=ko")
    expect(page.locator("#result_list tbody tr")).to_have_count(1)
    expect(page.locator("#result_list")).to_contain_text("streetlight")
    expect(page.locator("#result_list .field-missing_translations")).to_have_text("ko")
