"""Background jobs of the citizens app."""

from __future__ import annotations

from celery import shared_task

from citizens import actions, mail


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_email_task(
    *,
    subject: str,
    body: str,
    from_email: str | None,
    to: list[str],
    html: str | None = None,
    headers: dict[str, str] | None = None,
) -> int:
    """Deliver one email; retried on its own when the mail server is unreachable."""
    return mail.send_email(subject=subject, body=body, from_email=from_email, to=to, html=html, headers=headers)


@shared_task
def purge_unverified_accounts_task() -> int:
    """Delete sign-ups that never confirmed their email (run by Celery beat)."""
    return actions.accounts_purge_unverified()
