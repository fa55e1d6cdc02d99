"""How allauth creates accounts and sends their emails on this site."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest

from citizens.mail import queue_email


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Render the message now, in the reader's language, and send it from a worker."""
        queue_email(self.render_mail(template_prefix, email, context))

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        """Failed logins count per account *and* client address (``ACCOUNT_RATE_LIMITS["login_failed"]``).

        allauth counts them per account alone, so five wrong passwords from anywhere lock the
        owner out. Per address, a guesser locks out only their own address; the per-address
        limit still caps how fast one address guesses at all.
        """
        return f"{super()._get_login_attempts_cache_key(request, **credentials)}:{self.get_client_ip(request)}"
