"""A dataset build killed with SIGKILL half-way: the sweep of stalled builds marks it failed,
deletes its stored and temporary files, and "Build now" is free again."""

import signal
import subprocess
import sys
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from opendata import builder
from opendata.catalogue import running_build
from opendata.models import Snapshot
from opendata.tasks import fail_stalled_builds_task
from services.tests.factories import ReportFactory
from tests.faults import processes

# Builds with a progress step at every row, and stops for good once one dataset is stored and
# the next one is being written to its temporary files.
BUILD_THEN_HANG = """
import time
import django
django.setup()
from django.core.files.storage import default_storage
from opendata import builder
builder.PROGRESS_EVERY = 1
def hang(snapshot):
    stored = default_storage.exists(snapshot.storage_prefix) and default_storage.listdir(snapshot.storage_prefix)[1]
    writing = list(builder.work_dir(snapshot).glob("*.part"))
    if stored and writing:
        print("building", snapshot.pk, flush=True)
        time.sleep(600)
builder.snapshot_build(builder.snapshot_start(requested_by_role="command"), on_progress=hang)
"""


@pytest.fixture
def work(tmp_path, settings):
    """The build and the test find the build's temporary folder in the same place."""
    settings.OPENDATA_WORK_DIR = tmp_path / "work"
    return settings.OPENDATA_WORK_DIR


def test_a_build_killed_with_sigkill_is_failed_by_the_sweep_and_its_files_removed(
    transactional_db, settings, tmp_path, work
):
    processes.require_postgres()
    settings.MEDIA_ROOT = tmp_path / "media"
    ReportFactory.create_batch(3, created_at=timezone.now() - timedelta(days=2))
    env = processes.site_environment(tmp_path, OPENDATA_WORK_DIR=str(work), OPENDATA_PUBLICATION_DELAY_HOURS="0")
    build = subprocess.Popen(
        [sys.executable, "-c", BUILD_THEN_HANG], cwd=processes.BASE_DIR, env=env, stdout=subprocess.PIPE, text=True
    )
    try:
        line = build.stdout.readline()
        assert line.startswith("building"), line
        build.send_signal(signal.SIGKILL)
        build.wait(timeout=10)
    finally:
        if build.poll() is None:
            build.kill()
    snapshot = Snapshot.objects.get(pk=int(line.split()[1]))
    workdir = builder.work_dir(snapshot)
    assert snapshot.status == Snapshot.Status.BUILDING
    assert list(workdir.glob("*.part")), "the killed build left no temporary files"
    assert default_storage.listdir(snapshot.storage_prefix)[1], "the killed build stored no file"
    assert running_build() == snapshot  # "Build now" is blocked while it looks alive

    # Time passes without progress; the beat task's sweep finds the build dead.
    stale = timezone.now() - timedelta(minutes=settings.OPENDATA_BUILD_STALL_MINUTES + 1)
    Snapshot.objects.filter(pk=snapshot.pk).update(progressed_at=stale)
    assert fail_stalled_builds_task() == 1

    snapshot.refresh_from_db()
    assert (snapshot.status, snapshot.error) == (Snapshot.Status.FAILED, "stalled")
    assert not workdir.exists()
    assert (
        not default_storage.exists(snapshot.storage_prefix) or not default_storage.listdir(snapshot.storage_prefix)[1]
    )
    assert running_build() is None
