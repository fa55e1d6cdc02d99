"""report_create: a good report is saved whole; a bad one is refused whole, with a message where it belongs."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from citizens.tests.factories import UserFactory
from moderation.models import ModerationState
from services.actions import report_create
from services.models import AttributeValue, Follow, Report, ReportContact, ReportPhoto, ReportStatus, ServiceAttribute
from services.tests.factories import CITY_LAT, CITY_LON, AttributeFactory, ServiceFactory, image_upload

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)> & "quotes"'


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


@pytest.fixture
def pothole(db):
    service = ServiceFactory(service_code="pothole", response_days=14)
    size = AttributeFactory(
        service=service, code="size", datatype=ServiceAttribute.Datatype.SINGLEVALUELIST, required=True
    )
    for order, key in enumerate(("small", "large")):
        AttributeValue.objects.create(attribute=size, key=key, name=key.title(), order=order)
    AttributeFactory(service=service, code="depth_cm", datatype=ServiceAttribute.Datatype.NUMBER)
    return service


def good_input(reporter) -> dict:
    """A valid report with one valid photo, so a refusal can be seen to leave no file behind."""
    return {
        "service_code": "pothole",
        "lat": str(CITY_LAT),
        "lon": str(CITY_LON),
        "description": "A deep hole in the left lane.",
        "attributes": {"size": "large"},
        "photo_uploads": [image_upload()],
        "reporter": reporter,
    }


def truncated_jpeg() -> SimpleUploadedFile:
    data = image_upload().read()
    return SimpleUploadedFile("cut.jpg", data[: len(data) // 2], content_type="image/jpeg")


def test_a_verified_citizens_report_is_saved_with_answers_deadline_and_a_follow(citizen, pothole, media):
    report = report_create(
        service_code="pothole",
        lat=str(CITY_LAT),
        lon=str(CITY_LON),
        address=" Jl. Asia Afrika 8 ",
        description="  A deep hole in the left lane. ",
        attributes={"size": "large", "depth_cm": "12", "not_a_question": "ignored"},
        reporter=citizen,
        show_name=True,
    )

    report.refresh_from_db()
    assert report.service == pothole
    assert report.reporter == citizen
    assert report.show_name is True
    assert (report.lat, report.lon) == (CITY_LAT, CITY_LON)
    assert report.address == "Jl. Asia Afrika 8"
    assert report.description == "A deep hole in the left lane."
    assert report.attributes == {"size": "large", "depth_cm": 12}
    assert report.status == ReportStatus.OPEN
    assert report.moderation_state == ModerationState.PUBLISHED
    assert report.source == Report.Source.WEB
    assert report.expected_at == report.created_at + timedelta(days=14)
    assert list(Follow.objects.filter(report=report).values_list("user", flat=True)) == [citizen.pk]


def test_a_report_under_a_pre_moderated_service_waits_for_a_moderator(citizen, media):
    ServiceFactory(service_code="graffiti", pre_moderated=True)

    report = report_create(service_code="graffiti", lat=CITY_LAT, lon=CITY_LON, reporter=citizen)

    report.refresh_from_db()
    assert report.moderation_state == ModerationState.PENDING
    assert not report.is_visible


def test_a_report_with_an_address_and_no_point_is_accepted(citizen, pothole, media):
    report = report_create(
        service_code="pothole", address="Jl. Braga 10, Bandung", attributes={"size": "small"}, reporter=citizen
    )

    report.refresh_from_db()
    assert report.lat is None and report.lon is None
    assert report.address == "Jl. Braga 10, Bandung"


def test_html_and_script_in_the_description_are_stored_verbatim_as_text(citizen, pothole, media):
    report = report_create(**{**good_input(citizen), "description": SCRIPT, "photo_uploads": []})

    report.refresh_from_db()
    assert report.description == SCRIPT


def test_a_report_without_a_reporter_keeps_the_open311_contact_privately(pothole, media):
    from services.actions import Contact

    report = report_create(
        **{**good_input(None), "photo_uploads": [], "source": Report.Source.OPEN311},
        contact=Contact(email="ana@example.org", first_name="Ana"),
    )

    assert report.reporter is None and report.show_name is False
    assert ReportContact.objects.get(report=report).email == "ana@example.org"
    assert not Follow.objects.filter(report=report).exists()


BAD_INPUTS = {
    "no location at all": ({"lat": None, "lon": None, "address": ""}, "location", "Place a pin"),
    "only a latitude": ({"lon": ""}, "location", "both latitude and longitude"),
    "a point outside the city": ({"lat": "-6.2088", "lon": "106.8456"}, "location", "outside the city"),
    "latitude nan": ({"lat": "nan"}, "lat", "finite number"),
    "latitude 1e999": ({"lat": "1e999"}, "lat", "finite number"),
    "latitude abc": ({"lat": "abc"}, "lat", "Enter a number"),
    "longitude -inf": ({"lon": "-inf"}, "lon", "finite number"),
    "an unknown service": ({"service_code": "no-such-service"}, "service_code", "Unknown or inactive"),
    "an inactive service": ({"service_code": "retired"}, "service_code", "Unknown or inactive"),
    "a missing required answer": ({"attributes": {}}, "attributes", "size: This answer is required."),
    "an answer not in the list": ({"attributes": {"size": "huge"}}, "attributes", "size: Choose one of the listed"),
    "answers that are not an object": ({"attributes": ["large"]}, "attributes", "must be an object"),
    "a description over 4,000 characters": ({"description": "x" * 4001}, "description", "at most 4000 characters"),
    "a file that is not an image": (
        {"photo_uploads": [lambda: SimpleUploadedFile("notes.jpg", b"not a picture", content_type="image/jpeg")]},
        "photos",
        "“notes.jpg” is not an image we can read",
    ),
    "a GIF": ({"photo_uploads": [lambda: image_upload("anim.gif", fmt="GIF")]}, "photos", "not a JPEG, PNG or WebP"),
    "a truncated JPEG": ({"photo_uploads": [truncated_jpeg]}, "photos", "“cut.jpg” is damaged or incomplete"),
    "six photos": ({"photo_uploads": [image_upload] * 6}, "photos", "at most 5 photos"),
}


@pytest.mark.parametrize(("overrides", "key", "message"), BAD_INPUTS.values(), ids=BAD_INPUTS.keys())
def test_bad_input_is_refused_with_a_message_on_its_key_and_nothing_is_saved(
    citizen, pothole, media, overrides, key, message
):
    ServiceFactory(service_code="retired", active=False)
    # Uploads are made here, so every test reads fresh, unread files.
    if "photo_uploads" in overrides:
        overrides = {**overrides, "photo_uploads": [make() for make in overrides["photo_uploads"]]}

    with pytest.raises(ValidationError) as caught:
        report_create(**{**good_input(citizen), **overrides})

    messages = caught.value.message_dict[key]
    assert any(message in text for text in messages), messages
    assert Report.objects.count() == 0
    assert ReportPhoto.objects.count() == 0
    assert Follow.objects.count() == 0
    assert stored_files(media) == []


def test_an_image_over_the_pixel_cap_is_refused(citizen, pothole, media, settings):
    settings.PHOTO_MAX_PIXELS = 10_000

    with pytest.raises(ValidationError) as caught:
        report_create(**{**good_input(citizen), "photo_uploads": [image_upload("big.jpg", size=(200, 100))]})

    assert caught.value.message_dict["photos"] == ["“big.jpg” has too many pixels."]
    assert Report.objects.count() == 0
    assert ReportPhoto.objects.count() == 0
    assert stored_files(media) == []


def test_an_image_over_the_byte_cap_is_refused(citizen, pothole, media, settings):
    settings.PHOTO_MAX_BYTES = 1024
    upload = image_upload("heavy.jpg")
    assert upload.size > 1024

    with pytest.raises(ValidationError) as caught:
        report_create(**{**good_input(citizen), "photo_uploads": [upload]})

    assert caught.value.message_dict["photos"][0].startswith("“heavy.jpg” is larger than")
    assert Report.objects.count() == 0
    assert stored_files(media) == []


def test_every_bad_field_is_reported_at_once(citizen, pothole, media):
    with pytest.raises(ValidationError) as caught:
        report_create(
            **{**good_input(citizen), "lat": "abc", "attributes": {}, "description": "x" * 4001, "photo_uploads": []}
        )

    assert set(caught.value.message_dict) == {"lat", "attributes", "description"}


def test_an_unverified_citizen_cannot_report(pothole, media):
    unverified = UserFactory(verified=False)

    with pytest.raises(PermissionDenied):
        report_create(**good_input(unverified))

    assert Report.objects.count() == 0
    assert stored_files(media) == []


def test_an_inactive_account_cannot_report(pothole, media):
    inactive = UserFactory(is_active=False)

    with pytest.raises(PermissionDenied):
        report_create(**good_input(inactive))

    assert Report.objects.count() == 0
