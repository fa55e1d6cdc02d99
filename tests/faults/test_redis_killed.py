"""Redis is killed by its PID while a citizen reports a problem with a photo.

The site runs as in production (gunicorn, a Celery worker, PostgreSQL, a Redis of the test's
own). With Redis dead the citizen still signs in and is told the report is saved; once Redis is
back on the same port, the sweep sends the recorded job, the worker processes the photo, and the
original upload is gone.
"""

import re
from pathlib import Path

import pytest
import requests

from citizens.actions import api_token_issue
from citizens.tests.factories import PASSWORD, UserFactory
from cocreate.models import PendingJob
from conftest import wait_for
from services.models import Report, ReportPhoto
from services.tests.factories import CITY_LAT, CITY_LON, ServiceFactory, image_upload
from tests.faults import processes

CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def redis_server(tmp_path):
    processes.require_postgres()
    server = processes.PrivateRedis(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def site(transactional_db, redis_server, settings, tmp_path):
    """gunicorn and a Celery worker on the private Redis; stopped before the database is flushed."""
    settings.MEDIA_ROOT = tmp_path / "media"
    # Published at once, so that its followers are emailed about updates.
    env = processes.site_environment(tmp_path, REDIS_URL=redis_server.url, MODERATION_FIRST_CONTRIBUTIONS_PENDING="0")
    web, base = processes.start_site(env, tmp_path)
    worker = processes.start_worker(env, tmp_path)
    yield base, env
    processes.stop(web)
    processes.stop(worker)


def form_token(session: requests.Session, url: str) -> str:
    page = session.get(url, timeout=30)
    assert page.status_code == 200, page.text[:500]
    return CSRF_FIELD.search(page.text).group(1)


def test_a_report_with_a_photo_survives_redis_being_killed(site, redis_server, tmp_path):
    base, env = site
    citizen = UserFactory(email="rina@example.org")
    service = ServiceFactory()
    private_uploads = Path(env["PRIVATE_UPLOAD_ROOT"])

    redis_server.kill()

    browser = requests.Session()
    login = browser.post(
        f"{base}/accounts/login/",
        {
            "login": citizen.email,
            "password": PASSWORD,
            "csrfmiddlewaretoken": form_token(browser, f"{base}/accounts/login/"),
        },
        headers={"referer": f"{base}/accounts/login/"},
        timeout=30,
    )
    assert login.status_code == 200 and "sessionid" in browser.cookies, login.text[:500]

    form_url = f"{base}/report/{service.service_code}/"
    photo = image_upload(name="rina-at-home.jpg", exif_gps=True)
    sent = browser.post(
        form_url,
        {
            "csrfmiddlewaretoken": form_token(browser, form_url),
            "lat": CITY_LAT,
            "lon": CITY_LON,
            "description": "Pothole",
        },
        files={"photos": (photo.name, photo.read(), "image/jpeg")},
        headers={"referer": form_url},
        timeout=30,
    )

    # The citizen lands on their report with the thank-you message, not on an error page.
    assert sent.status_code == 200, sent.text[:500]
    assert "Thank you. Your report is published" in sent.text
    assert sent.history[0].elapsed.total_seconds() < 5, "the request waited for the dead Redis"
    report = Report.objects.get(reporter=citizen, description="Pothole")
    assert sent.url == f"{base}/reports/{report.pk}/"
    photo_row = ReportPhoto.objects.get(report=report)
    assert photo_row.state == ReportPhoto.State.PROCESSING
    assert [path.name for path in private_uploads.rglob("*") if path.is_file()] == [Path(photo_row.upload.name).name]
    assert PendingJob.objects.filter(name="services.tasks.process_report_photos_task").exists()
    # An API client writes too, and Open311 answers in its format.
    _token, key = api_token_issue(user=citizen, for_staff=False)
    api = requests.post(
        f"{base}/api/v1/reports/",
        {"service_code": service.service_code, "lat": CITY_LAT, "lon": CITY_LON, "description": "Second pothole"},
        headers={"authorization": f"Token {key}"},
        timeout=30,
    )
    assert api.status_code == 201, api.text[:500]
    assert requests.get(f"{base}/open311/v2/services.json", timeout=30).status_code == 200
    health = browser.get(f"{base}/healthz", timeout=30)
    assert (health.status_code, health.json()["checks"]["redis"]) == (200, "unreachable")

    redis_server.start()  # same port, empty: whatever was queued before is lost
    processes.manage(env, "sweep_pending_jobs")

    def processed() -> bool:
        photo_row.refresh_from_db()
        return photo_row.state == ReportPhoto.State.READY

    assert wait_for(processed, timeout=90), (tmp_path / "worker.log").read_text()[-3000:]
    assert not photo_row.upload
    assert [path for path in private_uploads.rglob("*") if path.is_file()] == []
    assert wait_for(lambda: not PendingJob.objects.exists(), timeout=10)

    # The city answers; the worker emails the follower. Its INFO log shows neither the address
    # nor the body with its unfollow link.
    processes.manage(
        env,
        "shell",
        "-c",
        "from services.actions import report_change_status; from services.models import Report; "
        f"report_change_status(report=Report.objects.get(pk={report.pk}), to_status='in_progress', by=None, "
        "note='Crew on the way')",
    )
    worker_log = tmp_path / "worker.log"
    assert wait_for(lambda: "1 emails to 1 recipients not delivered" in worker_log.read_text(), timeout=60)
    assert wait_for(lambda: not PendingJob.objects.exists(), timeout=10)
    for log in ("gunicorn.log", "worker.log"):
        text = (tmp_path / log).read_text()
        assert "rina@example.org" not in text and "unfollow" not in text and "Crew on the way" not in text
