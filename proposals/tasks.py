"""Background jobs for proposals, recorded with ``cocreate.outbox`` and run by a worker."""

from __future__ import annotations

from cocreate import outbox
from proposals import actions, notifications
from proposals.models import ProposalStatusChange


@outbox.job
def process_proposal_image_task(*, image_id: int) -> bool:
    """Strip metadata from, orient and resize a proposal's image (an image already done is skipped)."""
    return actions.proposal_image_process(image_id=image_id)


@outbox.job
def notify_proposal_change_task(*, change_id: int) -> int:
    """Email the author, supporters and followers about one status change."""
    change = ProposalStatusChange.objects.select_related("proposal").filter(pk=change_id).first()
    return notifications.notify_proposal_change(change) if change else 0
