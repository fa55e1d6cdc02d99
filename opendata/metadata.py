"""Frictionless Data Package metadata for a snapshot: every resource with its Table Schema."""

from __future__ import annotations

import json

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from opendata.datasets import DATASETS
from opendata.models import Snapshot, SnapshotFile

FORMAT_NAMES = {"csv": "csv", "json": "json", "geojson": "geojson"}


def resource_name(dataset: str, fmt: str) -> str:
    return f"{dataset}-{fmt}"


def resource(item: SnapshotFile, path: str) -> dict[str, object]:
    dataset = DATASETS[item.dataset]
    described: dict[str, object] = {
        "name": resource_name(item.dataset, item.format),
        "path": path,
        "title": str(dataset.title),
        "description": str(dataset.description),
        "format": FORMAT_NAMES[item.format],
        "mediatype": item.media_type,
        "encoding": "utf-8",
        "bytes": item.bytes,
        "hash": f"sha256:{item.sha256}",
    }
    if item.format == "csv":
        described["profile"] = "tabular-data-resource"
        described["dialect"] = {"delimiter": ",", "lineTerminator": "\r\n", "header": True}
        described["schema"] = dataset.table_schema()
    return described


def datapackage(snapshot: Snapshot, files: list[SnapshotFile], path_for) -> dict[str, object]:
    """The descriptor; ``path_for(file)`` gives each resource's path (relative, or a URL)."""
    return {
        "profile": "data-package",
        "name": f"{settings.SITE_NAME.lower().replace(' ', '-')}-open-data",
        "title": f"{settings.SITE_NAME} open data",
        "description": (
            "Problems citizens reported, their proposals and the city's answers, and how shared vehicle operators "
            "answered, without personal data."
        ),
        "version": f"1.0.{snapshot.pk}",
        "created": snapshot.started_at.isoformat(),
        "homepage": f"{settings.SITE_URL}/data/",
        "licenses": [{"name": settings.OPENDATA_LICENSE_ID, "path": settings.OPENDATA_LICENSE_URL}],
        "contributors": [{"title": settings.OPENDATA_PUBLISHER, "role": "publisher"}],
        "keywords": sorted({keyword for dataset in DATASETS.values() for keyword in dataset.keywords}),
        "resources": [resource(item, path_for(item)) for item in files],
    }


def write_datapackage(snapshot: Snapshot) -> str:
    """Store ``datapackage.json`` beside the snapshot's files, with relative paths."""
    files = list(SnapshotFile.objects.filter(snapshot=snapshot))
    descriptor = datapackage(snapshot, files, lambda item: item.filename)
    name = f"{snapshot.storage_prefix}datapackage.json"
    default_storage.delete(name)
    return default_storage.save(name, ContentFile(json.dumps(descriptor, indent=2, ensure_ascii=False).encode()))
