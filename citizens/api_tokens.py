"""The account page's API token: create (or replace) it and see it once, or revoke it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rest_framework.authtoken.models import Token


@require_POST
@login_required
def api_token_create(request: HttpRequest) -> HttpResponse:
    """Issue a new token, replacing any old one, and show it once: only its holder ever sees it."""
    with transaction.atomic():
        Token.objects.filter(user=request.user).delete()
        token = Token.objects.create(user=request.user)
    messages.success(
        request,
        _("Your new API token is %(key)s. Copy it now: it will not be shown again. Any older token stopped working.")
        % {"key": token.key},
    )
    return redirect("profile")


@require_POST
@login_required
def api_token_revoke(request: HttpRequest) -> HttpResponse:
    deleted, _count = Token.objects.filter(user=request.user).delete()
    if deleted:
        messages.success(request, _("Your API token is revoked: applications using it can no longer act for you."))
    return redirect("profile")
