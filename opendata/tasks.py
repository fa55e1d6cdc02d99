"""Background jobs for open data."""

from __future__ import annotations

from celery import shared_task

from opendata import builder
from opendata.models import Snapshot


@shared_task(autoretry_for=(OSError,), retry_backoff=60, max_retries=3)
def build_datasets_task(snapshot_id: int | None = None) -> int:
    """Build a snapshot of every dataset (nightly by Celery beat, or on demand), then prune old ones."""
    snapshot = Snapshot.objects.filter(pk=snapshot_id, status=Snapshot.Status.BUILDING).first() if snapshot_id else None
    if snapshot is None:
        snapshot = builder.snapshot_start()
    builder.snapshot_build(snapshot)
    builder.snapshots_prune()
    return snapshot.pk


@shared_task
def fail_stalled_builds_task() -> int:
    """Mark failed the builds that stopped making progress (a killed worker), and delete their files."""
    return builder.snapshots_fail_stalled()
