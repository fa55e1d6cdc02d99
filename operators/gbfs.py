"""Reading an operator's GBFS feed over HTTP: auto-discovery, download, then the checks of
``operators/gbfs_documents.py``; nothing is written here (``operators/fleet.py`` records a poll).

``fetch_feed(url, ...)`` downloads ``gbfs.json`` and the files it lists (versions 2.0 to 2.3
and 3.0) with the standard library, within ``GBFS_TIMEOUT`` seconds and ``GBFS_MAX_BYTES`` per
file, following redirects to http(s) addresses only. ``gbfs.json`` and the vehicle status are
asked conditionally (``ETag``/``Last-Modified``, kept per URL in ``Operator.feed_validators``):
a vehicle status that did not change (HTTP 304) ends the poll there and the vehicles stored
stay as they are. The small files (system information, vehicle types, stations) are read again
whenever the vehicles changed, so a new vehicle type or station is never missed.

Every failure is a ``FeedError`` whose ``code`` is one of the constants below (kept with each
poll) and whose ``message`` is translated when shown.
"""

from __future__ import annotations

import http.client
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_noop

from operators.gbfs_documents import (
    ERROR_TEXTS,
    FILES,
    HTTP_ERROR,
    INVALID,
    NOT_JSON,
    STATUS_FILES,
    TIMEOUT,
    TOO_LARGE,
    UNREACHABLE,
    WRONG_VERSION,
    FeedError,
    FeedVehicle,
    Snapshot,
    discover,
    lazy_message,
    load,
    parse_feed,
    quoted,
)

__all__ = [
    "ERROR_TEXTS",
    "HTTP_ERROR",
    "INVALID",
    "NOT_JSON",
    "TIMEOUT",
    "TOO_LARGE",
    "UNREACHABLE",
    "WRONG_VERSION",
    "FeedError",
    "FeedVehicle",
    "Fetched",
    "Snapshot",
    "discover",
    "fetch_feed",
    "parse_feed",
]

CHUNK = 64 * 1024


# --- downloading -----------------------------------------------------------------------------


@dataclass
class Fetched:
    """One download of a feed: the snapshot, or None when the vehicles did not change (HTTP 304),
    with the feed URLs and validators to keep for the next poll, and the feed's ``ttl``."""

    snapshot: Snapshot | None
    feed_urls: dict[str, str]
    validators: dict[str, dict[str, Any]]
    ttl: int
    bytes_read: int = 0


class _Redirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects to http and https addresses only (never ``file:`` or ``ftp:``)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if not newurl.lower().startswith(("http://", "https://")):
            return None
        return super().redirect_request(req, fp, code, msg, headers, newurl)


# Only HTTP(S): urllib's default opener would also read file:, ftp: and data: addresses.
_OPENER = urllib.request.OpenerDirector()
for _handler in (
    urllib.request.HTTPHandler,
    urllib.request.HTTPSHandler,
    _Redirects,
    urllib.request.HTTPErrorProcessor,
    urllib.request.HTTPDefaultErrorHandler,
):
    _OPENER.add_handler(_handler())


@dataclass
class _Response:
    status: int
    body: bytes = b""
    etag: str = ""
    last_modified: str = ""


def _timeout_error(name: str) -> FeedError:
    return FeedError(
        TIMEOUT,
        lazy_message(
            gettext_noop("The %(file)s file did not arrive within %(seconds)s seconds."),
            file=name,
            seconds=settings.GBFS_TIMEOUT,
        ),
    )


def _too_large(name: str) -> FeedError:
    return FeedError(
        TOO_LARGE,
        lazy_message(
            gettext_noop("The %(file)s file is larger than %(size)s bytes."), file=name, size=settings.GBFS_MAX_BYTES
        ),
    )


