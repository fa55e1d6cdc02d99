"""Downloads: stable latest URLs, snapshot URLs, valid GeoJSON, and a 404 for anything unknown."""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal

import jsonschema
import pytest
from django.core.files.storage import default_storage
from referencing import Registry, Resource

from opendata.builder import snapshot_build, snapshot_start
from opendata.datasets import DATASETS
from opendata.models import Snapshot, SnapshotFile
from opendata.tests.conftest import PRECISE_LAT, PRECISE_LON, build, standard
from services.actions import report_create

pytestmark = pytest.mark.django_db

CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json", "geojson": "application/geo+json"}
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def feature_collection_validator() -> jsonschema.protocols.Validator:
    """The FeatureCollection schema, with its sibling schemas resolvable by their $id."""
    folder = standard("geojson", "FeatureCollection.json").parent
    resources = []
    for path in folder.glob("*.json"):
        contents = json.loads(path.read_text())
        resources.append((contents["$id"], Resource.from_contents(contents)))
    schema = json.loads((folder / "FeatureCollection.json").read_text())
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema, registry=Registry().with_resources(resources))


def decimals(number: Decimal) -> int:
    return max(0, -number.as_tuple().exponent)


def test_the_reports_geojson_is_a_valid_feature_collection_inside_the_city(snapshot, client, settings):
    response = client.get("/data/latest/reports.geojson")
    document = json.loads(body(response))

    errors = [error.message for error in feature_collection_validator().iter_errors(document)]
    assert not errors
    min_lon, min_lat, max_lon, max_lat = settings.CITY_BOUNDS
    assert len(document["features"]) == 3
    for feature in document["features"]:
        lon, lat = feature["geometry"]["coordinates"]
        assert -180 <= lon <= 180 and -90 <= lat <= 90
        assert min_lon <= lon <= max_lon and min_lat <= lat <= max_lat, "longitude first, then latitude"
        assert (lat, lon) == (feature["properties"]["latitude"], feature["properties"]["longitude"])


def test_coarse_points_have_three_decimals_and_exact_ones_five(snapshot, client):
    document = json.loads(body(client.get("/data/latest/reports.geojson")), parse_float=Decimal)
    by_service = {}
    for feature in document["features"]:
        by_service.setdefault(feature["properties"]["service_code"], []).append(feature["geometry"]["coordinates"])

    for lon, lat in by_service["needles"]:
        assert decimals(lon) <= 3 and decimals(lat) <= 3
        assert (lat, lon) == (round(Decimal(str(PRECISE_LAT)), 3), round(Decimal(str(PRECISE_LON)), 3))
    for lon, lat in by_service["pothole"]:
        assert decimals(lon) <= 5 and decimals(lat) <= 5
    assert [Decimal("107.60988"), Decimal("-6.91471")] in by_service["pothole"]


@pytest.mark.parametrize("fmt", ["csv", "json", "geojson"])
def test_the_latest_file_is_served_with_its_type_name_and_checksum(snapshot, client, fmt):
    item = SnapshotFile.objects.get(snapshot=snapshot, dataset="reports", format=fmt)

    response = client.get(f"/data/latest/reports.{fmt}")

    assert response.status_code == 200
    assert response["Content-Type"] == CONTENT_TYPES[fmt]
    assert response["Content-Disposition"] == f'attachment; filename="reports.{fmt}"'
    assert response["ETag"] == f'"{item.sha256}"'
    assert response["Content-Location"].endswith(f"/data/snapshots/{snapshot.pk}/reports.{fmt}")
    data = body(response)
    assert hashlib.sha256(data).hexdigest() == item.sha256
    assert int(response["Content-Length"]) == len(data) == item.bytes


def test_an_unchanged_file_is_not_sent_again(snapshot, client):
    item = SnapshotFile.objects.get(snapshot=snapshot, dataset="reports", format="csv")

    response = client.get("/data/latest/reports.csv", headers={"If-None-Match": f'"{item.sha256}"'})

    assert response.status_code == 304
    assert response["ETag"] == f'"{item.sha256}"'


def test_latest_links_switch_only_after_a_successful_build(snapshot, client, content):
    def served() -> str:
        return client.get("/data/latest/reports.csv")["Content-Location"]

    assert served().endswith(f"/snapshots/{snapshot.pk}/reports.csv")
    report_create(service_code=content.exact.service_code, lat=-6.92, lon=107.6, description="A new hole.")
    building = snapshot_start()
    assert b"A new hole." not in body(client.get("/data/latest/reports.csv"))
    assert served().endswith(f"/snapshots/{snapshot.pk}/reports.csv"), "a build in progress is not the latest"

    rebuilt = snapshot_build(building)

    assert served().endswith(f"/snapshots/{rebuilt.pk}/reports.csv")
    assert b"A new hole." in body(client.get("/data/latest/reports.csv"))


