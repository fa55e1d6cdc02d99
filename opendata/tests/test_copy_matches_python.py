"""On PostgreSQL the plain datasets are written by COPY; the rows and values must be those the
Python writers give for the same data: numbers, nulls, dates, rounded points, redacted text,
quotes and line ends inside values."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from opendata.builder import write_rows
from opendata.copying import copy_dataset
from opendata.datasets import DATASETS
from opendata.reading import SnapshotView
from operators.tests.factories import OperatorFactory, VehicleFactory
from operators.tests.figures import FleetDayFactory
from services.actions import report_change_status
from services.tests.factories import ReportFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's"),
]

PLAIN = [name for name, dataset in DATASETS.items() if dataset.is_plain]
AWKWARD = 'Pohon "besar", tumbang;\r\nJalan Asia–Afrika, dekat café ☕\tC:\\jalan {"a": 1} \\u00e9 0812 3456 7890'


@pytest.fixture
def awkward(content, staff):
    """Values that differ most easily between two writers, beside the shared seeded content."""
    now = timezone.now()
    ReportFactory(service=content.exact, description=AWKWARD)
    ReportFactory(service=content.exact, description="", lat=None, lon=None, address="Jl. Braga 1")
    ReportFactory(service=content.coarse, description="x", lat=-6.9000049, lon=107.6)
    closed = ReportFactory(service=content.exact, created_at=now - timedelta(days=1, minutes=1))
    report_change_status(report=closed, to_status="resolved", by=staff)
    ReportFactory(service=content.exact, duplicate_of=content.reports[0], status="duplicate")
    operator = OperatorFactory(slug="kring", idle_limit_hours=2)
    for back, cap in ((1, None), (2, 100), (3, 200)):
        FleetDayFactory(
            operator=operator, day=timezone.localdate() - timedelta(days=back), vehicles_peak=150, fleet_cap=cap
        )
    VehicleFactory(operator=operator, lat=-6.9147123456, lon=107.6098765432, first_seen_at=now - timedelta(hours=30))
    return content


def files_both_ways(name: str, tmp_path: Path) -> tuple[dict, dict]:
    dataset, cutoff = DATASETS[name], timezone.now()
    python, database = tmp_path / "python", tmp_path / "copy"
    python.mkdir()
    database.mkdir()
    written = write_rows(dataset, dataset.rows(cutoff), python, lambda rows: None)
    copied = copy_dataset(dataset, cutoff, SnapshotView(connection, separate=False), database, lambda rows: None)
    assert {fmt: item.rows for fmt, item in copied.items()} == {fmt: item.rows for fmt, item in written.items()}
    read = lambda folder: {fmt: (folder / f"{name}.{fmt}").read_bytes() for fmt in dataset.formats}  # noqa: E731
    return read(python), read(database)


def csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline=""), strict=True))


@pytest.mark.parametrize("name", PLAIN)
def test_copy_writes_the_rows_and_values_the_python_writers_write(awkward, tmp_path, name):
    python, database = files_both_ways(name, tmp_path)

    assert len(csv_rows(python["csv"])) > 1, "the dataset has rows to compare"
    assert csv_rows(database["csv"]) == csv_rows(python["csv"])
    assert json.loads(database["json"]) == json.loads(python["json"])
    if "geojson" in python:
        assert json.loads(database["geojson"]) == json.loads(python["geojson"])
    # Laid out alike too: the same bytes, so the same size and checksum whichever way a file is written.
    assert database == python


def test_the_awkward_values_come_out_as_written(awkward, tmp_path):
    _python, database = files_both_ways("reports", tmp_path)

    rows = {row["description"]: row for row in json.loads(database["json"])}
    assert AWKWARD.replace("0812 3456 7890", "[redacted]") in rows
    address_only = next(row for row in rows.values() if row["latitude"] is None)
    features = json.loads(database["geojson"])["features"]
    assert next(f for f in features if f["properties"]["id"] == address_only["id"])["geometry"] is None
    assert {row["latitude"] for row in rows.values() if row["service_code"] == "needles"} == {-6.915, -6.9}
    assert 24 in {row["response_time_hours"] for row in rows.values()}
    assert b",24," in database["csv"], "a whole number is written without a decimal point"
