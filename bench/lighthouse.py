"""Lighthouse mobile scores of the main pages, from a production-like server.

    .venv/bin/python bench/lighthouse.py [--runs 3] [--database-url postgres://…/cocreate_lighthouse]

Starts the site as production runs it (``e2e.production_server``: DEBUG off, a fresh
PostgreSQL database seeded with the demo content, collected static files, gunicorn with
gunicorn.conf.py), with map tiles from a tile server on loopback that this script runs (one
plain 256 × 256 PNG for every tile, so no request leaves the machine). Installs Lighthouse
(``LIGHTHOUSE_VERSION``, from npm) into ``bench/.lighthouse/``, which git ignores, when it is
missing, and runs its default mobile audit (emulated phone, simulated slow 4G and 4× slower
CPU) with Debian's Chromium against home, a report form, a report page, the map, proposals,
a proposal page and ``/data/``.

Prints and writes to ``bench/results/lighthouse.md`` the four scores per page (the median of
``--runs`` runs for performance), the failed audits of the other three categories, and the
bytes the report form page transfers with and without map tiles.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import io
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from e2e.production_server import DEMO_CITIZEN, is_postgres, production_server  # noqa: E402

LIGHTHOUSE_VERSION = "12.2.3"  # 13 needs Node 22; Debian's Node is 20
LIGHTHOUSE_DIR = ROOT / "bench" / ".lighthouse"
LIGHTHOUSE = LIGHTHOUSE_DIR / "node_modules" / ".bin" / "lighthouse"
SIGNED_IN = {"report form"}
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROME_FLAGS = (
    "--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync"
)
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
RESULTS = ROOT / "bench" / "results" / "lighthouse.md"


def tile_png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (256, 256), (232, 236, 232)).save(buffer, format="PNG")
    return buffer.getvalue()


class TileServer:
    """Any GET answers the same PNG: the map draws, and no tile is fetched from outside."""

    def __init__(self):
        body = tile_png()

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", "max-age=86400")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> TileServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


def ensure_lighthouse() -> None:
    if LIGHTHOUSE.exists():
        return
    LIGHTHOUSE_DIR.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            "npm",
            "install",
            "--prefix",
            str(LIGHTHOUSE_DIR),
            "--no-audit",
            "--no-fund",
            "-E",
            f"lighthouse@{LIGHTHOUSE_VERSION}",
        ],
        check=True,
    )


def first_link(site: str, path: str, pattern: str) -> str:
    with urllib.request.urlopen(site + path, timeout=30) as response:
        html = response.read().decode()
    match = re.search(rf'href="({pattern})"', html)
    if not match:
        raise SystemExit(f"no link matching {pattern} on {path}")
    return match.group(1)


def session_cookie(site: str) -> str:
    """Log the demo citizen in through the log-in form; the Cookie header of that session."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(f"{site}/accounts/login/", timeout=30) as response:
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.read().decode()).group(1)
    form = {"csrfmiddlewaretoken": token, "login": DEMO_CITIZEN[0], "password": DEMO_CITIZEN[1]}
    request = urllib.request.Request(
        f"{site}/accounts/login/", data=urllib.parse.urlencode(form).encode(), headers={"Referer": f"{site}/"}
    )
    opener.open(request, timeout=30).close()
    cookies = {cookie.name: cookie.value for cookie in jar}
    if "sessionid" not in cookies:
        raise SystemExit("could not log the demo citizen in")
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def pages(site: str) -> dict[str, str]:
    return {
        "home": "/",
        "report form": first_link(site, "/report/", r"/report/[\w-]+/"),
        "report page": first_link(site, "/reports/", r"/reports/\d+/"),
        "map": "/reports/map/",
        "proposals": "/proposals/",
        "proposal page": first_link(site, "/proposals/", r"/proposals/\d+/"),
        "data": "/data/",
    }


def audit(url: str, folder: Path, cookie: str = "", attempts: int = 3) -> dict:
    """One Lighthouse run; tried again when Lighthouse fails on its own (NO_NAVSTART on a busy machine)."""
    output = folder / "report.json"
    headers = [f"--extra-headers={json.dumps({'Cookie': cookie})}"] if cookie else []
    command = [
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={output}",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={CHROME_FLAGS}",
        *headers,
    ]
    for attempt in range(1, attempts + 1):
        result = subprocess.run(command, env={**os.environ, "CHROME_PATH": CHROMIUM}, timeout=300, check=False)
        if result.returncode == 0:
            return json.loads(output.read_text())
        print(f"Lighthouse failed on {url} (attempt {attempt} of {attempts})", file=sys.stderr)
    raise SystemExit(f"Lighthouse failed {attempts} times on {url}")


