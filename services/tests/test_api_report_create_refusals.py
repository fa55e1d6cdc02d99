"""POST /api/v1/reports/ refuses bad input with a 400 JSON error and saves nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from citizens.tests.factories import UserFactory
from services.models import Report, ReportPhoto
from services.tests.factories import CITY_LAT, CITY_LON, AttributeFactory, ServiceFactory, image_upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def service():
    service = ServiceFactory(service_code="pothole")
    AttributeFactory(service=service, code="depth", datatype="number")
    return service


def valid() -> dict:
    return {"service_code": "pothole", "lat": str(CITY_LAT), "lon": str(CITY_LON), "description": "A hole"}


def truncated_jpeg():
    upload = image_upload()
    return SimpleUploadedFile("cut.jpg", upload.read()[:2000], content_type="image/jpeg")


BAD_INPUTS = {
    "nan latitude": ({"lat": "NaN"}, "lat"),
    "infinite longitude": ({"lon": "1e999"}, "lon"),
    "text as latitude": ({"lat": "north"}, "lat"),
    "latitude only": ({"lon": ""}, "location"),
    "no place at all": ({"lat": "", "lon": ""}, "location"),
    "point outside the city": ({"lat": "51.5", "lon": "-0.12"}, "location"),
    "unknown service": ({"service_code": "teleporter"}, "service_code"),
    "no service": ({"service_code": ""}, "service_code"),
    "description over 4000 characters": ({"description": "x" * 4001}, "description"),
    "attributes not json": ({"attributes": "{depth: 3"}, "attributes"),
    "attributes a json list": ({"attributes": "[1, 2]"}, "attributes"),
    "attributes deeply nested": ({"attributes": "[" * 100_000}, "attributes"),
    "a bad answer": ({"attributes": '{"depth": "deep"}'}, "attributes"),
    "an infinite answer": ({"attributes": '{"depth": 1e999}'}, "attributes"),
    "six photos": ({"photos": [image_upload(f"p{n}.jpg", size=(20, 20)) for n in range(6)]}, "photos"),
    "a truncated jpeg": ({"photos": [truncated_jpeg()]}, "photos"),
    "a text file as a photo": ({"photos": [SimpleUploadedFile("notes.jpg", b"not an image", "image/jpeg")]}, "photos"),
    "an empty photo": ({"photos": [SimpleUploadedFile("empty.jpg", b"", "image/jpeg")]}, "photos"),
    "a gif": ({"photos": [image_upload("anim.gif", fmt="GIF")]}, "photos"),
    "a photo as text": ({"photos": "photo.jpg"}, "photos"),
    "a null byte": ({"description": "bad\x00byte"}, "description"),
}


@pytest.mark.parametrize("change, field", BAD_INPUTS.values(), ids=BAD_INPUTS.keys())
def test_bad_input_is_a_400_naming_the_field_and_nothing_is_saved(client, citizen, service, change, field):
    client.force_login(citizen)
    response = client.post("/api/v1/reports/", {**valid(), **change})
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/json"
    assert field in response.json()
    assert Report.objects.count() == 0
    assert ReportPhoto.objects.count() == 0


def test_more_files_than_the_server_accepts_is_a_400_not_a_crash(client, citizen, service):
    client.force_login(citizen)
    photos = [image_upload(f"p{n}.jpg", size=(10, 10)) for n in range(11)]
    response = client.post("/api/v1/reports/", {**valid(), "photos": photos})
    assert response.status_code == 400
    assert "detail" in response.json()
    assert Report.objects.count() == 0


@pytest.mark.parametrize("lat", [[1, 2], {"a": 1}, True])
def test_a_json_body_with_the_wrong_types_is_a_400(client, citizen, service, lat):
    client.force_login(citizen)
    response = client.post("/api/v1/reports/", {**valid(), "lat": lat}, content_type="application/json")
    assert response.status_code == 400
    assert "lat" in response.json()
    assert Report.objects.count() == 0


def test_a_malformed_json_body_is_a_400(client, citizen, service):
    client.force_login(citizen)
    response = client.post(
        "/api/v1/reports/", '{"service_code": "pothole", "lat": NaN', content_type="application/json"
    )
    assert response.status_code == 400
    assert Report.objects.count() == 0


def test_an_unverified_account_gets_a_403_saying_why(client, service):
    client.force_login(UserFactory(verified=False))
    response = client.post("/api/v1/reports/", valid())
    assert response.status_code == 403
    assert "Confirm your email address" in response.json()["detail"]
    assert Report.objects.count() == 0


def test_a_deactivated_account_gets_a_403(client, service):
    user = UserFactory()
    client.force_login(user)
    user.is_active = False
    user.save()
    response = client.post("/api/v1/reports/", valid())
    assert response.status_code in (401, 403)
    assert Report.objects.count() == 0


def test_an_anonymous_visitor_cannot_report(client, service):
    response = client.post("/api/v1/reports/", valid())
    assert response.status_code in (401, 403)
    assert Report.objects.count() == 0
