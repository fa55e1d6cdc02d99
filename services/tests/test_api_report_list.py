"""GET /api/v1/reports/: published reports, filtered, newest first, a page at a time."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from moderation.models import ModerationState
from services.models import Report, ReportComment, ReportStatus, Service
from services.tests.factories import CITY_LAT, CITY_LON, ReportFactory, ServiceFactory

pytestmark = pytest.mark.django_db

JAKARTA = ZoneInfo("Asia/Jakarta")
PRIVATE_FIELDS = {"reporter", "reporter_id", "email", "contact", "open311_client", "source", "moderation_state"}


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [report["id"] for report in response.json()["results"]]


def test_a_report_shows_its_public_fields_and_no_private_ones(client):
    report = ReportFactory(description="Broken light", address="Jl. Braga", attributes={"size": "large"})
    [listed] = client.get("/api/v1/reports/").json()["results"]
    assert listed["id"] == report.pk
    assert listed["url"] == f"http://testserver/reports/{report.pk}/"
    assert (listed["service_code"], listed["service_name"]) == (report.service.service_code, report.service.name)
    assert (listed["status"], listed["open311_status"]) == ("open", "open")
    assert (listed["lat"], listed["lon"]) == (CITY_LAT, CITY_LON)
    assert listed["attributes"] == {"size": "large"}
    assert listed["reporter_name"] is None
    assert listed["photos"] == []
    assert not PRIVATE_FIELDS & set(listed)
    assert report.reporter.email not in str(listed)


def test_the_reporter_name_shows_only_when_they_chose_to_show_it(client, citizen):
    ReportFactory(reporter=citizen, show_name=True)
    ReportFactory(reporter=citizen, show_name=False)
    names = [report["reporter_name"] for report in client.get("/api/v1/reports/").json()["results"]]
    assert sorted(names, key=str) == ["Citizen One", None]


def test_hidden_pending_and_rejected_reports_are_not_listed(client):
    shown = ReportFactory()
    for state in (ModerationState.HIDDEN, ModerationState.PENDING, ModerationState.REJECTED):
        ReportFactory(moderation_state=state)
    assert ids(client.get("/api/v1/reports/")) == [shown.pk]


def test_the_comment_count_counts_visible_comments_only(client, citizen):
    report = ReportFactory()
    ReportComment.objects.create(report=report, author=citizen, body="Seen it too")
    ReportComment.objects.create(report=report, author=citizen, body="Spam", moderation_state=ModerationState.HIDDEN)
    assert client.get("/api/v1/reports/").json()["results"][0]["comments_count"] == 1


def test_it_filters_by_service_code_and_status(client):
    pothole = ServiceFactory(service_code="pothole")
    light = ServiceFactory(service_code="streetlight")
    open_pothole = ReportFactory(service=pothole)
    fixed_pothole = ReportFactory(service=pothole, status=ReportStatus.RESOLVED)
    open_light = ReportFactory(service=light)
    assert set(ids(client.get("/api/v1/reports/?service_code=pothole"))) == {open_pothole.pk, fixed_pothole.pk}
    assert set(ids(client.get("/api/v1/reports/?service_code=pothole,streetlight&status=open"))) == {
        open_pothole.pk,
        open_light.pk,
    }
    assert ids(client.get("/api/v1/reports/?status=resolved,closed")) == [fixed_pothole.pk]


def test_an_unknown_status_is_a_400_naming_the_known_ones(client):
    response = client.get("/api/v1/reports/?status=open,fixed")
    assert response.status_code == 400
    assert "fixed" in response.json()["status"][0]
    assert "in_progress" in response.json()["status"][0]


def test_since_and_until_take_dates_covering_whole_days_or_date_times(client):
    day = datetime(2026, 3, 10, tzinfo=JAKARTA)
    early = ReportFactory(created_at=day.replace(hour=8))
    late = ReportFactory(created_at=day.replace(hour=23, minute=59))
    next_day = ReportFactory(created_at=day + timedelta(days=1, hours=1))
    assert set(ids(client.get("/api/v1/reports/?since=2026-03-10&until=2026-03-10"))) == {early.pk, late.pk}
    assert ids(client.get("/api/v1/reports/?since=2026-03-11")) == [next_day.pk]
    assert set(ids(client.get("/api/v1/reports/?since=2026-03-10T12:00:00%2B07:00"))) == {late.pk, next_day.pk}
    assert ids(client.get("/api/v1/reports/?until=2026-03-10T01:00:00Z")) == [early.pk]


@pytest.mark.parametrize("value", ["yesterday", "2026-13-01", "2026-02-30T10:00", "10/03/2026", "2026-03-10T25:00"])
def test_a_bad_date_is_a_400_json_error(client, value):
    for name in ("since", "until"):
        response = client.get("/api/v1/reports/", {name: value})
        assert response.status_code == 400
        assert response["Content-Type"] == "application/json"
        assert name in response.json()


def test_it_keeps_reports_inside_the_bbox(client):
    inside = ReportFactory(lat=-6.90, lon=107.60)
    ReportFactory(lat=-6.95, lon=107.70)
    ReportFactory(lat=None, lon=None, address="Jl. Asia Afrika")
    assert ids(client.get("/api/v1/reports/?bbox=107.59,-6.91,107.61,-6.89")) == [inside.pk]


@pytest.mark.parametrize(
    "bbox", ["107.5,-6.9,107.7", "a,b,c,d", "107.7,-6.9,107.5,-6.8", "nan,-6.9,107.7,-6.8", "1e999,-6.9,107.7,-6.8"]
)
def test_a_bad_bbox_is_a_400_json_error(client, bbox):
    response = client.get("/api/v1/reports/", {"bbox": bbox})
    assert response.status_code == 400
    assert "bbox" in response.json()


def test_a_sensitive_service_publishes_a_rounded_point_that_a_tiny_bbox_cannot_find(client):
    service = ServiceFactory(location_precision=Service.Precision.COARSE)
    report = ReportFactory(service=service, lat=-6.91234, lon=107.60987)
    [listed] = client.get("/api/v1/reports/").json()["results"]
    assert (listed["lat"], listed["lon"]) == (-6.912, 107.61)
    assert ids(client.get("/api/v1/reports/?bbox=107.6098,-6.9124,107.6099,-6.9123")) == []
    assert ids(client.get("/api/v1/reports/?bbox=107.6099,-6.9121,107.6101,-6.9119")) == [report.pk]


def test_pages_follow_each_other_newest_first_with_a_cursor(client, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "PAGE_SIZE": 50}
    start = datetime(2026, 1, 1, tzinfo=JAKARTA)
    reports = [ReportFactory(created_at=start + timedelta(minutes=minute)) for minute in range(55)]
    first = client.get("/api/v1/reports/").json()
    assert first["previous"] is None
    assert len(first["results"]) == 50
    assert "cursor=" in first["next"]
    second = client.get(first["next"]).json()
    assert second["next"] is None
    seen = [report["id"] for report in first["results"] + second["results"]]
    assert seen == [report.pk for report in reversed(reports)]


def test_a_forged_cursor_is_a_404_not_a_crash(client):
    ReportFactory()
    assert client.get("/api/v1/reports/?cursor=not-a-cursor").status_code == 404


@pytest.mark.parametrize("count", [3, 30])
def test_the_list_costs_the_same_queries_whatever_the_number_of_reports(client, django_assert_max_num_queries, count):
    service = ServiceFactory()
    for _ in range(count):
        ReportFactory(service=service, show_name=True)
    with django_assert_max_num_queries(2):
        response = client.get("/api/v1/reports/?status=open&bbox=107.5,-7,107.7,-6.8&since=2026-01-01")
    assert len(response.json()["results"]) == Report.objects.count() == count
