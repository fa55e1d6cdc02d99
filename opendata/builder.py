"""Building a snapshot: every dataset, every format, streamed to files, then switched in at once.

Each file is written to a local temporary file while its rows stream from the database
(written by PostgreSQL's COPY for the plain datasets, ``opendata.copying``, or by
``opendata.writers`` from the rows), renamed when complete, then stored under the snapshot's
folder. Every dataset of a snapshot is read in one view of the data (``opendata.reading``).
The snapshot becomes the one behind the "latest" links only when every file is stored: a
failed or killed build leaves the previous latest as it was.

A build killed outright (SIGKILL, a lost host) cannot mark itself failed, so every
progress step moves ``progressed_at`` forward, and ``snapshots_fail_stalled`` (Celery
beat, and every new build) fails a build that has not moved for
``OPENDATA_BUILD_STALL_MINUTES``, deletes what it stored and its temporary folder.
"""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Callable, Iterable
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from cocreate import page_cache
from opendata import metadata
from opendata.copying import copy_dataset
from opendata.datasets import DATASETS, Dataset
from opendata.models import Snapshot, SnapshotFile
from opendata.reading import SnapshotView, snapshot_view
from opendata.writers import WRITERS, Written

logger = logging.getLogger(__name__)

PROGRESS_EVERY = 5000

ProgressCallback = Callable[[Snapshot], None]


def publication_cutoff(now=None):
    """Content younger than the publication delay waits for the next snapshot."""
    return (now or timezone.now()) - timedelta(hours=settings.OPENDATA_PUBLICATION_DELAY_HOURS)


def stalled_since(now=None):
    """A build whose last progress is older than this is dead."""
    return (now or timezone.now()) - timedelta(minutes=settings.OPENDATA_BUILD_STALL_MINUTES)


def work_dir(snapshot: Snapshot) -> Path:
    """The build's local temporary folder, named after the snapshot so that it can be found after a kill."""
    return Path(settings.OPENDATA_WORK_DIR) / f"snapshot-{snapshot.pk}"


def snapshots_fail_stalled(*, now=None) -> int:
    """Fail every build that made no progress lately, and delete its files; "Build now" is free again."""
    stalled = Snapshot.objects.filter(status=Snapshot.Status.BUILDING, progressed_at__lt=stalled_since(now))
    count = 0
    for snapshot in stalled:
        failed = Snapshot.objects.filter(pk=snapshot.pk, status=Snapshot.Status.BUILDING).update(
            status=Snapshot.Status.FAILED, error="stalled", finished_at=timezone.now()
        )
        if failed:
            _delete_stored(snapshot)
            shutil.rmtree(work_dir(snapshot), ignore_errors=True)
            logger.warning("Open data snapshot %s made no progress and was marked failed", snapshot.pk)
            count += 1
    return count


def snapshot_start(*, requested_by_role: str = "schedule", cutoff=None) -> Snapshot:
    """Create a snapshot in "building" state with the totals to reach, and fail stalled builds."""
    snapshots_fail_stalled()
    cutoff = cutoff or publication_cutoff()
    progress = {name: {"done": 0, "total": dataset.count(cutoff)} for name, dataset in DATASETS.items()}
    return Snapshot.objects.create(cutoff=cutoff, progress=progress, requested_by_role=requested_by_role)


def _save_progress(snapshot: Snapshot, on_progress: ProgressCallback | None) -> None:
    Snapshot.objects.filter(pk=snapshot.pk).update(progress=snapshot.progress, progressed_at=timezone.now())
    if on_progress:
        on_progress(snapshot)


