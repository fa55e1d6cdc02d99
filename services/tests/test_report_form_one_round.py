"""The report form checks everything in one pass and loses nothing on a refusal, photos included."""

import re
from pathlib import Path

import pytest
from PIL import Image

from services.models import AttributeValue, PendingPhoto, Report, ReportPhoto, ServiceAttribute
from services.tests.factories import CITY_LAT, CITY_LON, AttributeFactory, ServiceFactory, image_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def pothole(db):
    service = ServiceFactory(service_code="pothole")
    size = AttributeFactory(
        service=service,
        code="size",
        description="How big is it?",
        datatype=ServiceAttribute.Datatype.SINGLEVALUELIST,
        required=True,
    )
    AttributeValue.objects.create(attribute=size, key="large", name="Large")
    return service


def kept_tokens(body: str) -> list[str]:
    return re.findall(r'name="pending_photo" value="([^"]+)"', body)


def test_a_refused_form_names_the_missing_place_and_answer_together_and_keeps_the_photo(
    client, citizen, pothole, media, django_capture_on_commit_callbacks
):
    client.force_login(citizen)
    response = client.post(
        "/report/pothole/",
        {"description": "Deep hole near the market", "photos": [image_upload(exif_gps=True)]},
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert "Place a pin on the map, or type coordinates or an address." in body
    assert "This answer is required." in body
    assert "Please correct the 2 problems below." in body
    assert "Deep hole near the market" in body
    tokens = kept_tokens(body)
    assert len(tokens) == 1
    thumbnail = client.get(f"/report/kept-photo/{tokens[0]}/")
    assert thumbnail.status_code == 200
    assert thumbnail["Content-Type"] == "image/jpeg"
    kept = Path(PendingPhoto.objects.get().image.path)
    with Image.open(kept) as stored:
        assert not stored.getexif(), "a kept photo has no location data left"
    assert Report.objects.count() == 0

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            "/report/pothole/",
            {
                "lat": str(CITY_LAT),
                "lon": str(CITY_LON),
                "attribute_size": "large",
                "description": "Deep hole near the market",
                "pending_photo": tokens,
            },
        )

    report = Report.objects.get()
    assert done["Location"] == f"/reports/{report.pk}/"
    assert ReportPhoto.objects.filter(report=report, state=ReportPhoto.State.READY).count() == 1
    assert PendingPhoto.objects.count() == 0
    assert not kept.exists()


def test_a_point_outside_the_city_and_a_bad_email_are_reported_in_the_same_round(client, pothole, media):
    response = client.post(
        "/report/pothole/",
        {"lat": "-6.2", "lon": "106.8", "attribute_size": "large", "email": "not-an-address"},
    )

    body = response.content.decode()
    assert "This point is outside the city" in body
    assert "Enter a valid email address." in body
    assert Report.objects.count() == 0


def test_an_unchecked_kept_photo_is_left_out(client, citizen, pothole, media):
    client.force_login(citizen)
    first = client.post("/report/pothole/", {"photos": [image_upload()]})
    assert len(kept_tokens(first.content.decode())) == 1

    client.post("/report/pothole/", {"lat": str(CITY_LAT), "lon": str(CITY_LON), "attribute_size": "large"})

    assert ReportPhoto.objects.count() == 0


def test_a_forged_kept_photo_token_is_ignored(client, citizen, pothole, media):
    client.force_login(citizen)
    assert client.get("/report/kept-photo/forged/").status_code == 404
    response = client.post(
        "/report/pothole/",
        {"lat": str(CITY_LAT), "lon": str(CITY_LON), "attribute_size": "large", "pending_photo": ["forged"]},
    )
    assert response.status_code == 302
    assert ReportPhoto.objects.count() == 0


def test_a_file_that_is_not_an_image_is_refused_and_not_kept(client, citizen, pothole, media):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(citizen)
    response = client.post(
        "/report/pothole/",
        {"photos": [SimpleUploadedFile("notes.jpg", b"plain text", content_type="image/jpeg")]},
    )
    body = response.content.decode()
    assert "is not an image we can read" in body
    assert kept_tokens(body) == []


def test_photos_of_an_abandoned_form_are_deleted_after_a_day(client, citizen, pothole, media):
    from datetime import timedelta

    from django.utils import timezone

    from services.tasks import purge_unconfirmed_reports_task

    client.force_login(citizen)
    client.post("/report/pothole/", {"photos": [image_upload()]})
    kept = Path(PendingPhoto.objects.get().image.path)
    assert kept.exists()

    PendingPhoto.objects.update(created_at=timezone.now() - timedelta(hours=25))
    assert purge_unconfirmed_reports_task.delay().get() == 1

    assert not PendingPhoto.objects.exists()
    assert not kept.exists()
