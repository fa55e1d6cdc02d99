"""Background jobs for reports, recorded with ``cocreate.outbox`` and run by a worker."""

from __future__ import annotations

from cocreate import outbox
from services import actions, notifications
from services.models import ReportUpdate


@outbox.job
def process_report_photos_task(*, report_id: int) -> int:
    """Strip metadata from, orient and resize a report's new photos (photos already done are skipped)."""
    return actions.report_process_photos(report_id=report_id)


@outbox.job
def notify_report_update_task(*, update_id: int) -> int:
    """Email the followers of a report about one public update."""
    update = ReportUpdate.objects.select_related("report__service").filter(pk=update_id).first()
    return notifications.notify_report_update(update) if update else 0
