"""What the open data pages and the API show: the datasets, their latest files, build progress."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.urls import reverse

from opendata import builder
from opendata.datasets import DATASETS, Dataset
from opendata.models import Snapshot, SnapshotFile

FORMAT_LABELS = {"csv": "CSV", "json": "JSON", "geojson": "GeoJSON"}


def latest_path(dataset: str, fmt: str) -> str:
    """Where the latest file of a dataset is downloaded (served by opendata/downloads.py)."""
    return reverse("opendata:latest", args=[f"{dataset}.{fmt}"])


def metadata_paths() -> dict[str, str]:
    """The catalogue's metadata documents, describing the latest files."""
    return {
        "datapackage": reverse("opendata:datapackage"),
        "catalog_jsonld": reverse("opendata:catalog_jsonld"),
        "catalog_ttl": reverse("opendata:catalog_ttl"),
    }


@dataclass(frozen=True)
class PublishedFile:
    format: str
    path: str
    media_type: str
    rows: int
    bytes: int
    sha256: str

    @property
    def filename(self) -> str:
        return self.path.rsplit("/", 1)[-1]

    @property
    def label(self) -> str:
        return FORMAT_LABELS.get(self.format, self.format.upper())


@dataclass(frozen=True)
class PublishedDataset:
    """A dataset and the files the latest snapshot holds for it (none before the first build)."""

    dataset: Dataset
    files: tuple[PublishedFile, ...]
    updated: datetime | None

    @property
    def name(self) -> str:
        return self.dataset.name

    @property
    def rows(self) -> int | None:
        return self.files[0].rows if self.files else None


def published_datasets(snapshot: Snapshot | None) -> list[PublishedDataset]:
    """Every dataset with its latest files, from a snapshot loaded with ``latest_succeeded()``."""
    files: dict[str, list[SnapshotFile]] = {}
    for item in snapshot.files.all() if snapshot else ():
        files.setdefault(item.dataset, []).append(item)
    published = []
    for name, dataset in DATASETS.items():
        by_format = {item.format: item for item in files.get(name, [])}
        published.append(
            PublishedDataset(
                dataset=dataset,
                files=tuple(
                    PublishedFile(
                        format=fmt,
                        path=latest_path(name, fmt),
                        media_type=by_format[fmt].media_type,
                        rows=by_format[fmt].rows,
                        bytes=by_format[fmt].bytes,
                        sha256=by_format[fmt].sha256,
                    )
                    for fmt in dataset.formats
                    if fmt in by_format
                ),
                updated=snapshot.finished_at if snapshot and by_format else None,
            )
        )
    return published


def running_build() -> Snapshot | None:
    """A build not finished that made progress lately; one that stopped moving has died."""
    return Snapshot.objects.filter(status=Snapshot.Status.BUILDING, progressed_at__gte=builder.stalled_since()).first()


def build_progress(snapshot: Snapshot | None) -> dict[str, object]:
    """What the progress bars show: the status and the rows done of the total per dataset."""
    if snapshot is None:
        return {"snapshot_id": None, "status": None, "status_label": "", "datasets": {}}
    return {
        "snapshot_id": snapshot.pk,
        "status": snapshot.status,
        "status_label": snapshot.get_status_display(),
        "datasets": {
            name: {"done": item.get("done", 0), "total": item.get("total", 0)}
            for name, item in snapshot.progress.items()
        },
    }


@dataclass(frozen=True)
class BuildRow:
    """One progress bar. A finished dataset with no rows shows a full bar, not an empty one."""

    name: str
    title: str
    done: int
    total: int
    finished: bool

    @property
    def bar_max(self) -> int:
        return max(self.total, 1)

    @property
    def bar_value(self) -> int:
        return self.bar_max if self.finished and not self.total else min(self.done, self.bar_max)


def build_rows(snapshot: Snapshot | None) -> list[BuildRow]:
    if snapshot is None:
        return []
    finished = snapshot.status == Snapshot.Status.SUCCEEDED
    return [
        BuildRow(
            name=name,
            title=str(DATASETS[name].title) if name in DATASETS else name,
            done=item.get("done", 0),
            total=item.get("total", 0),
            finished=finished,
        )
        for name, item in snapshot.progress.items()
    ]
