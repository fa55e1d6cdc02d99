"""Rate limits on API writes: strict per person, generous per address.

Reads are not limited here: they are public, cheap and cached by clients. The rates
come from ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`` and are read on every request
rather than when the class is defined (as DRF does), so a changed setting applies at once.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView


class WriteThrottle(SimpleRateThrottle):
    """A rate limit on unsafe methods (POST, PUT, PATCH, DELETE) only."""

    def get_rate(self) -> str | None:
        rates = settings.REST_FRAMEWORK.get("DEFAULT_THROTTLE_RATES", {})
        try:
            return rates[self.scope]
        except KeyError:
            raise ImproperlyConfigured(
                f'REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] has no rate for the scope {self.scope!r}.'
            ) from None

    def allow_request(self, request: Request, view: APIView) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return super().allow_request(request, view)


class UserWriteThrottle(WriteThrottle):
    """Writes per signed-in person, whatever address or token they use."""

    scope = "user_writes"

    def get_cache_key(self, request: Request, view: APIView) -> str | None:
        if not request.user or not request.user.is_authenticated:
            return None  # anonymous writes are refused by the permissions before this runs
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}


class AddressWriteThrottle(WriteThrottle):
    """Writes per client address; generous, because many citizens share a carrier's NAT address."""

    scope = "address_writes"

    def get_cache_key(self, request: Request, view: APIView) -> str | None:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
