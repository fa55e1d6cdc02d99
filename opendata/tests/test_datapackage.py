"""The snapshot's Data Package: valid for Frictionless, honest about its files, RFC 4180 CSV."""

from __future__ import annotations

import csv
import hashlib
import io
import json

import pytest
from django.core.files.storage import default_storage
from frictionless import validate

from opendata.datasets import DATASETS
from opendata.models import SnapshotFile
from opendata.tests.conftest import build, local_path, rows_of, stored_bytes
from services.actions import report_create

pytestmark = pytest.mark.django_db


def stored_descriptor(snapshot) -> dict:
    with default_storage.open(f"{snapshot.storage_prefix}datapackage.json", "rb") as handle:
        return json.load(handle)


def test_the_built_package_validates_with_frictionless(snapshot):
    report = validate(str(local_path(snapshot, "datapackage.json")))

    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert {task.name for task in report.tasks} == {
        f"{name}-{fmt}" for name, dataset in DATASETS.items() for fmt in dataset.formats
    }


def test_every_resource_states_the_bytes_and_sha256_of_its_file(snapshot):
    files = stored_bytes(snapshot)
    records = {item.filename: item for item in SnapshotFile.objects.filter(snapshot=snapshot)}

    for resource in stored_descriptor(snapshot)["resources"]:
        data = files[resource["path"]]
        assert resource["bytes"] == len(data) == records[resource["path"]].bytes
        assert resource["hash"] == f"sha256:{hashlib.sha256(data).hexdigest()}"
        assert records[resource["path"]].sha256 == hashlib.sha256(data).hexdigest()


def test_every_file_has_the_rows_its_record_counts(snapshot):
    for item in SnapshotFile.objects.filter(snapshot=snapshot, format="json"):
        assert len(rows_of(snapshot, item.dataset)) == item.rows
    for item in SnapshotFile.objects.filter(snapshot=snapshot, format="csv"):
        assert len(list(csv.reader(io.StringIO(stored_bytes(snapshot)[item.filename].decode())))) == item.rows + 1


def test_csv_files_are_utf8_rfc4180_with_a_header(content):
    tricky = 'Pohon tumbang, "besar"\nJalan Asia–Afrika, dekat café'
    report_create(service_code=content.exact.service_code, lat=-6.92, lon=107.6, description=tricky)
    snapshot = build()
    files = stored_bytes(snapshot)

    for name, dataset in DATASETS.items():
        data = files[f"{name}.csv"]
        text = data.decode("utf-8")  # strict: fails on anything that is not UTF-8
        assert not data.startswith(b"\xef\xbb\xbf"), "no byte order mark"
        assert text.endswith("\r\n")
        rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
        assert rows[0] == dataset.column_names
        assert all(len(row) == len(dataset.column_names) for row in rows)
        # Written back as RFC 4180 (CRLF records, quotes only where needed), the rows give the same bytes.
        again = io.StringIO(newline="")
        csv.writer(again, lineterminator="\r\n").writerows(rows)
        assert again.getvalue() == text
    descriptions = [
        row["description"] for row in csv.DictReader(io.StringIO(files["reports.csv"].decode(), newline=""))
    ]
    assert tricky in descriptions
    assert '"Pohon tumbang, ""besar""\nJalan Asia–Afrika, dekat café"'.encode() in files["reports.csv"]


def test_foreign_keys_hold(snapshot):
    report_ids = {row["id"] for row in rows_of(snapshot, "reports")}
    proposal_ids = {row["id"] for row in rows_of(snapshot, "proposals")}
    updates = rows_of(snapshot, "report_updates")
    supports = rows_of(snapshot, "supports_daily")

    assert updates and supports
    assert {row["report_id"] for row in updates} <= report_ids
    assert {row["proposal_id"] for row in supports} <= proposal_ids


def test_the_package_declares_the_keys_frictionless_checks(snapshot):
    resources = {resource["name"]: resource for resource in stored_descriptor(snapshot)["resources"]}

    assert resources["reports-csv"]["schema"]["primaryKey"] == ["id"]
    assert resources["report_updates-csv"]["schema"]["foreignKeys"] == [
        {"fields": ["report_id"], "reference": {"resource": "reports-csv", "fields": ["id"]}}
    ]
    assert resources["supports_daily-csv"]["schema"]["foreignKeys"][0]["reference"]["resource"] == "proposals-csv"


def test_the_served_package_points_at_the_latest_snapshots_own_files_with_absolute_urls(snapshot, client, settings):
    settings.SITE_URL = "https://data.example.go.id"

    response = client.get("/data/datapackage.json")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    descriptor = response.json()
    assert descriptor["licenses"][0]["path"] == settings.OPENDATA_LICENSE_URL
    for resource in descriptor["resources"]:
        assert resource["path"].startswith(f"https://data.example.go.id/data/snapshots/{snapshot.pk}/")
        download = client.get(resource["path"].removeprefix(settings.SITE_URL))
        data = b"".join(download.streaming_content)
        assert resource["hash"] == f"sha256:{hashlib.sha256(data).hexdigest()}"
        assert resource["bytes"] == len(data)
