"""``{% page_chrome "_header.html" %}``: the header and footer every page shares, rendered once per
kind of reader and kept by the process.

They are a third of a signed-in page's rendering (some thirty translations and links), yet they
depend only on the language, the site's name and URLs, and the reader's kind: visitor or signed
in, staff or not, working for an operator or not. Those are the key; two things that differ per
request go in afterwards: the CSRF token of the log-out and language forms, and the page the
language menu comes back to (``next_path``). Nothing here reads the database or the cache, so an
error page rendered while they are down (``cocreate.unavailable``) still gets its header. With
``DEBUG`` on, templates may change while the process runs: the chrome is rendered every time.
"""

from __future__ import annotations

import secrets

from django import template
from django.conf import settings
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.urls import get_urlconf
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

register = template.Library()

# Stand-ins put in the kept copy, replaced per request; random per process, so no text on a page
# can be one of them.
TOKEN = secrets.token_urlsafe(24)
NEXT_PATH = secrets.token_urlsafe(24)
_kept: dict[tuple, str] = {}


@register.simple_tag(takes_context=True)
def page_chrome(context: template.Context, name: str) -> SafeString:
    """The chrome ``name`` for this request's reader, language and page."""
    request = context.get("request")
    user = context.get("user")
    signed_in = bool(user is not None and user.is_authenticated)
    operator_workspace = bool(signed_in and request is not None and request.session.get("operator_workspace"))
    key = (
        name,
        get_language(),
        settings.SITE_NAME,
        get_urlconf() or settings.ROOT_URLCONF,
        signed_in,
        signed_in and user.is_staff,
        operator_workspace,
    )
    html = None if settings.DEBUG else _kept.get(key)
    if html is None:
        html = render_to_string(
            name,
            {
                "user": user,
                "operator_workspace": operator_workspace,
                "SITE_NAME": settings.SITE_NAME,
                "csrf_token": TOKEN,
                "next_path": NEXT_PATH,
            },
        )
        _kept[key] = html
    if request is not None:
        if signed_in:
            html = html.replace(TOKEN, get_token(request))
        html = html.replace(NEXT_PATH, escape(request.get_full_path()))
    else:
        html = html.replace(NEXT_PATH, "")
    return mark_safe(html)  # noqa: S308 - rendered by our templates, which escape what they show