def build_dataset(
    snapshot: Snapshot,
    dataset: Dataset,
    workdir: Path,
    on_progress: ProgressCallback | None = None,
    view: SnapshotView | None = None,
) -> list[SnapshotFile]:
    """Write every format of one dataset, read in ``view`` (Django's default connection without
    one), then store the files.

    On PostgreSQL a plain dataset is written by COPY (``opendata.copying``); any other, or any
    dataset on SQLite, in one pass over its rows by ``opendata.writers``.
    """
    progress = snapshot.progress[dataset.name]
    copying = view is not None and view.copies and dataset.is_plain

    def rows_done(done: int) -> None:
        progress["done"] = done
        # While COPY streams on the default connection, that connection can run nothing else.
        if view is None or view.separate or not copying:
            _save_progress(snapshot, on_progress)

    if copying:
        results = copy_dataset(dataset, snapshot.cutoff, view, workdir, rows_done)
    else:
        rows = view.rows(dataset, snapshot.cutoff) if view is not None else dataset.rows(snapshot.cutoff)
        results = write_rows(dataset, rows, workdir, rows_done)
    done = next(iter(results.values())).rows
    snapshot.progress[dataset.name] = {"done": done, "total": max(done, progress["total"])}
    _save_progress(snapshot, on_progress)
    files = []
    for fmt, written in results.items():
        local = workdir / f"{dataset.name}.{fmt}"
        with local.open("rb") as handle:
            stored = default_storage.save(f"{snapshot.storage_prefix}{dataset.name}.{fmt}", File(handle))
        files.append(
            SnapshotFile(
                snapshot=snapshot,
                dataset=dataset.name,
                format=fmt,
                name=stored,
                media_type=WRITERS[fmt].media_type,
                rows=written.rows,
                bytes=written.bytes,
                sha256=written.sha256,
            )
        )
        local.unlink()
    return files


def write_rows(
    dataset: Dataset, rows: Iterable[tuple], workdir: Path, rows_done: Callable[[int], None]
) -> dict[str, Written]:
    """Every format of a dataset in a single pass over its rows, as ``<name>.<format>`` in ``workdir``."""
    parts = {fmt: workdir / f"{dataset.name}.{fmt}.part" for fmt in dataset.formats}
    handles = {fmt: part.open("wb") for fmt, part in parts.items()}
    try:
        writers = {fmt: WRITERS[fmt](handle, dataset.column_names, dataset.point) for fmt, handle in handles.items()}
        for done, row in enumerate(rows, start=1):
            for writer in writers.values():
                writer.write(row)
            if done % PROGRESS_EVERY == 0:
                rows_done(done)
        results = {fmt: writer.close() for fmt, writer in writers.items()}
    finally:
        for handle in handles.values():
            handle.close()
    for fmt, part in parts.items():
        os.replace(part, workdir / f"{dataset.name}.{fmt}")
    return results


def _delete_stored(snapshot: Snapshot) -> None:
    """Delete every file stored under the snapshot's folder, including any a failed build left
    before it could record them (a file stored just before the error, or datapackage.json)."""
    try:
        _dirs, names = default_storage.listdir(snapshot.storage_prefix)
    except FileNotFoundError:
        return
    for name in names:
        default_storage.delete(f"{snapshot.storage_prefix}{name}")


def snapshot_build(snapshot: Snapshot, *, on_progress: ProgressCallback | None = None) -> Snapshot:
    """Build every dataset of ``snapshot``; on success it becomes the latest."""
    stored: list[SnapshotFile] = []
    try:
        workdir = work_dir(snapshot)
        workdir.mkdir(parents=True, exist_ok=True)
        try:
            # Every dataset is read in one view of the data (see opendata.reading).
            with snapshot_view() as view:
                for dataset in DATASETS.values():
                    stored.extend(build_dataset(snapshot, dataset, workdir, on_progress, view))
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
        with transaction.atomic():
            SnapshotFile.objects.bulk_create(stored)
            package = metadata.write_datapackage(snapshot)
            succeeded = Snapshot.objects.filter(pk=snapshot.pk, status=Snapshot.Status.BUILDING).update(
                status=Snapshot.Status.SUCCEEDED, finished_at=timezone.now(), progress=snapshot.progress
            )
            if not succeeded:  # declared dead while it was still going: its files are not kept
                raise RuntimeError(f"snapshot {snapshot.pk} was marked failed while building")
            page_cache.bump("opendata")  # the catalogue offers the new files
        logger.info("Open data snapshot %s built: %s files", snapshot.pk, len(stored) + bool(package))
    except BaseException as error:
        Snapshot.objects.filter(pk=snapshot.pk).update(
            status=Snapshot.Status.FAILED, finished_at=timezone.now(), error=type(error).__name__
        )
        _delete_stored(snapshot)
        raise
    snapshot.refresh_from_db()
    return snapshot


def snapshots_prune(*, now=None) -> int:
    """Delete snapshots older than the retention period, never the latest."""
    now = now or timezone.now()
    latest = Snapshot.objects.latest_succeeded()
    old = Snapshot.objects.filter(started_at__lt=now - timedelta(days=settings.OPENDATA_SNAPSHOT_RETENTION_DAYS))
    if latest is not None:
        old = old.exclude(pk=latest.pk)
    count = 0
    for snapshot in old:
        _delete_stored(snapshot)
        snapshot.delete()
        count += 1
    return count
