"""Step-up for staff powers: a second factor before anyone acts as city staff or moderator.

Every staff or moderator power (a status change, an official answer, a dataset build, the
administration, a staff API token) asks two things of the request, here and nowhere else:

- the account has a TOTP authenticator (``allauth.mfa``), and
- this session passed it: allauth records each authentication method a session used
  (``get_authentication_records``); a login that asked for the code, or a later
  re-authentication with it, leaves an ``mfa`` record. Setting TOTP up also counts, since
  the person has just typed a valid code (see ``record_totp_activation``).

A request authenticated by a staff API token counts as stepped up as long as the account
still has TOTP: such a token is made only from a stepped-up session
(``citizens.api_tokens``), so holding it proves that session as much as a cookie does, and
it expires (``STAFF_API_TOKEN_DAYS``).

A person without step-up keeps every citizen power: only the staff power is refused. Pages
send them to set TOTP up (or to enter the code again); the API answers 403 with the stable
``code`` ``two_factor_required``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from allauth.account.authentication import get_authentication_records
from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_added
from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.permissions import BasePermission

TWO_FACTOR_REQUIRED = "two_factor_required"
REFUSAL = _("Staff powers need two-factor authentication: set up TOTP and sign in with its code.")


def has_totp(user) -> bool:
    return bool(user and user.is_authenticated and is_mfa_enabled(user, [Authenticator.Type.TOTP]))


def session_passed_two_factor(request: HttpRequest) -> bool:
    records = get_authentication_records(request, request.user) if hasattr(request, "session") else []
    return any(record.get("method") == "mfa" for record in records)


def is_stepped_up(request: HttpRequest) -> bool:
    """TOTP set up, and this session (or the staff API token of this request) passed it."""
    user = getattr(request, "user", None)
    if not has_totp(user):
        return False
    token = getattr(request, "auth", None)
    if token is not None:
        return bool(getattr(token, "for_staff", False))
    return session_passed_two_factor(request)


def step_up_url(request: HttpRequest, next_url: str) -> str:
    """Where a page sends a person who has to step up: TOTP set-up, or the code again."""
    name = "mfa_reauthenticate" if has_totp(request.user) else "mfa_activate_totp"
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


def _back(request: HttpRequest) -> str:
    """The page to come back to: this one for a GET, the form's page for a POST."""
    if request.method == "GET":
        return request.get_full_path()
    referer = request.headers.get("referer", "")
    if referer and url_has_allowed_host_and_scheme(referer, {request.get_host()}, request.is_secure()):
        return referer
    return "/"


def send_to_step_up(request: HttpRequest) -> HttpResponse:
    messages.warning(request, str(REFUSAL))
    return redirect(step_up_url(request, _back(request)))


def staff_power(may: Callable[[object], bool]):
    """A page of a staff power: log in, hold the role (else 403), then step up (else redirect)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not may(request.user):
                raise PermissionDenied
            if not is_stepped_up(request):
                return send_to_step_up(request)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def check_stepped_up_for_api(request) -> None:
    """Raise the API's 403 with ``code`` ``two_factor_required`` unless the request is stepped up."""
    if not is_stepped_up(request):
        raise ApiPermissionDenied({"detail": str(REFUSAL), "code": TWO_FACTOR_REQUIRED})


@receiver(authenticator_added)
def record_totp_activation(sender, request: HttpRequest, user, authenticator: Authenticator, **kwargs) -> None:
    """Setting TOTP up takes a valid code: this session has passed the second factor."""
    if request is not None and authenticator.type == Authenticator.Type.TOTP:
        record_authentication(request, user, "mfa", id=authenticator.pk, type=authenticator.type, activated=True)


class StaffPower(BasePermission):
    """The API's staff power: the view's role (``staff_power``, a predicate on the user), then step-up.

    Without the role the answer is DRF's plain 403; with it but not stepped up, a 403 whose
    ``code`` is ``two_factor_required``.
    """

    message = _("Only staff with this role may do this.")

    def has_permission(self, request, view) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        if not view.staff_power(request.user):
            return False
        check_stepped_up_for_api(request)
        return True
