"""POST /api/v1/reports/: a citizen with a confirmed email reports a problem, photos included."""

import json

import pytest

from services.catalogue import catalogue_load
from services.models import Follow, Report, ReportPhoto
from services.tests.factories import CITY_LAT, CITY_LON, ServiceFactory, image_upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def vehicle_report():
    catalogue_load()
    return {
        "service_code": "abandoned-vehicle",
        "lat": str(CITY_LAT),
        "lon": str(CITY_LON),
        "description": "A scooter lying across the footpath",
        "attributes": json.dumps({"operator": "scoot-b", "blocking_footpath": "yes", "vehicle_code": "ZX-42"}),
        "show_name": "true",
    }


def test_a_citizen_reports_with_a_photo_and_answers(
    client, citizen, vehicle_report, django_capture_on_commit_callbacks
):
    client.force_login(citizen)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/reports/", {**vehicle_report, "photos": [image_upload(exif_gps=True)]})

    assert response.status_code == 201, response.content
    body = response.json()
    report = Report.objects.get(pk=body["id"])
    assert body["url"] == f"http://testserver/reports/{report.pk}/"
    assert (report.reporter, report.source, report.show_name) == (citizen, Report.Source.API, True)
    assert report.attributes == {"operator": "scoot-b", "blocking_footpath": "yes", "vehicle_code": "ZX-42"}
    assert (report.lat, report.lon) == (CITY_LAT, CITY_LON)
    [photo] = report.photos.all()
    assert photo.state == ReportPhoto.State.READY
    assert Follow.objects.filter(report=report, user=citizen).exists()
    assert body["reporter_name"] == "Citizen One"
    assert body["attributes"]["operator"] == "scoot-b"
    assert citizen.email not in response.content.decode()


def test_photos_appear_in_the_report_once_processed(
    client, citizen, vehicle_report, django_capture_on_commit_callbacks
):
    client.force_login(citizen)
    with django_capture_on_commit_callbacks(execute=True):
        report_id = client.post("/api/v1/reports/", {**vehicle_report, "photos": [image_upload()]}).json()["id"]
    [photo] = client.get(f"/api/v1/reports/{report_id}/").json()["photos"]
    assert photo["url"].startswith("http://testserver/photos/report/")
    assert photo["thumbnail_url"].startswith("http://testserver/photos/report/")
    assert (photo["width"], photo["height"]) == (640, 480)


def test_a_report_can_be_sent_as_json_with_an_address_only(client, citizen):
    service = ServiceFactory()
    client.force_login(citizen)
    response = client.post(
        "/api/v1/reports/",
        {"service_code": service.service_code, "address": "Jl. Braga 10", "attributes": {}},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert (response.json()["lat"], response.json()["address"]) == (None, "Jl. Braga 10")


def test_html_in_a_description_comes_back_as_the_same_text(client, citizen):
    service = ServiceFactory()
    client.force_login(citizen)
    text = '<script>alert("x")</script> &amp; <b>bold</b>'
    response = client.post(
        "/api/v1/reports/",
        {"service_code": service.service_code, "lat": CITY_LAT, "lon": CITY_LON, "description": text},
    )
    assert response["Content-Type"] == "application/json"
    assert response.json()["description"] == text
    assert client.get(f"/api/v1/reports/{response.json()['id']}/").json()["description"] == text


def test_a_report_under_a_pre_moderated_service_waits_and_only_its_reporter_sees_it(client, citizen):
    service = ServiceFactory(pre_moderated=True)
    client.force_login(citizen)
    response = client.post("/api/v1/reports/", {"service_code": service.service_code, "lat": CITY_LAT, "lon": CITY_LON})
    assert response.status_code == 201
    client.logout()
    assert client.get(f"/api/v1/reports/{response.json()['id']}/").status_code == 404
