"""Sending email through the task queue, after the surrounding transaction commits."""

from __future__ import annotations

from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction


def queue_email(message: EmailMessage) -> None:
    """Send ``message`` from a worker once the current transaction has committed."""
    from citizens.tasks import send_email_task

    html = None
    if isinstance(message, EmailMultiAlternatives):
        html = next((content for content, mimetype in message.alternatives if mimetype == "text/html"), None)
    payload = {
        "subject": str(message.subject),
        "body": str(message.body),
        "from_email": message.from_email,
        "to": list(message.to),
        "html": html,
        "headers": dict(message.extra_headers) or None,
    }
    transaction.on_commit(lambda: send_email_task.delay(**payload))


def send_email(
    *,
    subject: str,
    body: str,
    from_email: str | None,
    to: list[str],
    html: str | None = None,
    headers: dict[str, str] | None = None,
) -> int:
    """Deliver one message with the configured email backend."""
    message = EmailMultiAlternatives(subject=subject, body=body, from_email=from_email, to=to, headers=headers)
    if html:
        message.attach_alternative(html, "text/html")
    return message.send()
