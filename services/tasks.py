"""Background jobs for reports, recorded with ``cocreate.outbox`` and run by a worker."""

from __future__ import annotations

from celery import shared_task

from cocreate import outbox
from services import actions, notifications, photos
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


@shared_task
def purge_unconfirmed_reports_task() -> int:
    """Delete visitors' reports never confirmed, and photos of abandoned forms (run by Celery beat)."""
    return actions.reports_purge_unconfirmed() + photos.pending_purge()
