"""How allauth creates accounts and sends their emails on this site."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter

from citizens.mail import queue_email


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Render the message now, in the reader's language, and send it from a worker."""
        queue_email(self.render_mail(template_prefix, email, context))