def test_nothing_is_served_before_the_first_snapshot(db, client):
    response = client.get("/data/latest/reports.csv")

    assert response.status_code == 404
    assert response.json() == {"detail": "No dataset has been published yet."}


def test_browsers_get_the_404_page(db, client):
    response = client.get("/data/latest/reports.csv", headers={"Accept": BROWSER_ACCEPT})

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize(
    "path",
    [
        "/data/latest/unknown.csv",
        "/data/latest/services.geojson",  # services have no points
        "/data/latest/reports.xlsx",
        "/data/latest/reports",
        "/data/latest/.csv",
        "/data/latest/reports.csv.gz",
        "/data/latest/datapackage.json",
        "/data/latest/..%2F..%2Fsettings.py",
        "/data/snapshots/999999/",
        "/data/snapshots/999999/reports.csv",
        "/data/snapshots/99999999999999999999999999/",
        "/data/snapshots/99999999999999999999999999/reports.csv",
    ],
)
def test_unknown_datasets_formats_and_snapshots_are_a_404(snapshot, client, path):
    response = client.get(path)

    assert response.status_code == 404


def test_a_snapshot_lists_its_files_with_rows_bytes_checksums_and_urls(snapshot, client, settings):
    response = client.get(f"/data/snapshots/{snapshot.pk}/")

    assert response.status_code == 200
    listing = response.json()
    assert listing["id"] == snapshot.pk and listing["status"] == "succeeded"
    assert listing["datapackage"] == f"{settings.SITE_URL}/data/snapshots/{snapshot.pk}/datapackage.json"
    files = {item.filename: item for item in SnapshotFile.objects.filter(snapshot=snapshot)}
    assert {entry["name"] for entry in listing["files"]} == set(files)
    for entry in listing["files"]:
        item = files[entry["name"]]
        assert (entry["rows"], entry["bytes"], entry["sha256"]) == (item.rows, item.bytes, item.sha256)
        assert entry["url"] == f"{settings.SITE_URL}/data/snapshots/{snapshot.pk}/{item.filename}"
        download = client.get(entry["url"].removeprefix(settings.SITE_URL))
        assert hashlib.sha256(body(download)).hexdigest() == item.sha256


def test_a_snapshot_serves_its_datapackage_with_relative_paths(snapshot, client):
    response = client.get(f"/data/snapshots/{snapshot.pk}/datapackage.json")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    with default_storage.open(f"{snapshot.storage_prefix}datapackage.json", "rb") as handle:
        assert response.content == handle.read()
    assert {resource["path"] for resource in response.json()["resources"]} >= {"reports.csv", "reports.geojson"}


def test_an_older_snapshot_stays_downloadable_after_a_newer_one(snapshot, client):
    newer = build()

    response = client.get(f"/data/snapshots/{snapshot.pk}/reports.csv")

    assert newer.pk != snapshot.pk
    assert response.status_code == 200
    assert response["Content-Location"].endswith(f"/snapshots/{snapshot.pk}/reports.csv")


def test_a_snapshot_still_building_lists_no_file_and_serves_none(content, client):
    building = snapshot_start()

    listing = client.get(f"/data/snapshots/{building.pk}/").json()

    assert listing["status"] == Snapshot.Status.BUILDING
    assert listing["files"] == [] and listing["datapackage"] is None
    assert client.get(f"/data/snapshots/{building.pk}/reports.csv").status_code == 404
    assert client.get(f"/data/snapshots/{building.pk}/datapackage.json").status_code == 404


def test_a_file_removed_from_storage_is_a_404_not_an_error(snapshot, client):
    item = SnapshotFile.objects.get(snapshot=snapshot, dataset="reports", format="csv")
    default_storage.delete(item.name)

    assert client.get("/data/latest/reports.csv").status_code == 404


def test_downloads_are_read_only(snapshot, client):
    assert client.post("/data/latest/reports.csv").status_code == 405
    assert client.head("/data/latest/reports.csv").status_code == 200


def test_downloads_and_metadata_cost_a_constant_number_of_queries(snapshot, client, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        assert client.get("/data/latest/reports.csv").status_code == 200
    with django_assert_max_num_queries(2):
        assert client.get(f"/data/snapshots/{snapshot.pk}/").status_code == 200
    with django_assert_max_num_queries(2):
        assert client.get("/data/datapackage.json").status_code == 200
    dated = sum(1 for dataset in DATASETS.values() if dataset.temporal_field)
    with django_assert_max_num_queries(2 + dated):  # the snapshot, its files, one time span per dated dataset
        assert client.get("/data/catalog.jsonld").status_code == 200
