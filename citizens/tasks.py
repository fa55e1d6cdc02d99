"""Background jobs of the citizens app."""

from __future__ import annotations

from celery import shared_task

from citizens import actions


@shared_task
def purge_unverified_accounts_task() -> int:
    """Delete sign-ups that never confirmed their email (run by Celery beat)."""
    return actions.accounts_purge_unverified()
