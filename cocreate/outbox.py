"""Background work that is never lost: recorded with the change that needs it, sent after commit.

An app marks a function as a job with ``@outbox.job`` and asks for it with
``outbox.enqueue(func, **kwargs)`` inside its transaction. The job is a ``PendingJob`` row
written in that same transaction; once the transaction commits, the row's id (and only its id:
no email body or address travels through the broker or its logs) is sent to Celery. When the
broker is down the request still succeeds: the failure is logged and the row waits. The worker
runs the job and deletes the row in one transaction, so a job that ran is never run again, and
one that failed stays for the next try.

``sweep()`` (Celery beat every minute, or ``manage.py sweep_pending_jobs``) sends again every
row that is due: at once for rows whose send failed, after ``OUTBOX_RETRY_MINUTES`` for rows that
were sent but not done (a broker restarted without its queue, a worker killed). After
``OUTBOX_MAX_ATTEMPTS`` sends a row is left alone and reported in the log. Jobs must therefore be
idempotent: a photo already processed, for one, is left as it is.

This module knows no content app: jobs are found by the dotted name of the function.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string

from cocreate.models import PendingJob

logger = logging.getLogger(__name__)

SWEEP_BATCH = 500


def job(func: Callable[..., object]) -> Callable[..., object]:
    """Mark ``func`` as a job that ``enqueue`` may record and a worker may run."""
    func.outbox_job = True  # type: ignore[attr-defined]
    return func


def _name(func: Callable[..., object]) -> str:
    if not getattr(func, "outbox_job", False):
        raise ValueError(f"{func!r} is not marked with @outbox.job")
    return f"{func.__module__}.{func.__qualname__}"


def _later(now: datetime | None = None) -> datetime:
    return (now or timezone.now()) + timedelta(minutes=settings.OUTBOX_RETRY_MINUTES)


def enqueue(func: Callable[..., object], **kwargs: object) -> PendingJob:
    """Record a job in the current transaction and send it to a worker once that commits."""
    pending = PendingJob.objects.create(name=_name(func), kwargs=kwargs, retry_at=_later())
    transaction.on_commit(lambda: send(pending.pk))
    return pending


def send(job_id: int) -> bool:
    """Give one job to Celery; on failure log it (no personal data) and leave it for the sweep.

    With tasks run in process (no broker), this runs the job now.
    """
    from cocreate.tasks import run_pending_job_task

    try:
        run_pending_job_task.apply_async(args=[job_id])
    except Exception as error:  # a broker that is down, or a job run in process that failed
        logger.warning("Pending job %s not done yet (%s); the sweep will send it again", job_id, type(error).__name__)
        PendingJob.objects.filter(pk=job_id).update(retry_at=timezone.now())
        return False
    return True


def run(job_id: int) -> bool:
    """Run one pending job and delete it, in one transaction; False when it is done or running."""
    with transaction.atomic():
        pending = PendingJob.objects.select_for_update(skip_locked=True).filter(pk=job_id).first()
        if pending is None:
            return False
        func = import_string(pending.name)
        if not getattr(func, "outbox_job", False):
            raise ValueError(f"{pending.name} is not a job")
        func(**pending.kwargs)
        pending.delete()
    return True


def sweep(*, now: datetime | None = None) -> int:
    """Send again every job that is due; returns how many were sent."""
    now = now or timezone.now()
    due = PendingJob.objects.filter(retry_at__lte=now)
    abandoned = due.filter(attempts__gte=settings.OUTBOX_MAX_ATTEMPTS).count()
    if abandoned:
        logger.error("%s pending jobs failed %s times and are no longer sent", abandoned, settings.OUTBOX_MAX_ATTEMPTS)
    sent = 0
    for job_id in due.filter(attempts__lt=settings.OUTBOX_MAX_ATTEMPTS).values_list("pk", flat=True)[:SWEEP_BATCH]:
        PendingJob.objects.filter(pk=job_id).update(attempts=F("attempts") + 1, retry_at=_later(now))
        sent += send(job_id)
    return sent