def _download(url: str, name: str, validator: dict | None = None) -> _Response:
    """GET ``url`` within ``GBFS_TIMEOUT`` seconds (for the whole file) and ``GBFS_MAX_BYTES``."""
    if not url.lower().startswith(("http://", "https://")):
        raise FeedError(INVALID, lazy_message(gettext_noop("The feed's address must start with http:// or https://.")))
    headers = {"User-Agent": f"{settings.SITE_NAME} GBFS reader", "Accept": "application/json"}
    if validator and validator.get("etag"):
        headers["If-None-Match"] = validator["etag"]
    if validator and validator.get("last_modified"):
        headers["If-Modified-Since"] = validator["last_modified"]
    timeout, limit = settings.GBFS_TIMEOUT, settings.GBFS_MAX_BYTES
    deadline = time.monotonic() + timeout
    try:
        # The scheme is checked above, and redirects go to http(s) only.
        request = urllib.request.Request(url, headers=headers)  # noqa: S310
        with _OPENER.open(request, timeout=timeout) as response:
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > limit:
                raise _too_large(name)
            chunks, size = [], 0
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise _timeout_error(name)
                _read_within(response, remaining)
                chunk = response.read(CHUNK)
                if not chunk:
                    break
                size += len(chunk)
                if size > limit:
                    raise _too_large(name)
                chunks.append(chunk)
            return _Response(
                status=response.status,
                body=b"".join(chunks),
                etag=quoted(response.headers.get("ETag", ""), 200),
                last_modified=quoted(response.headers.get("Last-Modified", ""), 100),
            )
    except urllib.error.HTTPError as error:
        if error.code == 304 and validator:
            return _Response(status=304)
        raise FeedError(
            HTTP_ERROR,
            lazy_message(
                gettext_noop("The %(file)s file could not be read: the server answered HTTP %(status)s."),
                file=name,
                status=error.code,
            ),
        ) from None
    except urllib.error.URLError as error:
        if isinstance(error.reason, TimeoutError):
            raise _timeout_error(name) from None
        raise _unreachable(name) from None
    except TimeoutError:
        raise _timeout_error(name) from None
    except (OSError, ValueError, http.client.HTTPException):
        # Connection reset, a broken chunked body, an address urllib cannot parse.
        raise _unreachable(name) from None


def _unreachable(name: str) -> FeedError:
    return FeedError(
        UNREACHABLE,
        lazy_message(gettext_noop("The %(file)s file could not be downloaded: no answer from its server."), file=name),
    )


def _read_within(response, seconds: float) -> None:
    """Let the next read wait at most ``seconds``: the socket timeout urllib sets counts per read,
    so without this a server sending a byte at a time could hold the poll for ever."""
    sock = getattr(getattr(getattr(response, "fp", None), "raw", None), "_sock", None)
    if sock is not None:
        sock.settimeout(max(seconds, 0.001))


def _validator(response: _Response, ttl: int | None = None) -> dict[str, Any]:
    kept: dict[str, Any] = {"etag": response.etag, "last_modified": response.last_modified}
    if ttl is not None:
        kept["ttl"] = ttl
    return kept


def fetch_feed(
    gbfs_url: str, *, feed_urls: dict[str, str] | None = None, validators: dict[str, dict] | None = None
) -> Fetched:
    """Download and check a feed from its ``gbfs.json``; ``feed_urls`` and ``validators`` are
    those kept from the previous poll (for conditional requests)."""
    validators = validators or {}
    kept: dict[str, dict[str, Any]] = {}
    read = 0
    # gbfs.json is asked conditionally only when its feed URLs are kept from the last poll.
    discovery = _download(gbfs_url, "gbfs", validators.get(gbfs_url) if feed_urls else None)
    if discovery.status == 304:
        urls = dict(feed_urls or {})
        kept[gbfs_url] = validators[gbfs_url]
    else:
        read += len(discovery.body)
        urls = discover(load("gbfs", discovery.body))
        kept[gbfs_url] = _validator(discovery)
    status_name = next(name for name in STATUS_FILES if name in urls)
    status_url = urls[status_name]
    status = _download(status_url, status_name, validators.get(status_url))
    if status.status == 304:
        kept[status_url] = validators[status_url]
        return Fetched(snapshot=None, feed_urls=urls, validators=kept, ttl=int(validators[status_url].get("ttl", 0)))
    read += len(status.body)
    documents = {status_name: load(status_name, status.body)}
    for name in FILES:
        if name in urls:
            response = _download(urls[name], name)
            read += len(response.body)
            documents[name] = load(name, response.body)
    snapshot = parse_feed(documents)
    kept[status_url] = _validator(status, snapshot.ttl)
    return Fetched(snapshot=snapshot, feed_urls=urls, validators=kept, ttl=snapshot.ttl, bytes_read=read)
