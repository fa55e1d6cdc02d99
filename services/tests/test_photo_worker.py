"""Photo processing runs on a real Celery worker consuming from Redis."""

import pytest
from PIL import Image

from conftest import wait_for
from services import actions
from services.models import ReportPhoto
from services.tests.factories import CITY_LAT, CITY_LON, ServiceFactory, image_upload


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_the_worker_strips_the_photo_after_the_report_is_saved(celery_worker_on_redis, citizen, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    service = ServiceFactory()
    report = actions.report_create(
        service_code=service.service_code,
        lat=CITY_LAT,
        lon=CITY_LON,
        photo_uploads=[image_upload(exif_gps=True)],
        reporter=citizen,
    )

    def processed():
        return ReportPhoto.objects.get(report=report).state == ReportPhoto.State.READY

    assert wait_for(processed), "the worker did not process the photo"
    photo = ReportPhoto.objects.get(report=report)
    with Image.open(photo.image.path) as stored:
        assert not stored.getexif()
    assert not photo.upload
