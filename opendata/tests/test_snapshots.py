"""Snapshots: a failed build changes nothing public, abandoned builds fail, old snapshots go,
and building streams rows instead of holding them."""

from __future__ import annotations

import dataclasses
import io
import tracemalloc
from datetime import timedelta

import pytest
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.management import call_command
from django.utils import timezone

from opendata import builder
from opendata.builder import build_dataset, snapshot_build, snapshot_start, snapshots_prune
from opendata.datasets import DATASETS
from opendata.models import Snapshot, SnapshotFile
from opendata.tasks import build_datasets_task
from opendata.tests.conftest import build, stored_bytes

pytestmark = pytest.mark.django_db


def stored_names(snapshot: Snapshot) -> list[str]:
    try:
        _dirs, names = default_storage.listdir(snapshot.storage_prefix)
    except FileNotFoundError:
        return []
    return names


def latest_served(client) -> tuple[str, bytes]:
    response = client.get("/data/latest/reports.csv")
    return response["Content-Location"], b"".join(response.streaming_content)


def interrupted_after_one_row(dataset, error: BaseException):
    """The dataset, but its rows stop with ``error`` after the first one, as a killed build would."""

    def records(queryset, sources):
        yield from list(dataset.records(queryset, sources))[:1]
        raise error

    return dataclasses.replace(dataset, records=records)


@pytest.mark.parametrize("error", [KeyboardInterrupt(), RuntimeError("database went away")])
def test_a_build_killed_half_way_leaves_the_previous_latest_intact(snapshot, client, monkeypatch, error):
    before = latest_served(client)
    files_before = stored_bytes(snapshot)
    second = list(DATASETS)[1]
    monkeypatch.setitem(DATASETS, second, interrupted_after_one_row(DATASETS[second], error))
    failed = snapshot_start()

    with pytest.raises(type(error)):
        snapshot_build(failed)

    failed.refresh_from_db()
    assert failed.status == Snapshot.Status.FAILED and failed.error == type(error).__name__
    assert Snapshot.objects.latest_succeeded() == snapshot
    assert latest_served(client) == before
    assert stored_bytes(snapshot) == files_before
    assert stored_names(failed) == [], "the failed snapshot's stored files are deleted"
    assert not SnapshotFile.objects.filter(snapshot=failed).exists()
    assert client.get(f"/data/snapshots/{failed.pk}/reports.csv").status_code == 404


def test_a_storage_error_half_way_leaves_no_stored_file_behind(content, monkeypatch):
    original_save = FileSystemStorage._save
    calls = []

    def failing_save(storage, name, content):
        calls.append(name)
        if len(calls) == 2:  # the second file of the first dataset
            raise OSError("No space left on device")
        return original_save(storage, name, content)

    monkeypatch.setattr(FileSystemStorage, "_save", failing_save)
    failed = snapshot_start()

    with pytest.raises(OSError):
        snapshot_build(failed)

    assert stored_names(failed) == []


def test_builds_that_stopped_making_progress_are_marked_failed_by_the_next_start(db, settings):
    settings.OPENDATA_BUILD_STALL_MINUTES = 15
    now = timezone.now()
    abandoned = Snapshot.objects.create(
        started_at=now - timedelta(hours=1), progressed_at=now - timedelta(minutes=16), cutoff=now
    )
    running = Snapshot.objects.create(
        started_at=now - timedelta(hours=1), progressed_at=now - timedelta(minutes=14), cutoff=now
    )

    started = snapshot_start()

    abandoned.refresh_from_db()
    running.refresh_from_db()
    assert abandoned.status == Snapshot.Status.FAILED and abandoned.error == "stalled"
    assert abandoned.finished_at is not None
    assert running.status == Snapshot.Status.BUILDING
    assert started.status == Snapshot.Status.BUILDING


