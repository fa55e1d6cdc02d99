"""A real GBFS server on 127.0.0.1 for the tests: the feeds in ``operators/tests/feeds/`` (one
folder per version), with ``ETag``/``Last-Modified`` and 304 answers, and per-file overrides to
make a file slow, failing, not JSON, too large or different.

    def test_...(gbfs_server):
        operator = feed_operator(gbfs_server, "v3.0")
        gbfs_server.edit("v3.0/vehicle_status.json", lambda doc: ...)
        gbfs_server.fail("v3.0/vehicle_status.json", status=500)
"""

from __future__ import annotations

import copy
import hashlib
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

FEEDS = Path(__file__).parent / "feeds"
LAST_MODIFIED = "Tue, 14 Nov 2023 22:13:20 GMT"


@dataclass
class Override:
    status: int = 200
    body: bytes | None = None
    delay: float = 0.0
    content_length: bool = True


class GbfsServer:
    def __init__(self) -> None:
        self.documents: dict[str, object] = {}
        self.overrides: dict[str, Override] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.lock = threading.Lock()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.httpd.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def url(self, version: str) -> str:
        return f"{self.base_url}/{version}/gbfs.json"

    def document(self, path: str) -> object:
        """The document served at ``path`` (``v2.3/free_bike_status.json``), as a dict."""
        with self.lock:
            if path not in self.documents:
                text = (FEEDS / path).read_text().replace("{base}", f"{self.base_url}/{path.split('/')[0]}")
                self.documents[path] = json.loads(text)
            return copy.deepcopy(self.documents[path])

    def edit(self, path: str, change: Callable[[dict], object]) -> None:
        """Serve ``path`` changed by ``change`` (which edits the document in place)."""
        document = self.document(path)
        change(document)
        with self.lock:
            self.documents[path] = document

    def fail(self, path: str, **override: object) -> None:
        """Answer ``path`` with ``Override(**override)`` instead of its document."""
        with self.lock:
            self.overrides[path] = Override(**override)

    def heal(self, path: str) -> None:
        with self.lock:
            self.overrides.pop(path, None)

    def seen(self, path: str) -> list[dict[str, str]]:
        """The request headers of every request for ``path``, in order."""
        return [headers for seen_path, headers in self.requests if seen_path == path]


def _handler(server: GbfsServer):
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            path = self.path.lstrip("/")
            server.requests.append((path, dict(self.headers.items())))
            override = server.overrides.get(path)
            if override and override.delay:
                time.sleep(override.delay)
            if override and (override.body is not None or override.status != 200):
                self.send_response(override.status)
                self.send_header("Content-Type", "application/json")
                body = override.body or b""
                if override.content_length:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
            if not (FEEDS / path).is_file():
                self.send_error(404)
                return
            body = json.dumps(server.document(path)).encode()
            etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", LAST_MODIFIED)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


@pytest.fixture
def gbfs_server():
    server = GbfsServer()
    server.thread.start()
    try:
        yield server
    finally:
        server.httpd.shutdown()
        server.httpd.server_close()


def feed_operator(server: GbfsServer, version: str, slug: str = "kring", **fields):
    """An operator whose feed is the server's ``version`` folder (``v2.3`` or ``v3.0``)."""
    from operators.tests.factories import OperatorFactory

    return OperatorFactory(slug=slug, name=fields.pop("name", slug.title()), gbfs_url=server.url(version), **fields)
