"""axe-core finds no accessibility violation on any main page, signed out and signed in, on a phone,
every control there is at least 44 × 44 px, and no button or label breaks a word over two lines.

axe-core comes from npm (package.json, installed by ``make test``) and is injected into each
page as it loaded, as a script of the site's own address (the file answered by the browser
from node_modules), so the site's Content-Security-Policy stays in force during the check.
A failure lists every violation with the elements it was found on.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from citizens.tests.factories import PASSWORD, UserFactory
from conftest import skip_unless_available
from e2e.conftest import open_menu
from operators.tests.factories import OperatorFactory, VehicleFactory
from operators.tests.figures import BreachFactory, FleetDayFactory, resolved
from proposals.tests.factories import ProposalFactory
from services.catalogue import catalogue_load
from services.models import ReportStatus
from services.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db(transaction=True)

AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
AXE_URL = "/static/__axe-core-under-test.js"


@pytest.fixture
def site():
    """A catalogue, reports in several states, and a proposal: every main page has something to show."""
    services = catalogue_load()
    report = ReportFactory(service=services[0], description="A bike lying across the footpath")
    ReportFactory(service=services[1], status=ReportStatus.IN_PROGRESS)
    ReportFactory(service=services[1], status=ReportStatus.RESOLVED)
    proposal = ProposalFactory(title="Shade trees on Jalan Braga", summary="Plant trees along the street.")
    operator = operator_with_figures()
    return {"report": report, "proposal": proposal, "service": services[0], "operator": operator}


def operator_with_figures():
    """An operator with a fleet over its cap, answered reports, a breach and a hot spot of idle vehicles."""
    now = timezone.now()
    operator = OperatorFactory(slug="kring", name="Kring Bikes", permit_number="DISHUB/2026/017", fine_per_breach=1000)
    operator.vehicle_types.create(form_factor="bicycle", fleet_cap=300)
    for back in range(5):
        FleetDayFactory(
            operator=operator, day=timezone.localdate() - timedelta(days=back), vehicles_peak=290 + 5 * back
        )
    resolved(operator, now - timedelta(days=2), 6)
    BreachFactory(operator=operator)
    for _ in range(2):
        VehicleFactory(operator=operator, first_seen_at=now - timedelta(days=3))
    return operator


def main_pages(site) -> list[str]:
    return [
        "/",
        "/report/",
        f"/report/{site['service'].service_code}/",
        "/reports/",
        "/reports/map/",
        f"/reports/{site['report'].pk}/",
        "/proposals/",
        f"/proposals/{site['proposal'].pk}/",
        "/data/",
        "/operators/",
        f"/operators/{site['operator'].slug}/",
        "/moderation/",
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/profile/",
    ]


def violations(page) -> list[str]:
    """axe-core's violations on the page as it is now, one line each, with the elements concerned."""
    if page.evaluate("typeof window.axe") == "undefined":
        page.add_script_tag(url=AXE_URL)
    found = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    return [
        f"{page.url} {item['id']} ({item['impact']}): {item['help']} at "
        + ", ".join(" ".join(node["target"]) for node in item["nodes"][:5])
        for item in found
    ]


# Controls a thumb must hit: at least 44 × 44 CSS pixels (links inside sentences are exempt).
CONTROLS = (
    "button, input[type=submit], select, summary, a.button, nav a, .footer-links a, .link-list a, .leaflet-bar a, "
    ".flag-link, .back-link a, "
    "input[type=checkbox], input[type=radio]"
)
SMALL_CONTROLS = """(selector) => Array.from(document.querySelectorAll(selector))
    .filter((element) => element.checkVisibility({checkVisibilityCSS: true}))
    .map((element) => [element, element.getBoundingClientRect()])
    .filter(([element, box]) => {
        // A checkbox or radio counts with its label, which is tappable too.
        const label = element.labels && element.labels[0];
        const height = label ? Math.max(box.height, label.getBoundingClientRect().height) : box.height;
        return Math.round(height) < 44 || (!label && Math.round(box.width) < 44);
    })
    .map(([element, box]) => `${element.tagName.toLowerCase()} "${(element.textContent || element.name || "").trim()
        .slice(0, 30)}" ${Math.round(box.width)}×${Math.round(box.height)}`)"""


# A word a button or label splits over two lines ("Sear/ch"): each word's characters must sit on one line.
BROKEN_WORDS = """(selector) => {
    const broken = [];
    for (const element of document.querySelectorAll(selector)) {
        if (!element.checkVisibility({checkVisibilityCSS: true})) continue;
        const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            for (const match of node.data.matchAll(/\\S+/g)) {
                const range = document.createRange();
                range.setStart(node, match.index);
                range.setEnd(node, match.index + match[0].length);
                const lines = new Set(Array.from(range.getClientRects(), (box) => Math.round(box.top)));
                if (lines.size > 1) broken.push(`${element.tagName.toLowerCase()} "${match[0]}"`);
            }
        }
    }
    return broken;
}"""


def broken_words(page) -> list[str]:
    found = page.evaluate(BROKEN_WORDS, "button, a.button, summary, label, th, .status")
    return [f"{page.url} word broken over two lines: {line}" for line in found]


def small_controls(page) -> list[str]:
    return [f"{page.url} tap target too small: {line}" for line in page.evaluate(SMALL_CONTROLS, CONTROLS)]


def check_every_page(page, paths: list[str]) -> list[str]:
    problems = []
    for path in paths:
        page.goto(path)
        if page.locator(".leaflet-container").count():
            page.locator(".leaflet-control-zoom-in").first.wait_for()
        page.wait_for_load_state("networkidle")
        problems += violations(page) + small_controls(page) + broken_words(page)
    # The menu, open, with its language choice.
    open_menu(page)
    problems += [f"(menu open) {line}" for line in violations(page) + small_controls(page) + broken_words(page)]
    return problems


@pytest.fixture
def tiles_offline(page):
    page.context.route(re.compile(r"^https?://[^/]*tile[^/]*/.*"), lambda route: route.fulfill(status=204))
    page.context.route(f"**{AXE_URL}", lambda route: route.fulfill(path=str(AXE), content_type="text/javascript"))
    return page


def test_no_page_has_an_accessibility_violation_signed_out_or_in(tiles_offline, site):
    if not AXE.exists():
        skip_unless_available(f"axe-core not found at {AXE}: run 'npm ci' (make test does)")
    page = tiles_offline
    problems = check_every_page(page, main_pages(site))

    citizen = UserFactory(email="ayu@example.org")
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(citizen.email)
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/$"))
    problems += [f"(signed in) {line}" for line in check_every_page(page, main_pages(site))]

    assert not problems, "axe-core found violations:\n" + "\n".join(problems)
