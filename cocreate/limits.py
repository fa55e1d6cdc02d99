"""Rate limits on writes, counted atomically in the cache so every process shares them.

The counting is django-ratelimit's (``get_usage``): a fixed window per key, started with
``cache.add`` and advanced with ``cache.incr``, both atomic in Redis, so parallel requests
cannot pass a limit the way a read-modify-write list (DRF's throttles) lets them. Counters
live in the ``limits`` cache (``RATELIMIT_USE_CACHE``). When Redis fails, ``CountersCache``
counts in the process instead: a single process then still holds its limits, and a request
is never refused or failed because Redis is down.

Every write of a person, on a page or through the API, counts against one budget
(``WRITE_RATES["user"]``); every write from one client address against another
(``WRITE_RATES["address"]``); Open311 POSTs also per client key (``WRITE_RATES["open311_key"]``).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_ratelimit.core import get_usage
from redis.exceptions import RedisError
from rest_framework.throttling import BaseThrottle

logger = logging.getLogger(__name__)

# Writes per signed-in person, per client address, per Open311 client key.
USER = "user"
ADDRESS = "address"
OPEN311_KEY = "open311_key"


WARNING_INTERVAL = 60.0


class CountersCache(RedisCache):
    """Redis for the counters; on a Redis error, this process's own memory instead of an error."""

    _local = LocMemCache("cocreate-limits-fallback", {"OPTIONS": {"MAX_ENTRIES": 100_000}})
    _warned_at = -WARNING_INTERVAL

    def _fallback(self, operation: str, *args, **kwargs):
        try:
            return getattr(super(), operation)(*args, **kwargs)
        except (RedisError, OSError):
            # Once a minute at most: during an outage every write would log it.
            if time.monotonic() - CountersCache._warned_at >= WARNING_INTERVAL:
                CountersCache._warned_at = time.monotonic()
                logger.warning("Redis is unreachable: rate limits count in this process until it is back.")
            return getattr(self._local, operation)(*args, **kwargs)

    def add(self, *args, **kwargs):
        return self._fallback("add", *args, **kwargs)

    def incr(self, *args, **kwargs):
        return self._fallback("incr", *args, **kwargs)

    def get(self, *args, **kwargs):
        return self._fallback("get", *args, **kwargs)


def client_address(request: HttpRequest) -> str:
    """The client's address, as far as the settings trust a proxy (``BEHIND_PROXY``, DRF's ``NUM_PROXIES``)."""
    return BaseThrottle().get_ident(request)


def consume(request: HttpRequest, *, scope: str, ident: str) -> int | None:
    """Count one write of ``ident`` in ``scope``; None when within the limit, else the seconds to wait."""
    usage = get_usage(
        request,
        group=f"writes:{scope}",
        key=lambda _group, _request: ident,
        rate=settings.WRITE_RATES[scope],
        increment=True,
    )
    if usage is None or not usage["should_limit"]:
        return None
    return max(int(usage["time_left"]), 1)


def consume_write(request: HttpRequest) -> int | None:
    """Count a write against the person's and the address's budgets; the wait when over either."""
    waits = []
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        waits.append(consume(request, scope=USER, ident=str(user.pk)))
    waits.append(consume(request, scope=ADDRESS, ident=client_address(request)))
    over = [wait for wait in waits if wait is not None]
    return max(over) if over else None


def too_many_requests(request: HttpRequest, wait: int) -> HttpResponse:
    """The friendly page of a refused write: 429, saying how long to wait."""
    response = render(request, "429.html", {"wait_seconds": wait}, status=429)
    response["Retry-After"] = str(wait)
    return response


def limit_writes(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A page's POST counts as a write (see ``consume_write``); over a limit, the 429 page instead."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method == "POST":
            wait = consume_write(request)
            if wait is not None:
                return too_many_requests(request, wait)
        return view(request, *args, **kwargs)

    return wrapper
