"""The site as production runs it: DEBUG off, PostgreSQL, collected static files, gunicorn with
gunicorn.conf.py. Chromium at 360 px loads every main page, signed out and signed in as a
citizen, and the test fails on any request to the site answering 4xx or 5xx, any failed
request, any console error, any uncaught script error and any Content-Security-Policy
violation.

It needs PostgreSQL (``DATABASE_URL=postgres://…``): ``e2e.production_server`` creates a
database of its own beside the suite's, migrates and seeds it, and drops it at the end. Map tiles come from a made-up tile server
that Playwright answers itself, so no request leaves the machine.
"""

from __future__ import annotations

import importlib.util
import os
import re
import urllib.request

import pytest

from conftest import skip_unless_available
from e2e.conftest import ARTIFACTS, PHONE
from e2e.production_server import DEMO_CITIZEN, is_postgres, production_server

TILE_SERVER = "http://tiles.test"
# A 1×1 transparent PNG for every map tile.
TILE = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4f20000000049454e44ae426082"
)
CITIZEN = DEMO_CITIZEN
PAGES = [
    "/",
    "/report/",
    "{report_form}",
    "/reports/",
    "/reports/map/",
    "{report_with_photo}",
    "/proposals/",
    "{proposal}",
    "/data/",
    "/operators/",
    "/operators/bikeshare-a/",
    "/mds/policies",
    "/moderation/",
    "/api/docs/",
]
# What shows that a page finished drawing what its scripts fetch.
READY = {"/api/docs/": ".swagger-ui .opblock"}
SIGNED_OUT_PAGES = ["/accounts/login/", "/accounts/signup/"]
SIGNED_IN_PAGES = ["/accounts/profile/", "/accounts/email/"]
# Report problems from the browser as console errors, which the test collects.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || "inline"}`);
});
"""

pytestmark = pytest.mark.production


def postgres_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not is_postgres(url):
        message = "The production-site test runs on PostgreSQL: set DATABASE_URL=postgres://… (CI's second pass does)"
        if os.environ.get("REQUIRE_PRODUCTION_SITE"):
            pytest.fail(f"REQUIRE_PRODUCTION_SITE is set but DATABASE_URL is not PostgreSQL. {message}")
        pytest.skip(message)
    return url


@pytest.fixture(scope="module")
def production_site(tmp_path_factory):
    """A gunicorn serving a freshly migrated, seeded PostgreSQL database with DEBUG off; its URL."""
    url = postgres_url()
    if importlib.util.find_spec("gunicorn") is None:
        skip_unless_available("gunicorn is not installed: pip install -r requirements.txt")
    folder = tmp_path_factory.mktemp("production-site")
    with production_server(url, folder, map_tile_url=TILE_SERVER + "/{z}/{x}/{y}.png") as server:
        assert server.health == {"status": "ok", "checks": {"database": "ok", "static": "ok"}}, server.health
        yield server.url
    errors = server.logged_errors()
    assert not errors, "\n".join(errors)


class Problems:
    """Everything that went wrong on the site's pages, in the order it happened."""

    def __init__(self, site: str):
        self.site = site
        self.where = ""
        self.found: list[str] = []

    def watch(self, page) -> None:
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.add(f"uncaught script error: {error}"))
        page.on("response", self._response)
        page.on("requestfailed", self._failed)

    def add(self, problem: str) -> None:
        self.found.append(f"{self.where}: {problem}")

    def _console(self, message) -> None:
        if message.type == "error":
            self.add(f"console error: {message.text}")

    def _response(self, response) -> None:
        if response.url.startswith(self.site) and response.status >= 400:
            self.add(f"{response.status} for {response.url.removeprefix(self.site)}")

    def _failed(self, request) -> None:
        if request.url.startswith(self.site):
            self.add(f"request failed ({request.failure}) for {request.url.removeprefix(self.site)}")


