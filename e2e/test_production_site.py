"""The site as production runs it: DEBUG off, PostgreSQL, collected static files, gunicorn with
gunicorn.conf.py. Chromium at 360 px loads every main page, signed out and signed in as a
citizen, and the test fails on any request to the site answering 4xx or 5xx, any failed
request, any console error, any uncaught script error and any Content-Security-Policy
violation.

It needs PostgreSQL (``DATABASE_URL=postgres://…``): it creates a database of its own beside
the suite's, migrates it, seeds the demo content (``seed_demo`` runs only with DEBUG on, so it
is the one step that does) and drops it at the end. Map tiles come from a made-up tile server
that Playwright answers itself, so no request leaves the machine.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from conftest import skip_unless_available
from e2e.conftest import ARTIFACTS, PHONE

ROOT = Path(__file__).resolve().parent.parent
TILE_SERVER = "http://tiles.test"
# A 1×1 transparent PNG for every map tile.
TILE = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4f20000000049454e44ae426082"
)
CITIZEN = ("citizen@example.org", "cocreate-demo-2026")  # seed_demo's demo citizen
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
    if not url.startswith(("postgres://", "postgresql://", "pgsql://")):
        message = "The production-site test runs on PostgreSQL: set DATABASE_URL=postgres://… (CI's second pass does)"
        if os.environ.get("REQUIRE_PRODUCTION_SITE"):
            pytest.fail(f"REQUIRE_PRODUCTION_SITE is set but DATABASE_URL is not PostgreSQL. {message}")
        pytest.skip(message)
    return url


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def recreate_database(url: str, name: str, *, drop_only: bool = False) -> None:
    import psycopg

    parts = urlsplit(url)
    admin = urlunsplit(("postgresql", parts.netloc, "/postgres", parts.query, ""))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            connection.execute(f'CREATE DATABASE "{name}"')


def run(environment: dict[str, str], *arguments: str) -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, (
        f"manage.py {' '.join(arguments)} failed:\n{result.stdout[-3000:]}{result.stderr[-3000:]}"
    )


def wait_until_healthy(url: str, server: subprocess.Popen, log: Path) -> dict:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"gunicorn stopped with {server.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=5) as response:
                return json.load(response)
        except urllib.error.HTTPError as error:
            return {"status": error.code, "body": error.read().decode()}
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"gunicorn did not answer within 60 s:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="module")
def production_site(tmp_path_factory):
    """A gunicorn serving a freshly migrated, seeded PostgreSQL database with DEBUG off; its URL."""
    url = postgres_url()
    if importlib.util.find_spec("gunicorn") is None:
        skip_unless_available("gunicorn is not installed: pip install -r requirements.txt")
    folder = tmp_path_factory.mktemp("production-site")
    name = f"{urlsplit(url).path.lstrip('/') or 'cocreate'}_production_site"
    recreate_database(url, name)
    port = free_port()
    site = f"http://127.0.0.1:{port}"
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "REDIS_URL"}
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="cocreate.settings",
        SECRET_KEY="production-site-test-" + "q8W2e4R6t8Y0u2I4o6P8" * 3,
        DATABASE_URL=with_database(url, name),
        DATA_DIR=str(folder / "data"),
        STATIC_ROOT=str(folder / "static"),
        MEDIA_ROOT=str(folder / "media"),
        ALLOWED_HOSTS="127.0.0.1",
        SITE_URL=site,
        MAP_TILE_URL=TILE_SERVER + "/{z}/{x}/{y}.png",
        # Plain HTTP on loopback: no redirect to HTTPS, no HSTS, cookies without the Secure flag.
        SECURE_SSL_REDIRECT="false",
        SECURE_HSTS_SECONDS="0",
        SECURE_COOKIES="false",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS="2",
        GUNICORN_THREADS="2",
        LOG_LEVEL="WARNING",
    )
    run(environment, "migrate", "--noinput")
    run(environment, "collectstatic", "--noinput")
    run({**environment, "DEBUG": "1"}, "seed_demo")
    log = folder / "gunicorn.log"
    with log.open("w") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "cocreate.wsgi"],
            cwd=ROOT,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        health = wait_until_healthy(site, server, log)
        assert health == {"status": "ok", "checks": {"database": "ok", "static": "ok"}}, health
        yield site
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        recreate_database(url, name, drop_only=True)
    errors = [line for line in log.read_text().splitlines() if '"level": "ERROR"' in line or "Traceback" in line]
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
    context = browser.new_context(viewport=PHONE, base_url=production_site, locale="en-US")
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
        "report_form": first_link(page, "/report/", r"/report/[\w-]+/"),
        "report_with_photo": first_link(
            page, "/reports/", r"/reports/\d+/", within=".report-item:has(img.report-thumb)"
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
    assert re.search(r"/static/vendor/leaflet/images/marker-icon\.[0-9a-f]{12}\.png$", marker.get_attribute("src"))
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
