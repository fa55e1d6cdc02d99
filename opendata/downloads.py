"""Downloads of the open datasets and their metadata.

Stable URLs always serve the latest complete snapshot (``/data/latest/reports.csv``); each
snapshot's own URLs (``/data/snapshots/12/reports.csv``) serve that snapshot until it is pruned.
The Data Package descriptor and the DCAT-AP catalogue describe the latest snapshot. Everything
here is public, read-only, and answers a 404 (JSON, or the HTML page for browsers) to anything
it does not know.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseNotModified, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from opendata import dcat, metadata
from opendata.datasets import DATASETS
from opendata.models import Snapshot, SnapshotFile

CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json", "geojson": "application/geo+json"}
LATEST_CACHE = "public, max-age=300"
# A snapshot's files never change; they only disappear when the snapshot is pruned.
SNAPSHOT_CACHE = "public, max-age=86400, immutable"
DATAPACKAGE = "datapackage.json"


def _not_found(request: HttpRequest, message: str) -> HttpResponse:
    """A 404 that browsers see as the site's page and programs as JSON."""
    if request.get_preferred_type(["application/json", "text/html"]) == "text/html":
        raise Http404(message)
    return JsonResponse({"detail": message}, status=404)


def _split(filename: str) -> tuple[str, str] | None:
    """``reports.csv`` → ("reports", "csv"), for a dataset that is published in that format."""
    name, _dot, fmt = filename.rpartition(".")
    dataset = DATASETS.get(name)
    return (name, fmt) if dataset is not None and fmt in dataset.formats else None


def _file_of(snapshot: Snapshot, dataset: str, fmt: str) -> SnapshotFile | None:
    return next((item for item in snapshot.files.all() if item.dataset == dataset and item.format == fmt), None)


def snapshot_file_url(snapshot: Snapshot, filename: str) -> str:
    return dcat.absolute(reverse("opendata:snapshot_file", args=[snapshot.pk, filename]))


def _serve(request: HttpRequest, snapshot: Snapshot, item: SnapshotFile, cache_control: str) -> HttpResponse:
    """Stream a stored file, with its SHA-256 as the ETag."""
    etag = f'"{item.sha256}"'
    if etag in request.headers.get("If-None-Match", ""):
        response: HttpResponse = HttpResponseNotModified()
    else:
        try:
            handle = default_storage.open(item.name, "rb")
        except OSError:  # pruned between the lookup and the read
            return _not_found(request, _("This file is no longer available."))
        response = FileResponse(
            handle, as_attachment=True, filename=item.filename, content_type=CONTENT_TYPES[item.format]
        )
    response["ETag"] = etag
    response["Cache-Control"] = cache_control
    response["Content-Location"] = snapshot_file_url(snapshot, item.filename)
    return response


def _nothing_yet(request: HttpRequest) -> HttpResponse:
    return _not_found(request, _("No dataset has been published yet."))


@require_safe
def latest(request: HttpRequest, filename: str) -> HttpResponse:
    """A dataset's file in the latest complete snapshot: ``/data/latest/<dataset>.<format>``."""
    parts = _split(filename)
    if parts is None:
        return _not_found(request, _("There is no such dataset or format."))
    snapshot = Snapshot.objects.latest_succeeded()
    if snapshot is None:
        return _nothing_yet(request)
    item = _file_of(snapshot, *parts)
    if item is None:
        return _nothing_yet(request)
    return _serve(request, snapshot, item, LATEST_CACHE)


@require_safe
def datapackage(request: HttpRequest) -> HttpResponse:
    """The Frictionless Data Package descriptor of the latest snapshot, with absolute URLs.

    Its paths name that snapshot's own files, so a descriptor and the files it describes
    always match, even when a new build lands between two downloads.
    """
    snapshot = Snapshot.objects.latest_succeeded()
    if snapshot is None:
        return _nothing_yet(request)
    descriptor = metadata.datapackage(
        snapshot,
        list(snapshot.files.all()),
        lambda item: dcat.absolute(reverse("opendata:snapshot_file", args=[snapshot.pk, item.filename])),
    )
    response = JsonResponse(descriptor, json_dumps_params={"indent": 2, "ensure_ascii": False})
    response["Cache-Control"] = LATEST_CACHE
    return response


@require_safe
def catalog_jsonld(request: HttpRequest) -> HttpResponse:
    """The DCAT-AP 3 catalogue of the latest snapshot, as JSON-LD."""
    snapshot = Snapshot.objects.latest_succeeded()
    if snapshot is None:
        return _nothing_yet(request)
    response = HttpResponse(
        json.dumps(dcat.catalog_jsonld(snapshot), indent=2, ensure_ascii=False),
        content_type="application/ld+json",
    )
    response["Cache-Control"] = LATEST_CACHE
    return response


@require_safe
def catalog_ttl(request: HttpRequest) -> HttpResponse:
    """The DCAT-AP 3 catalogue of the latest snapshot, as Turtle."""
    snapshot = Snapshot.objects.latest_succeeded()
    if snapshot is None:
        return _nothing_yet(request)
    response = HttpResponse(dcat.catalog_turtle(snapshot), content_type="text/turtle; charset=utf-8")
    response["Cache-Control"] = LATEST_CACHE
    return response


def _snapshot_or_none(pk: int) -> Snapshot | None:
    return Snapshot.objects.filter(pk=pk).prefetch_related("files").first()


@require_safe
def snapshot(request: HttpRequest, pk: int) -> HttpResponse:
    """One snapshot: its state and, once complete, its files with rows, bytes, SHA-256 and URLs."""
    found = _snapshot_or_none(pk)
    if found is None:
        return _not_found(request, _("There is no such snapshot."))
    complete = found.status == Snapshot.Status.SUCCEEDED
    files = [
        {
            "name": item.filename,
            "dataset": item.dataset,
            "format": item.format,
            "media_type": item.media_type,
            "rows": item.rows,
            "bytes": item.bytes,
            "sha256": item.sha256,
            "url": snapshot_file_url(found, item.filename),
        }
        for item in (found.files.all() if complete else ())
    ]
    described = {
        "id": found.pk,
        "status": found.status,
        "started": found.started_at.isoformat(),
        "finished": found.finished_at.isoformat() if found.finished_at else None,
        "content_up_to": found.cutoff.isoformat(),
        "license": settings.OPENDATA_LICENSE_URL,
        "datapackage": snapshot_file_url(found, DATAPACKAGE) if complete else None,
        "files": files,
    }
    return JsonResponse(described, json_dumps_params={"indent": 2})


@require_safe
def snapshot_file(request: HttpRequest, pk: int, filename: str) -> HttpResponse:
    """A file of one complete snapshot, or its ``datapackage.json`` (paths relative to the snapshot)."""
    found = _snapshot_or_none(pk)
    if found is None or found.status != Snapshot.Status.SUCCEEDED:
        return _not_found(request, _("There is no such snapshot."))
    if filename == DATAPACKAGE:
        try:
            with default_storage.open(f"{found.storage_prefix}{DATAPACKAGE}", "rb") as handle:
                content = handle.read()
        except OSError:
            return _not_found(request, _("This file is no longer available."))
        response = HttpResponse(content, content_type="application/json")
        response["Cache-Control"] = SNAPSHOT_CACHE
        return response
    parts = _split(filename)
    item = _file_of(found, *parts) if parts else None
    if item is None:
        return _not_found(request, _("There is no such dataset or format."))
    return _serve(request, found, item, SNAPSHOT_CACHE)
