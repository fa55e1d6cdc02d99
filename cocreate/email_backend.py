"""The email backend of a site without a mail server and without DEBUG: it logs a summary only.

Django's console backend prints whole messages (recipients, bodies with their sign-in and
unfollow links) to stdout, which is the server log in production; it is the default only with
``DEBUG`` on. Without ``EMAIL_HOST`` and with ``DEBUG`` off, this backend says how many
messages were not delivered, and nothing about them.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailMessage

logger = logging.getLogger(__name__)


class SummaryEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        count = len(email_messages)
        if count:
            recipients = sum(len(message.recipients()) for message in email_messages)
            logger.warning("%s emails to %s recipients not delivered: EMAIL_HOST is not set", count, recipients)
        return count