def test_pruning_deletes_old_snapshots_and_their_files_but_never_the_latest(content, settings):
    settings.OPENDATA_SNAPSHOT_RETENTION_DAYS = 30
    old, recent = build(), build()
    failed = Snapshot.objects.create(status=Snapshot.Status.FAILED, cutoff=timezone.now())
    long_ago = timezone.now() - timedelta(days=31)
    Snapshot.objects.filter(pk__in=[old.pk, failed.pk]).update(started_at=long_ago)
    assert stored_names(old)

    assert snapshots_prune() == 2

    assert set(Snapshot.objects.values_list("pk", flat=True)) == {recent.pk}
    assert stored_names(old) == []
    assert not SnapshotFile.objects.filter(snapshot_id=old.pk).exists()
    assert len(stored_names(recent)) == recent.files.count() + 1


def test_pruning_keeps_the_latest_however_old_it_is(content):
    only = build()
    Snapshot.objects.filter(pk=only.pk).update(started_at=timezone.now() - timedelta(days=365))

    assert snapshots_prune() == 0

    assert Snapshot.objects.latest_succeeded() == only
    assert stored_names(only)


def test_building_streams_rows_without_holding_them(content, tmp_path):
    count = 50_000
    reports = DATASETS["reports"]
    written_while_reading = []

    def many_records(queryset, sources):
        # A real report's values, read again and again: each row is built and written as it comes.
        record = next(iter(reports.records(queryset, sources)))
        for number in range(1, count + 1):
            if number % 10_000 == 0:
                written_while_reading.append((tmp_path / "reports.csv.part").stat().st_size)
            yield record

    dataset = dataclasses.replace(reports, records=many_records)
    snapshot = snapshot_start()
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        files = build_dataset(snapshot, dataset, tmp_path)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    # Streaming peaks near 1 MB; holding the 50,000 rows in a list alone would take about 20 MB.
    assert peak < 10 * 1024 * 1024, f"peak {peak / 1024 / 1024:.1f} MB"
    assert {item.format: item.rows for item in files} == {"csv": count, "json": count, "geojson": count}
    # The files grow while the rows are still being read: each row is written as it comes.
    assert len(written_while_reading) == 5
    assert 0 < written_while_reading[0] < written_while_reading[-1]
    assert all(item.bytes > count * 100 for item in files)
    assert snapshot.progress["reports"]["done"] == count


def test_the_build_datasets_command_builds_and_prints_a_summary(content):
    out = io.StringIO()

    call_command("build_datasets", stdout=out)

    snapshot = Snapshot.objects.latest_succeeded()
    assert snapshot is not None and snapshot.requested_by_role == "command"
    output = out.getvalue()
    assert f"Snapshot {snapshot.pk} is the latest; 0 old snapshot(s) pruned." in output
    item = SnapshotFile.objects.get(snapshot=snapshot, dataset="reports", format="csv")
    assert f"reports.csv: {item.rows:,} rows, {item.bytes:,} bytes, sha256 {item.sha256[:12]}" in output


def test_the_nightly_task_builds_a_snapshot_and_prunes(content):
    old = build()
    Snapshot.objects.filter(pk=old.pk).update(started_at=timezone.now() - timedelta(days=90))

    pk = build_datasets_task.delay().get()

    assert Snapshot.objects.latest_succeeded().pk == pk
    assert not Snapshot.objects.filter(pk=old.pk).exists()


def test_the_task_builds_a_snapshot_started_on_demand(content):
    requested = builder.snapshot_start(requested_by_role="staff")

    assert build_datasets_task.delay(requested.pk).get() == requested.pk

    requested.refresh_from_db()
    assert requested.status == Snapshot.Status.SUCCEEDED


def test_a_snapshot_builds_with_the_debug_cursor_that_logs_every_query(content):
    """DEBUG's cursor formats each query with its parameters: literal percent signs must survive that."""
    from django.db import connection

    connection.force_debug_cursor = True
    try:
        snapshot = build()
    finally:
        connection.force_debug_cursor = False
    assert snapshot.status == "succeeded"
    assert any("strftime" in query["sql"] or "to_char" in query["sql"] for query in connection.queries)
