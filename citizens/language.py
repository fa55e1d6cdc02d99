"""The language a visitor chose before logging in becomes their account's language."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from citizens import actions
from citizens.models import User


def remember_visitor_language(sender, request: HttpRequest | None, user: User, **kwargs) -> None:
    """On log in, keep the language picked with the switcher while signed out.

    Only the switcher sets the language cookie, so a cookie means the visitor chose; without
    one (a browser's Accept-Language guess) the account's own language wins.
    """
    if request is None:
        return
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    if chosen:
        actions.user_set_language(user=user, language=chosen)
