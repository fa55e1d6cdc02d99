"""Public pages that every visitor shares: HTTP caching headers and a short-lived server cache.

A view marked ``@public_page(...)`` (the proposal and report lists and pages, ``/data/``, the
operators' pages, ...) shows an anonymous visitor exactly what it shows every other visitor in
the same language. ``PageCacheMiddleware`` then:

- answers a visitor's request from the shared cache (the default cache, Redis in production)
  when it holds the page, without running the view; a miss renders the page and keeps it for
  ``PAGE_CACHE_SECONDS``, keyed by the address (scheme, host, path, query) and the language,
  with the *versions* of the page's namespaces it was rendered at (a page kept at other versions
  is a miss);
- gives such a page ``Cache-Control: public, max-age=PAGE_MAX_AGE``, ``Vary: Accept-Language,
  Cookie`` and an ``ETag``, and answers ``304`` to a matching ``If-None-Match``;
- makes every other answer to a signed-in person, or that sets a cookie, or shows a message or
  a form's CSRF token, ``private, no-cache`` when the view did not say otherwise.

Only requests that carry no session and no messages cookie are served from or stored in the
cache: such a visitor cannot be signed in and has no message waiting. A response is stored only
when it is a 200 that sets no cookie (Django sends the CSRF cookie again with every answer that
shows a token) and showed or queued no message.

Writes make pages stale at once with ``bump(namespace, ...)``, called by the actions that change
what a page shows (``bump("proposals", f"proposal:{pk}")``) and, with no namespace, by moderation
and account changes, which may touch any page. The bump happens after the transaction commits,
so a page rendered from the old rows is never kept under the new version. The cache's lifetime is
the bound on staleness for everything that changes without an action (time passing, a deadline
missed) and when Redis lost a version. A Redis outage only means no cache
(``cocreate.cache.TolerantRedisCache``).

Django's own ``cache_page`` is not used: it keys by the ``Vary`` headers (so by every visitor's
cookies), would keep signed-in pages, and cannot be made stale by a write.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers, set_response_etag
from django.utils.translation import get_language

VERSION_PREFIX = "page-version:"
PAGE_PREFIX = "page:"
PART_PREFIX = "page-part:"
EVERY_PAGE = "*"
# Versions outlive the pages cached under them many times over: a version that expired would
# read as the first one again.
VERSION_SECONDS = 7 * 24 * 60 * 60
MAX_QUERY_VALUE = 40
MESSAGES_COOKIE = "messages"  # django.contrib.messages' CookieStorage.cookie_name

T = TypeVar("T")


def enabled() -> bool:
    """Whether pages are kept in the server cache (``PAGE_CACHE_SECONDS`` above 0)."""
    return settings.PAGE_CACHE_SECONDS > 0


def public_page(*namespaces: str, cache_query: Iterable[str] = ()) -> Callable:
    """Mark a view as a public page, the same for every visitor (see the module docstring).

    ``namespaces`` name what the page shows, for ``bump``; they may hold the view's URL
    arguments (``"proposal:{proposal_id}"``). Only a request whose query string names no other
    parameter than ``cache_query`` is served from the server cache, so that searches and made-up
    queries do not fill it; every visitor's page still gets the public headers.
    """

    def mark(view: Callable) -> Callable:
        view.public_page = PublicPage(namespaces=namespaces, cache_query=frozenset(cache_query))
        return view

    return mark


def bump(*namespaces: str) -> None:
    """Make the pages cached under ``namespaces`` (every page when none is given) stale, once the
    current transaction commits."""
    if not enabled():
        return
    keys = [VERSION_PREFIX + name for name in (namespaces or (EVERY_PAGE,))]
    transaction.on_commit(lambda: cache.set_many(dict.fromkeys(keys, uuid.uuid4().hex), VERSION_SECONDS))


@dataclass(frozen=True)
class PublicPage:
    """What ``@public_page`` says about a view."""

    namespaces: tuple[str, ...]
    cache_query: frozenset[str] = field(default_factory=frozenset)

    def lookup(self, request: HttpRequest, view_kwargs: dict[str, Any]) -> Lookup | None:
        """This request's page in the cache, or None when it is not to be cached."""
        if not query_is_shareable(request, self.cache_query):
            return None
        namespaces = [name.format(**view_kwargs) for name in self.namespaces]
        return _lookup(PAGE_PREFIX, request.build_absolute_uri(), namespaces)


