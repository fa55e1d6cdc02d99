"""Sending email from a worker, after the surrounding transaction commits, with retries."""

from __future__ import annotations

from django.core.mail import EmailMessage, EmailMultiAlternatives

from cocreate import outbox


def queue_email(message: EmailMessage) -> None:
    """Record ``message`` as a pending job; a worker sends it once the transaction has committed.

    The message lives in the database until it is sent, never in the broker or a log line.
    """
    html = None
    if isinstance(message, EmailMultiAlternatives):
        html = next((content for content, mimetype in message.alternatives if mimetype == "text/html"), None)
    outbox.enqueue(
        send_email,
        subject=str(message.subject),
        body=str(message.body),
        from_email=message.from_email,
        to=list(message.to),
        html=html,
        headers=dict(message.extra_headers) or None,
    )


@outbox.job
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