def scores(report: dict) -> dict[str, int]:
    return {name: round(100 * (report["categories"][name]["score"] or 0)) for name in CATEGORIES}


def failed_audits(report: dict) -> list[str]:
    """Titles of the audits that cost points outside performance."""
    failed = []
    for name in CATEGORIES[1:]:
        for ref in report["categories"][name]["auditRefs"]:
            result = report["audits"][ref["id"]]
            if ref["weight"] > 0 and result["score"] is not None and result["score"] < 1:
                items = (result.get("details") or {}).get("items") or []
                urls = sorted({item["url"].rsplit("/", 1)[-1] for item in items if isinstance(item.get("url"), str)})
                failed.append(f"{name}: {result['title']}" + (f" ({', '.join(urls[:4])})" if urls else ""))
    return failed


def transferred(report: dict, tile_origin: str) -> tuple[int, int]:
    """Bytes over the wire for the page: all, and without map tiles."""
    items = report["audits"]["network-requests"]["details"]["items"]
    total = sum(item.get("transferSize", 0) for item in items)
    tiles = sum(item.get("transferSize", 0) for item in items if item["url"].startswith(tile_origin))
    return total, total - tiles


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=1, help="runs per page; performance is their median")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("LIGHTHOUSE_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cocreate_lighthouse"),
        help="PostgreSQL server to use; a database named after it with _production_site is created and dropped",
    )
    options = parser.parse_args()
    if not is_postgres(options.database_url):
        raise SystemExit("--database-url must be a PostgreSQL URL")
    ensure_lighthouse()
    rows, findings, weight = [], {}, None
    with tempfile.TemporaryDirectory(prefix="cocreate-lighthouse-") as temporary, TileServer() as tiles:
        folder = Path(temporary)
        with production_server(options.database_url, folder, map_tile_url=tiles.origin + "/{z}/{x}/{y}.png") as server:
            # The report form asks a visitor to log in first: it is measured as the demo citizen sees it.
            cookie = session_cookie(server.url)
            for label, path in pages(server.url).items():
                signed_in = cookie if label in SIGNED_IN else ""
                reports = [audit(server.url + path, folder, signed_in) for _ in range(options.runs)]
                result = scores(reports[-1])
                result["performance"] = round(statistics.median(scores(report)["performance"] for report in reports))
                rows.append((label, path, result))
                findings[label] = failed_audits(reports[-1])
                if label == "report form":
                    weight = transferred(reports[-1], tiles.origin)
                print(label, path, result, flush=True)
    write(rows, findings, weight, options.runs)


def write(rows, findings, weight, runs: int) -> None:
    lines = [
        "# Lighthouse, mobile",
        "",
        "`bench/lighthouse.py`: the site as production runs it (DEBUG off, PostgreSQL with the demo",
        "content, collected static files, gunicorn with `gunicorn.conf.py`, 2 workers), map tiles",
        "from a tile server on loopback. The report form is measured signed in as the demo citizen",
        "(it asks visitors to log in first), the other pages signed out.",
        f"Lighthouse {LIGHTHOUSE_VERSION} with its default mobile audit",
        "(emulated phone, simulated slow 4G, 4× CPU slowdown) in Debian's Chromium, headless.",
        f"Performance is the median of {runs} run(s) per page. Machine: {os.cpu_count()} CPUs,",
        f"{platform.system()} {platform.release()}, shared with other work while measuring.",
        "",
        "| page | path | performance | accessibility | best practices | SEO |",
        "| --- | --- | ---: | ---: | ---: | ---: |",
    ]
    for label, path, result in rows:
        figures = " | ".join(str(result[name]) for name in CATEGORIES)
        lines.append(f"| {label}{' (signed in)' if label in SIGNED_IN else ''} | `{path}` | {figures} |")
    if weight:
        total, without_tiles = weight
        lines += [
            "",
            f"Report form page: {without_tiles / 1024:.1f} KiB transferred without map tiles "
            f"({total / 1024:.1f} KiB with the tiles of the test tile server).",
        ]
    lines += ["", "## Audits that cost points (accessibility, best practices, SEO)", ""]
    for label, failed in findings.items():
        lines.append(f"- {label}: " + ("; ".join(failed) if failed else "none"))
    text = "\n".join(lines) + "\n"
    RESULTS.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