def query_is_shareable(request: HttpRequest, names: Iterable[str]) -> bool:
    """Whether the query string names only ``names``, each once and short: a query worth keeping
    an answer to in the cache (a search, or made-up parameters, are not)."""
    allowed = set(names)
    return all(
        name in allowed and len(values) == 1 and len(values[0]) <= MAX_QUERY_VALUE
        for name, values in request.GET.lists()
    )


@dataclass(frozen=True)
class Lookup:
    """Where a page or part is kept, the versions it must have been rendered at, and what was found
    there at those versions (None: render it and ``keep`` it)."""

    key: str
    versions: tuple[str, ...]
    found: Any

    def keep(self, value: Any) -> None:
        cache.set(self.key, {"versions": self.versions, "value": value}, settings.PAGE_CACHE_SECONDS)


def _lookup(prefix: str, name: str, namespaces: Iterable[str]) -> Lookup:
    """``name`` in the active language, read with the versions of ``namespaces`` in one round trip.

    The versions are read before anything is rendered (see ``bump``), and a value kept at other
    versions is not returned.
    """
    names = [VERSION_PREFIX + EVERY_PAGE, *(VERSION_PREFIX + namespace for namespace in namespaces)]
    key = f"{prefix}{get_language()}:{hashlib.sha256(name.encode()).hexdigest()}"
    found = cache.get_many([*names, key])
    versions = tuple(str(found.get(name, "")) for name in names)
    entry = found.get(key)
    current = entry is not None and entry.get("versions") == versions
    return Lookup(key=key, versions=versions, found=entry["value"] if current else None)


def shared_part(name: str, namespaces: Iterable[str], render: Callable[[], T]) -> T:
    """A part of a page that every reader shares (a proposal's comments, a list), in the active
    language: kept in the cache until one of ``namespaces`` is bumped, else ``render()``'d.

    ``name`` says which part and of what (``"proposal-list:sort=newest"``); the value is
    pickled, so keep it to plain data: a class renamed would leave it unreadable.
    """
    if not enabled():
        return render()
    lookup = _lookup(PART_PREFIX, name, namespaces)
    if lookup.found is not None:
        return lookup.found
    value = render()
    lookup.keep(value)
    return value


def _may_share(request: HttpRequest) -> bool:
    """A request that can only be a visitor's with no message waiting."""
    return settings.SESSION_COOKIE_NAME not in request.COOKIES and MESSAGES_COOKIE not in request.COOKIES


def _is_personal(request: HttpRequest, response: HttpResponse) -> bool:
    """The answer is for this person only: they may be signed in, it sets a cookie (the CSRF
    cookie too, which Django sends with every answer showing a token), or it shows a message."""
    storage = getattr(request, "_messages", None)
    return bool(
        settings.SESSION_COOKIE_NAME in request.COOKIES
        or response.cookies
        or (storage is not None and (storage.used or storage.added_new))
    )


class PageCacheMiddleware:
    """Serve and keep public pages, and say who may cache each answer (see the module docstring).

    It sits outside the session, CSRF, messages and locale middleware, so it sees the cookies
    and ``Vary`` headers they add to the answer.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if _is_personal(request, response):
            if not response.has_header("Cache-Control"):
                patch_cache_control(response, private=True, no_cache=True)
            return response
        page = getattr(request, "public_page", None)
        if page is None or response.status_code != 200 or response.streaming:
            return response
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        patch_cache_control(response, public=True, max_age=settings.PAGE_MAX_AGE)
        if not response.has_header("ETag"):
            set_response_etag(response)
        lookup = getattr(request, "public_page_lookup", None)
        if lookup is not None and lookup.found is None and request.method == "GET":
            lookup.keep(
                {"content": response.content, "content_type": response["Content-Type"], "etag": response["ETag"]}
            )
        return get_conditional_response(request, etag=response["ETag"], response=response)

    def process_view(self, request: HttpRequest, view_func: Callable, view_args: tuple, view_kwargs: dict):
        page: PublicPage | None = getattr(view_func, "public_page", None)
        if page is None or request.method not in ("GET", "HEAD"):
            return None
        request.public_page = page
        if not (enabled() and _may_share(request)):
            return None
        lookup = page.lookup(request, view_kwargs)
        if lookup is None:
            return None
        request.public_page_lookup = lookup  # a page not found is kept on the way out, if it may be shared
        entry = lookup.found
        if entry is None:
            return None
        response = HttpResponse(entry["content"], content_type=entry["content_type"])
        response["ETag"] = entry["etag"]
        return response