@pytest.fixture
def site_page(browser, production_site, request):
    # A phone's screen has two or more pixels to the CSS pixel: the retina images are the ones loaded.
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, base_url=production_site, locale="en-US")
    context.set_default_timeout(20_000)
    context.route(
        re.compile(r"^" + re.escape(TILE_SERVER) + r"/"),
        lambda route: route.fulfill(body=TILE, content_type="image/png"),
    )
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    problems = Problems(production_site)
    problems.watch(page)
    yield page, problems
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


def first_link(page, path: str, pattern: str, within: str = "main") -> str:
    page.goto(path, wait_until="networkidle")
    for href in page.locator(f"{within} a[href]").evaluate_all("links => links.map(l => l.getAttribute('href'))"):
        if re.fullmatch(pattern, href):
            return href
    pytest.fail(f"no link matching {pattern} on {path}")


def discover(page) -> dict[str, str]:
    """The pages of seeded content, found as a visitor finds them: through the site's links."""
    return {
        "report_form": first_link(page, "/report/", r"(https?://[^/]+)?/report/[\w-]+/(\?.*)?"),
        # Citizens' reports of potholes have photos; the newest reports may be idle vehicles the
        # city's systems found, which have none.
        "report_with_photo": first_link(
            page, "/reports/?service=pothole", r"/reports/\d+/", within=".report-item:has(img.report-thumb)"
        ),
        "proposal": first_link(page, "/proposals/", r"/proposals/\d+/"),
    }


def visit(page, problems: Problems, path: str) -> None:
    problems.where = path
    response = page.goto(path, wait_until="networkidle")
    assert response is not None
    if response.status >= 400:
        return  # already recorded by the response listener
    if path in READY:
        page.locator(READY[path]).first.wait_for()
    # Lazy images load once they come into view: bring each into view and wait for it.
    for image in page.locator("main img").all():
        image.scroll_into_view_if_needed()
        loaded = image.evaluate(
            "img => img.complete ? img.naturalWidth > 0 : new Promise(done => {"
            " img.addEventListener('load', () => done(true)); img.addEventListener('error', () => done(false)); })"
        )
        if not loaded:
            problems.add(f"image did not load: {image.get_attribute('src')}")
    page.wait_for_load_state("networkidle")


def visit_all(page, problems: Problems, paths: list[str]) -> list[str]:
    pages = discover(page)
    visited = []
    for template in paths:
        path = template.format(**pages)
        visit(page, problems, path)
        visited.append(path)
    return visited


def test_every_main_page_loads_completely_for_a_visitor(site_page):
    page, problems = site_page
    visited = visit_all(page, problems, PAGES + SIGNED_OUT_PAGES)

    assert not problems.found, "\n".join(problems.found)
    assert len(visited) == len(PAGES + SIGNED_OUT_PAGES)


def test_the_report_page_shows_its_photo_and_map_marker(site_page, production_site):
    page, problems = site_page
    path = discover(page)["report_with_photo"]
    visit(page, problems, path)

    assert not problems.found, "\n".join(problems.found)
    photo = page.locator("main img[src^='/photos/report/']").first
    assert photo.evaluate("img => img.naturalWidth") > 0
    marker = page.locator("img.leaflet-marker-icon").first
    assert re.search(r"/static/vendor/leaflet/images/marker-icon-2x\.[0-9a-f]{12}\.png$", marker.get_attribute("src"))
    assert marker.evaluate("img => img.naturalWidth") > 0
    with urllib.request.urlopen(production_site + photo.get_attribute("src"), timeout=10) as response:
        assert response.headers["Content-Type"] == "image/jpeg"
        assert "max-age=" in response.headers["Cache-Control"]


def test_every_main_page_loads_completely_for_a_signed_in_citizen(site_page):
    page, problems = site_page
    problems.where = "log in"
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(CITIZEN[0])
    page.locator("input[name=password]").fill(CITIZEN[1])
    page.locator("input[name=password]").press("Enter")
    page.wait_for_url(re.compile(r"^(?!.*/accounts/login/)"))
    page.goto("/accounts/profile/")
    assert CITIZEN[0] in page.content()

    visit_all(page, problems, PAGES + SIGNED_IN_PAGES)

    assert not problems.found, "\n".join(problems.found)
