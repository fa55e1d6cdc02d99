"""API tokens: the account page makes (or replaces) one and shows it once, or revokes it; the API
authenticates with it.

An account that holds staff powers makes its token only from a stepped-up session
(``citizens.step_up``): that token then carries those powers, and it expires.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from citizens import actions, roles, step_up
from citizens.models import ApiToken, hash_token_key
from cocreate.limits import limit_writes


@require_POST
@login_required
@limit_writes
def api_token_create(request: HttpRequest) -> HttpResponse:
    """Issue a new token, replacing any old one, and show it once: only its holder ever sees it."""
    for_staff = roles.holds_staff_powers(request.user)
    if for_staff and not step_up.is_stepped_up(request):
        return step_up.send_to_step_up(request)
    _token, key = actions.api_token_issue(user=request.user, for_staff=for_staff)
    messages.success(
        request,
        _("Your new API token is %(key)s. Copy it now: it will not be shown again. Any older token stopped working.")
        % {"key": key},
    )
    return redirect("profile")


@require_POST
@login_required
def api_token_revoke(request: HttpRequest) -> HttpResponse:
    if actions.api_token_revoke(user=request.user):
        messages.success(request, _("Your API token is revoked: applications using it can no longer act for you."))
    return redirect("profile")


class ApiTokenAuthentication(TokenAuthentication):
    """``Authorization: Token <key>``, checked against the key's hash and its expiry."""

    model = ApiToken

    def authenticate_credentials(self, key: str):
        token = ApiToken.objects.select_related("user").filter(key_hash=hash_token_key(key)).first()
        if token is None:
            raise AuthenticationFailed(_("Invalid token."))
        if token.is_expired():
            raise AuthenticationFailed(_("This token has expired: make a new one on your account page."))
        if not token.user.is_active:
            raise AuthenticationFailed(_("User inactive or deleted."))
        token.record_use()
        if roles.is_staff_member(token.user):
            # A staff token can only be made in a stepped-up session (citizens.step_up).
            token.user.stepped_up = token.for_staff and step_up.has_totp(token.user)
        return token.user, token
