"""Background jobs for proposals."""

from __future__ import annotations

from celery import shared_task

from proposals import actions, notifications
from proposals.models import ProposalStatusChange


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def process_proposal_image_task(image_id: int) -> bool:
    """Strip metadata from, orient and resize a proposal's image."""
    return actions.proposal_image_process(image_id=image_id)


@shared_task
def notify_proposal_change_task(change_id: int) -> int:
    """Email the author, supporters and followers about one status change."""
    change = ProposalStatusChange.objects.select_related("proposal").filter(pk=change_id).first()
    return notifications.notify_proposal_change(change) if change else 0
