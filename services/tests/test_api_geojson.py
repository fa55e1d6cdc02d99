"""GET /api/v1/reports.geojson: the map layer, an RFC 7946 FeatureCollection."""

import json
from datetime import timedelta
from pathlib import Path

import jsonschema
import pytest
from django.utils import timezone

from conftest import skip_unless_available
from moderation.models import ModerationState
from services.models import Service
from services.tests.factories import CITY_LAT, CITY_LON, ReportFactory, ServiceFactory

pytestmark = pytest.mark.django_db

SCHEMA = Path(__file__).resolve().parents[2].parent / "shared" / "standards" / "geojson" / "FeatureCollection.json"


def features(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["features"]


def test_it_answers_a_feature_collection_of_points_with_longitude_first(client):
    report = ReportFactory()
    response = client.get("/api/v1/reports.geojson")
    assert response["Content-Type"] == "application/geo+json"
    collection = response.json()
    assert collection["type"] == "FeatureCollection"
    [feature] = collection["features"]
    assert feature["type"] == "Feature"
    assert feature["id"] == report.pk
    assert feature["geometry"] == {"type": "Point", "coordinates": [CITY_LON, CITY_LAT]}
    lon, lat = feature["geometry"]["coordinates"]
    assert -180 <= lon <= 180 and -90 <= lat <= 90
    properties = feature["properties"]
    assert properties["url"] == f"http://testserver/reports/{report.pk}/"
    assert (properties["service_code"], properties["service_name"]) == (
        report.service.service_code,
        report.service.name,
    )
    assert properties["status"] == "open"
    assert properties["created_at"]


def test_it_is_valid_against_the_geojson_schema(client):
    if not SCHEMA.exists():
        skip_unless_available(f"The GeoJSON schema is not at {SCHEMA} (the team's shared standards folder)")
    ReportFactory()
    ReportFactory(service=ServiceFactory(location_precision=Service.Precision.COARSE))
    collection = client.get("/api/v1/reports.geojson").json()
    jsonschema.validate(collection, json.loads(SCHEMA.read_text()))
    assert len(collection["features"]) == 2


def test_it_speaks_geojson_whatever_the_accept_header(client):
    ReportFactory()
    for accept in ("application/geo+json", "application/json", "text/html", "*/*"):
        response = client.get("/api/v1/reports.geojson", headers={"accept": accept})
        assert response.status_code == 200
        assert response["Content-Type"] == "application/geo+json"


def test_reports_without_a_point_or_not_published_are_left_out(client):
    shown = ReportFactory()
    ReportFactory(lat=None, lon=None, address="Jl. Merdeka")
    for state in (ModerationState.HIDDEN, ModerationState.PENDING, ModerationState.REJECTED):
        ReportFactory(moderation_state=state)
    assert [feature["id"] for feature in features(client.get("/api/v1/reports.geojson"))] == [shown.pk]


def test_it_keeps_points_inside_the_bbox_and_the_other_filters(client):
    inside = ReportFactory(lat=-6.90, lon=107.60)
    ReportFactory(lat=-6.95, lon=107.70)
    ReportFactory(lat=-6.90, lon=107.60, status="resolved")
    response = client.get("/api/v1/reports.geojson?bbox=107.59,-6.91,107.61,-6.89&status=open")
    assert [feature["id"] for feature in features(response)] == [inside.pk]


def test_a_bad_bbox_is_a_400_json_error(client):
    response = client.get("/api/v1/reports.geojson?bbox=1,2,3")
    assert response.status_code == 400
    assert "bbox" in response.json()


def test_a_sensitive_service_shows_a_rounded_point(client):
    ReportFactory(service=ServiceFactory(location_precision=Service.Precision.COARSE), lat=-6.91234, lon=107.60987)
    [feature] = features(client.get("/api/v1/reports.geojson"))
    assert feature["geometry"]["coordinates"] == [107.61, -6.912]


def test_service_names_follow_the_accept_language_header(client):
    ReportFactory(service=ServiceFactory(name="Pothole", name_ind="Jalan berlubang"))
    [feature] = features(client.get("/api/v1/reports.geojson", headers={"accept-language": "id"}))
    assert feature["properties"]["service_name"] == "Jalan berlubang"


def test_it_stops_at_the_newest_features_beyond_the_cap(client, monkeypatch):
    monkeypatch.setattr("services.api.GEOJSON_LIMIT", 2)
    reports = [ReportFactory() for _ in range(3)]
    assert [feature["id"] for feature in features(client.get("/api/v1/reports.geojson"))] == [
        reports[2].pk,
        reports[1].pk,
    ]


@pytest.mark.parametrize("count", [3, 30])
def test_the_layer_costs_one_query_whatever_the_number_of_reports(client, django_assert_max_num_queries, count):
    service = ServiceFactory()
    for _ in range(count):
        ReportFactory(service=service)
    with django_assert_max_num_queries(1):
        assert len(features(client.get("/api/v1/reports.geojson?status=open"))) == count


def test_a_whole_layer_says_it_is_complete(client):
    ReportFactory()
    collection = client.get("/api/v1/reports.geojson").json()
    assert (collection["truncated"], collection["next"]) == (False, None)


def test_pages_follow_one_another_through_next_newest_first_without_loss_or_repeat(client):
    moment = timezone.now()
    # Three reports share one moment: the cursor tells them apart by id.
    reports = [ReportFactory(created_at=moment - timedelta(minutes=minutes)) for minutes in (0, 0, 0, 5, 9)]
    url, pages = "/api/v1/reports.geojson?status=open&limit=2", []
    while url:
        collection = client.get(url).json()
        pages.append([feature["id"] for feature in collection["features"]])
        assert collection["truncated"] is (collection["next"] is not None)
        url = collection["next"]
        assert url is None or ("status=open" in url and "limit=2" in url)
    newest_first = sorted(reports, key=lambda r: (r.created_at, r.pk), reverse=True)
    assert pages == [[r.pk for r in newest_first[i : i + 2]] for i in (0, 2, 4)]


def test_a_page_costs_one_query(client, django_assert_max_num_queries):
    for _ in range(3):
        ReportFactory()
    first = client.get("/api/v1/reports.geojson?limit=1").json()
    with django_assert_max_num_queries(1):
        assert len(features(client.get(first["next"]))) == 1


@pytest.mark.parametrize(
    "query, field",
    [
        ("limit=0", "limit"),
        ("limit=5001", "limit"),
        ("limit=ten", "limit"),
        ("limit=-1", "limit"),
        ("cursor=%21%21", "cursor"),
        ("cursor=bm90IGEgY3Vyc29y", "cursor"),  # "not a cursor"
        ("cursor=OTk5OTk5OTk5OTk5OTk5OTk5OTk6MQ", "cursor"),  # a moment past year 9999
        ("cursor=MTo5OTk5OTk5OTk5OTk5OTk5OTk5OTk5", "cursor"),  # an id past what the database holds
    ],
)
def test_a_bad_limit_or_cursor_is_a_400_naming_it(client, query, field):
    response = client.get(f"/api/v1/reports.geojson?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/geo+json"
    assert field in response.json()
