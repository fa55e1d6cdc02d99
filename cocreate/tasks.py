"""Celery tasks of the project package: running and sweeping the outbox of pending jobs."""

from __future__ import annotations

from celery import shared_task

from cocreate import outbox


# OSError covers an unreachable mail server (smtplib's errors are OSErrors) and storage errors.
@shared_task(autoretry_for=(OSError,), retry_backoff=True, retry_backoff_max=300, max_retries=5)
def run_pending_job_task(job_id: int) -> bool:
    """Run one recorded job (it takes the job's id only, so no personal data reaches the broker)."""
    return outbox.run(job_id)


@shared_task
def sweep_pending_jobs_task() -> int:
    """Send again the jobs a broker outage or a killed worker left behind (Celery beat)."""
    return outbox.sweep()
