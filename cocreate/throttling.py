"""Rate limits on API writes: strict per person, generous per address.

The counters are those of ``cocreate.limits``, atomic in the cache and shared with the
website's forms, so one person has one budget whatever surface they write through. Reads
are not limited here: they are public, cheap and cached by clients. The rates come from
``WRITE_RATES`` and are read on every request, so a changed setting applies at once.
Over a limit DRF answers 429 with ``Retry-After`` and a JSON ``detail``.
"""

from __future__ import annotations

from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle
from rest_framework.views import APIView

from cocreate import limits


class WriteThrottle(BaseThrottle):
    """A rate limit on unsafe methods (POST, PUT, PATCH, DELETE) only."""

    scope: str
    wait_seconds: int | None = None

    def ident_of(self, request: Request) -> str | None:
        raise NotImplementedError

    def allow_request(self, request: Request, view: APIView) -> bool:
        if request.method in SAFE_METHODS:
            return True
        ident = self.ident_of(request)
        if ident is None:
            return True
        self.wait_seconds = limits.consume(request, scope=self.scope, ident=ident)
        return self.wait_seconds is None

    def wait(self) -> int | None:
        return self.wait_seconds


class UserWriteThrottle(WriteThrottle):
    """Writes per signed-in person, whatever address or token they use."""

    scope = limits.USER

    def ident_of(self, request: Request) -> str | None:
        if not request.user or not request.user.is_authenticated:
            return None  # anonymous writes are refused by the permissions before this runs
        return str(request.user.pk)


class AddressWriteThrottle(WriteThrottle):
    """Writes per client address; generous, because many citizens share a carrier's NAT address."""

    scope = limits.ADDRESS

    def ident_of(self, request: Request) -> str | None:
        return self.get_ident(request)
