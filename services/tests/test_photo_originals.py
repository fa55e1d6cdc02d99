"""A photo's original upload waits outside MEDIA_ROOT under a random name, and is gone once processed."""

from pathlib import Path

import pytest
from django.core.files.storage import storages

from services.actions import report_create
from services.models import ReportPhoto
from services.tests.factories import CITY_LAT, CITY_LON, ServiceFactory, image_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def private_root(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    root = Path(storages["uploads"].location)
    assert not root.resolve().is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    return root


def files_in(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def test_the_original_waits_in_private_storage_under_a_random_name(citizen, private_root, settings):
    ServiceFactory(service_code="pothole")
    with_names = image_upload(name="rina-jl-merdeka-12.jpg", exif_gps=True)

    report = report_create(
        service_code="pothole", lat=CITY_LAT, lon=CITY_LON, photo_uploads=[with_names], reporter=citizen
    )

    photo = ReportPhoto.objects.get(report=report)
    assert photo.state == ReportPhoto.State.PROCESSING
    assert (private_root / photo.upload.name).is_file()
    assert "rina" not in photo.upload.name and "merdeka" not in photo.upload.name
    assert files_in(Path(settings.MEDIA_ROOT)) == []


def test_the_original_is_deleted_once_processed(citizen, private_root, django_capture_on_commit_callbacks):
    ServiceFactory(service_code="pothole")
    before = set(files_in(private_root))
    with django_capture_on_commit_callbacks(execute=True):
        report = report_create(
            service_code="pothole",
            lat=CITY_LAT,
            lon=CITY_LON,
            photo_uploads=[image_upload(exif_gps=True)],
            reporter=citizen,
        )

    photo = ReportPhoto.objects.get(report=report)
    assert photo.state == ReportPhoto.State.READY and not photo.upload
    assert set(files_in(private_root)) == before


def test_a_photo_deleted_before_processing_takes_its_original_with_it(
    citizen, private_root, django_capture_on_commit_callbacks
):
    ServiceFactory(service_code="pothole")
    report = report_create(
        service_code="pothole", lat=CITY_LAT, lon=CITY_LON, photo_uploads=[image_upload()], reporter=citizen
    )
    original = private_root / ReportPhoto.objects.get(report=report).upload.name
    assert original.is_file()

    with django_capture_on_commit_callbacks(execute=True):
        report.delete()

    assert not original.exists()
