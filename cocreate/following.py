"""The follow/unfollow button of report and proposal pages: one POST, a message, back to the page."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect


def follow_or_unfollow(
    request: HttpRequest,
    target: models.Model,
    *,
    follow: Callable[[], object],
    unfollow: Callable[[], object],
    followed: str,
    unfollowed: str,
) -> HttpResponse:
    """Unfollow when the form says so, else follow (refusals are shown, not raised)."""
    if request.POST.get("action") == "unfollow":
        unfollow()
        messages.success(request, unfollowed)
    else:
        try:
            follow()
        except PermissionDenied as error:
            messages.error(request, str(error))
        else:
            messages.success(request, followed)
    return redirect(target)
