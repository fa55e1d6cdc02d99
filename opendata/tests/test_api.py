"""GET /api/v1/datasets/: every dataset with its latest files, public, and described in the OpenAPI schema."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from opendata.builder import snapshot_build, snapshot_start
from opendata.datasets import DATASETS
from opendata.models import Snapshot
from services.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/datasets/"


@pytest.fixture
def published_now(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.OPENDATA_PUBLICATION_DELAY_HOURS = 0


def build(reports: int = 2) -> Snapshot:
    ReportFactory.create_batch(reports, created_at=timezone.now() - timedelta(days=2))
    return snapshot_build(snapshot_start())


def test_the_api_lists_every_dataset_with_its_latest_files(client, published_now, settings):
    build()
    latest = build(reports=1)

    response = client.get(URL)

    assert response.status_code == 200
    data = response.json()
    assert data["license"] == {"id": settings.OPENDATA_LICENSE_ID, "url": settings.OPENDATA_LICENSE_URL}
    assert data["links"] == {
        "datapackage": "http://testserver/data/datapackage.json",
        "catalog_jsonld": "http://testserver/data/catalog.jsonld",
        "catalog_ttl": "http://testserver/data/catalog.ttl",
    }
    assert [item["name"] for item in data["datasets"]] == list(DATASETS)
    reports = data["datasets"][0]
    assert reports["title"] == "Reported problems"
    assert reports["description"].startswith("Problems citizens reported")
    assert reports["updated"] == timezone.localtime(latest.finished_at).isoformat()
    assert [item["format"] for item in reports["formats"]] == ["csv", "json", "geojson"]
    csv = latest.files.get(dataset="reports", format="csv")
    assert reports["formats"][0] == {
        "format": "csv",
        "url": "http://testserver/data/latest/reports.csv",
        "media_type": "text/csv",
        "rows": 3,
        "bytes": csv.bytes,
        "sha256": csv.sha256,
    }
    for dataset in data["datasets"]:
        assert [item["format"] for item in dataset["formats"]] == list(DATASETS[dataset["name"]].formats)


def test_the_api_lists_the_datasets_without_files_before_any_build(client):
    data = client.get(URL).json()

    assert len(data["datasets"]) == len(DATASETS)
    for dataset in data["datasets"]:
        assert dataset["formats"] == []
        assert dataset["updated"] is None


def test_a_failed_or_running_build_is_not_listed(client, published_now):
    latest = build()
    snapshot_start()
    Snapshot.objects.create(cutoff=timezone.now(), status=Snapshot.Status.FAILED, finished_at=timezone.now())

    reports = client.get(URL).json()["datasets"][0]

    assert reports["updated"] == timezone.localtime(latest.finished_at).isoformat()


def test_the_api_costs_a_fixed_number_of_queries(client, published_now, django_assert_max_num_queries):
    build(reports=10)
    with django_assert_max_num_queries(2):
        client.get(URL)


def test_the_api_needs_no_account_and_is_read_only(client, citizen):
    assert client.get(URL).status_code == 200
    client.force_login(citizen)
    assert client.post(URL, {}).status_code == 405


def test_the_schema_describes_the_datasets_endpoint(client):
    response = client.get("/api/schema/", headers={"accept": "application/vnd.oai.openapi+json"})
    schema = response.json()

    operation = schema["paths"][URL]["get"]
    assert operation["summary"] == "List the open datasets and their latest files"
    reference = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    catalogue = schema["components"]["schemas"][reference.rsplit("/", 1)[-1]]
    assert set(catalogue["properties"]) == {"license", "links", "datasets"}
    dataset = schema["components"]["schemas"]["Dataset"]
    assert set(dataset["properties"]) == {"name", "title", "description", "formats", "updated"}
    assert set(schema["components"]["schemas"]["DatasetFile"]["properties"]) == {
        "format",
        "url",
        "media_type",
        "rows",
        "bytes",
        "sha256",
    }
