"""Report photos are re-encoded after commit: no metadata, oriented, resized, thumbnailed, original gone."""

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from cocreate.images import LONG_SIDE, THUMB_SIDE
from services.actions import report_create, report_process_photos
from services.models import ReportPhoto
from services.tests.factories import CITY_LAT, CITY_LON, ServiceFactory, image_upload

pytestmark = pytest.mark.django_db

GPS_IFD = 0x8825
ORIENTATION = 0x0112


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def service(db):
    return ServiceFactory(service_code="pothole")


def stored_files(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def report_with(citizen, *uploads):
    return report_create(
        service_code="pothole", lat=CITY_LAT, lon=CITY_LON, photo_uploads=list(uploads), reporter=citizen
    )


def processed(citizen, django_capture_on_commit_callbacks, *uploads) -> ReportPhoto:
    with django_capture_on_commit_callbacks(execute=True):
        report = report_with(citizen, *uploads)
    return ReportPhoto.objects.get(report=report)


def rotated_upload(size=(400, 200)) -> SimpleUploadedFile:
    """A JPEG stored sideways with EXIF Orientation 6, as phones write when held upright."""
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    buffer = io.BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(buffer, format="JPEG", exif=exif)
    return SimpleUploadedFile("upright.jpg", buffer.getvalue(), content_type="image/jpeg")


def open_stored(field) -> Image.Image:
    with field.open("rb") as handle:
        image = Image.open(io.BytesIO(handle.read()))
        image.load()
    return image


def test_the_stored_photo_carries_no_exif_although_the_upload_had_a_gps_position(
    citizen, service, media, django_capture_on_commit_callbacks
):
    upload = image_upload(exif_gps=True)
    with Image.open(upload) as original:
        assert original.getexif().get_ifd(GPS_IFD)  # the upload really carries a position
    upload.seek(0)

    photo = processed(citizen, django_capture_on_commit_callbacks, upload)

    for field in (photo.image, photo.thumbnail):
        image = open_stored(field)
        assert image.format == "JPEG"
        assert not image.getexif()
        assert "exif" not in image.info
        assert "xmp" not in image.info
    for path in stored_files(media):
        assert b"PhoneMaker" not in path.read_bytes()


def test_photos_are_processed_only_after_commit(citizen, service, media, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        report = report_with(citizen, image_upload())
        photo = ReportPhoto.objects.get(report=report)
        assert photo.state == ReportPhoto.State.PROCESSING
        assert photo.upload and not photo.image

    photo.refresh_from_db()
    assert photo.state == ReportPhoto.State.PROCESSING and callbacks
    for callback in callbacks:
        callback()
    photo.refresh_from_db()
    assert photo.state == ReportPhoto.State.READY and photo.image


def test_a_large_photo_is_at_most_2048_px_on_its_long_side(citizen, service, media, django_capture_on_commit_callbacks):
    photo = processed(citizen, django_capture_on_commit_callbacks, image_upload(size=(3000, 1000)))

    assert (photo.width, photo.height) == (LONG_SIDE, 683)
    assert open_stored(photo.image).size == (LONG_SIDE, 683)
    assert max(open_stored(photo.thumbnail).size) == THUMB_SIDE


def test_a_small_photo_is_not_enlarged(citizen, service, media, django_capture_on_commit_callbacks):
    photo = processed(citizen, django_capture_on_commit_callbacks, image_upload(size=(300, 200)))

    assert (photo.width, photo.height) == (300, 200)


def test_the_exif_orientation_is_applied_to_the_pixels(citizen, service, media, django_capture_on_commit_callbacks):
    photo = processed(citizen, django_capture_on_commit_callbacks, rotated_upload())

    image = open_stored(photo.image)
    assert image.size == (200, 400)
    assert (photo.width, photo.height) == (200, 400)
    assert ORIENTATION not in image.getexif()


def test_processing_makes_a_thumbnail_deletes_the_original_and_marks_the_photo_ready(
    citizen, service, media, django_capture_on_commit_callbacks
):
    photo = processed(citizen, django_capture_on_commit_callbacks, image_upload(exif_gps=True))

    photo.refresh_from_db()
    assert photo.state == ReportPhoto.State.READY
    assert not photo.upload
    assert photo.thumbnail.storage.exists(photo.thumbnail.name)
    assert photo.image.storage.exists(photo.image.name)
    assert not (media / "uploads").exists() or not any((media / "uploads").iterdir())
    # The image, its thumbnail and its copies at the pages' widths (test_photo_variants.py): nothing else.
    assert sorted(path.relative_to(media).as_posix() for path in stored_files(media)) == sorted(photo.stored_names())
    assert {photo.image.name, photo.thumbnail.name} < set(photo.stored_names())


@pytest.mark.parametrize(("name", "fmt"), [("plan.png", "PNG"), ("street.webp", "WEBP")])
def test_png_and_webp_photos_are_accepted_and_stored_as_jpeg(
    citizen, service, media, django_capture_on_commit_callbacks, name, fmt
):
    photo = processed(citizen, django_capture_on_commit_callbacks, image_upload(name, fmt=fmt))

    assert photo.state == ReportPhoto.State.READY
    assert open_stored(photo.image).format == "JPEG"


def test_a_multi_picture_jpeg_from_a_phone_is_accepted(citizen, service, media, django_capture_on_commit_callbacks):
    buffer = io.BytesIO()
    primary, preview = Image.new("RGB", (640, 480), (1, 2, 3)), Image.new("RGB", (160, 120), (4, 5, 6))
    primary.save(buffer, format="MPO", save_all=True, append_images=[preview])
    upload = SimpleUploadedFile("phone.jpg", buffer.getvalue(), content_type="image/jpeg")

    photo = processed(citizen, django_capture_on_commit_callbacks, upload)

    assert photo.state == ReportPhoto.State.READY
    assert (photo.width, photo.height) == (640, 480)


def test_a_photo_that_cannot_be_decoded_fails_and_its_original_is_deleted(
    citizen, service, media, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        report = report_with(citizen, image_upload(exif_gps=True))
    photo = ReportPhoto.objects.get(report=report)
    Path(photo.upload.path).write_bytes(b"damaged on disk after the upload was checked")

    assert report_process_photos(report_id=report.pk) == 0

    photo.refresh_from_db()
    assert photo.state == ReportPhoto.State.FAILED
    assert not photo.upload
    assert stored_files(media) == []


def test_processing_twice_changes_nothing(citizen, service, media, django_capture_on_commit_callbacks):
    photo = processed(citizen, django_capture_on_commit_callbacks, image_upload())
    files = sorted(stored_files(media))

    assert report_process_photos(report_id=photo.report_id) == 0

    photo.refresh_from_db()
    assert photo.state == ReportPhoto.State.READY
    assert sorted(stored_files(media)) == files
