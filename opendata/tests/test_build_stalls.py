"""A build that stops making progress is failed and cleaned up; a broker that is down fails no request."""

from datetime import timedelta

import kombu.exceptions
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from opendata import builder, tasks
from opendata.actions import datasets_build_request
from opendata.catalogue import running_build
from opendata.models import Snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _folders(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.OPENDATA_WORK_DIR = tmp_path / "work"


def test_a_build_without_progress_is_failed_with_its_files_and_build_now_is_free_again(settings):
    settings.OPENDATA_BUILD_STALL_MINUTES = 15
    snapshot = builder.snapshot_start()
    builder.work_dir(snapshot).mkdir(parents=True)
    (builder.work_dir(snapshot) / "reports.csv.part").write_bytes(b"id\n1\n")
    default_storage.save(f"{snapshot.storage_prefix}services.csv", ContentFile(b"code\n"))
    assert running_build() == snapshot

    Snapshot.objects.filter(pk=snapshot.pk).update(progressed_at=timezone.now() - timedelta(minutes=14))
    assert tasks.fail_stalled_builds_task() == 0
    Snapshot.objects.filter(pk=snapshot.pk).update(progressed_at=timezone.now() - timedelta(minutes=16))
    assert tasks.fail_stalled_builds_task() == 1

    snapshot.refresh_from_db()
    assert (snapshot.status, snapshot.error) == (Snapshot.Status.FAILED, "stalled")
    assert not builder.work_dir(snapshot).exists()
    assert default_storage.listdir(snapshot.storage_prefix)[1] == []
    assert running_build() is None


def test_a_build_failed_while_it_was_still_going_does_not_become_the_latest(settings):
    snapshot = builder.snapshot_start()

    def declared_dead(current):
        Snapshot.objects.filter(pk=current.pk).update(status=Snapshot.Status.FAILED, error="stalled")

    with pytest.raises(RuntimeError):
        builder.snapshot_build(snapshot, on_progress=declared_dead)

    snapshot.refresh_from_db()
    assert snapshot.status == Snapshot.Status.FAILED
    assert Snapshot.objects.latest_succeeded() is None
    assert (
        not default_storage.exists(snapshot.storage_prefix) or default_storage.listdir(snapshot.storage_prefix)[1] == []
    )


def test_build_now_with_the_broker_down_is_accepted_and_fails_later_through_the_sweep(
    monkeypatch, settings, django_capture_on_commit_callbacks
):
    def refuse(*args, **kwargs):
        raise kombu.exceptions.OperationalError("Connection refused")

    monkeypatch.setattr(tasks.build_datasets_task, "delay", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        snapshot = datasets_build_request(requested_by_role="staff")

    assert Snapshot.objects.get(pk=snapshot.pk).status == Snapshot.Status.BUILDING
    later = timezone.now() + timedelta(minutes=settings.OPENDATA_BUILD_STALL_MINUTES + 1)
    assert builder.snapshots_fail_stalled(now=later) == 1
    assert running_build() is None
