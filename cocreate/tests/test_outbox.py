"""Background jobs are recorded with the change that needs them and survive a broker that is down."""

from datetime import timedelta

import kombu.exceptions
import pytest
from django.utils import timezone

from citizens.actions import api_token_issue
from cocreate import outbox
from cocreate.models import PendingJob
from cocreate.tasks import run_pending_job_task
from services.models import ReportPhoto
from services.tests.factories import CITY_LAT, CITY_LON, ServiceFactory, image_upload

pytestmark = pytest.mark.django_db

calls: list[dict] = []


@outbox.job
def remember(**kwargs) -> None:
    calls.append(kwargs)


@outbox.job
def fail(**kwargs) -> None:
    raise OSError("mail server unreachable")


def not_a_job(**kwargs) -> None:
    calls.append(kwargs)


@pytest.fixture(autouse=True)
def _no_calls():
    calls.clear()


@pytest.fixture
def broker_down(monkeypatch):
    def refuse(*args, **kwargs):
        raise kombu.exceptions.OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(run_pending_job_task, "apply_async", refuse)


def test_a_report_is_saved_and_confirmed_while_the_broker_is_down_and_its_photo_done_by_the_sweep(
    client, citizen, settings, tmp_path, broker_down, monkeypatch, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    service = ServiceFactory()
    _token, key = api_token_issue(user=citizen, for_staff=False)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/reports/",
            {"service_code": service.service_code, "lat": CITY_LAT, "lon": CITY_LON, "photos": [image_upload()]},
            headers={"authorization": f"Token {key}"},
        )

    assert response.status_code == 201, response.content
    photo = ReportPhoto.objects.get(report_id=response.json()["id"])
    assert photo.state == ReportPhoto.State.PROCESSING
    job = PendingJob.objects.get()
    assert job.kwargs == {"report_id": photo.report_id}
    assert job.retry_at <= timezone.now()  # due at the next sweep

    monkeypatch.undo()  # the broker is back
    assert outbox.sweep() == 1

    photo.refresh_from_db()
    assert photo.state == ReportPhoto.State.READY and not photo.upload
    assert not PendingJob.objects.exists()


def test_a_job_runs_once_however_often_it_is_sent(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        job = outbox.enqueue(remember, report_id=7)

    assert outbox.run(job.pk) is True
    assert outbox.run(job.pk) is False
    assert calls == [{"report_id": 7}]
    assert not PendingJob.objects.exists()


def test_a_failing_job_stays_for_the_next_sweep(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = outbox.enqueue(fail, n=1)

    job.refresh_from_db()  # retried by Celery, then left for the sweep
    assert job.retry_at <= timezone.now()


def test_the_sweep_sends_only_what_is_due_and_gives_up_after_the_last_attempt(settings, caplog):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    now = timezone.now()
    name = f"{__name__}.remember"
    PendingJob.objects.create(name=name, kwargs={"n": 1}, retry_at=now - timedelta(seconds=1))
    PendingJob.objects.create(name=name, kwargs={"n": 2}, retry_at=now + timedelta(minutes=5))
    PendingJob.objects.create(name=name, kwargs={"n": 3}, retry_at=now - timedelta(minutes=1), attempts=3)

    assert outbox.sweep(now=now) == 1

    assert calls == [{"n": 1}]
    assert sorted(PendingJob.objects.values_list("kwargs__n", flat=True)) == [2, 3]
    assert "1 pending jobs failed 3 times" in caplog.text


def test_only_marked_functions_are_jobs():
    with pytest.raises(ValueError, match="not marked"):
        outbox.enqueue(not_a_job, n=1)
    PendingJob.objects.create(name=f"{__name__}.not_a_job", kwargs={}, retry_at=timezone.now())
    with pytest.raises(ValueError, match="not a job"):
        outbox.run(PendingJob.objects.get().pk)
    assert calls == []
