"""Request middleware for accounts: the person's language and staff two-factor authentication."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from citizens import roles, step_up


class PreferredLanguageMiddleware:
    """Speak a signed-in person's preferred language, whatever browser they use."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.preferred_language:
            translation.activate(user.preferred_language)
            request.LANGUAGE_CODE = user.preferred_language
        return self.get_response(request)


class StaffTwoFactorMiddleware:
    """Send staff and moderators to step up (``citizens.step_up``) before they reach the administration,
    and note on the request's user whether it passed step-up."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not roles.is_staff_member(user):
            return self.get_response(request)
        # Whether this request passed step-up, worked out on first use (roles.reads_as_staff, the
        # administration below) so that a staff page that never asks costs no query.
        user.stepped_up = SimpleLazyObject(lambda: step_up.is_stepped_up(request))
        if request.path.startswith(reverse("admin:index")) and not user.stepped_up:
            if step_up.has_totp(user):
                messages.warning(request, _("Enter your two-factor code again before you use the administration."))
            else:
                messages.warning(request, _("Set up two-factor authentication before you use the administration."))
            return redirect(step_up.step_up_url(request, request.get_full_path()))
        return self.get_response(request)
