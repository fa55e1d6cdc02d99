"""One report filter behind the REST list, the list page and Open311: the same reports for the same question."""

import re
from datetime import UTC, datetime

import pytest

from services.models import Report, ReportStatus
from services.tests.factories import ReportFactory, ServiceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reports():
    """Potholes and bikes over four November days; the potholes of 2 and 3 November are the answer."""
    pothole, bike = ServiceFactory(service_code="pothole"), ServiceFactory(service_code="bike")
    made = {}
    for day in (1, 2, 3, 4):
        for service in (pothole, bike):
            report = ReportFactory(service=service)
            when = datetime(2026, 11, day, 5, 0, tzinfo=UTC)  # 12:00 in Bandung
            Report.objects.filter(pk=report.pk).update(created_at=when, updated_at=when)
            made[(service.service_code, day)] = report.pk
    return made


def test_the_rest_list_the_list_page_and_open311_answer_alike(client, reports):
    expected = {reports[("pothole", 2)], reports[("pothole", 3)]}

    api = client.get("/api/v1/reports/?service_code=pothole&status=open&since=2026-11-02&until=2026-11-03")
    page = client.get(
        "/reports/", {"service": "pothole", "status": "open", "since": "2026-11-02", "until": "2026-11-03"}
    )
    open311 = client.get(
        "/open311/v2/requests.json?service_code=pothole&status=open"
        "&start_date=2026-11-02T00:00:00%2B07:00&end_date=2026-11-03T23:59:59%2B07:00"
    )

    assert {report["id"] for report in api.json()["results"]} == expected
    assert {int(number) for number in re.findall(r'href="/reports/(\d+)/"', page.content.decode())} == expected
    assert {int(document["service_request_id"]) for document in open311.json()} == expected


def test_each_surface_words_a_bad_date_its_own_way(client, reports):
    api = client.get("/api/v1/reports/?since=yesterday")
    open311 = client.get("/open311/v2/requests.json?start_date=yesterday")

    assert (api.status_code, list(api.json())) == (400, ["since"])
    assert (open311.status_code, open311.json()[0]["description"].split(":")[0]) == (400, "start_date")


def test_a_closed_status_filter_finds_closed_reports_only(client, reports):
    Report.objects.filter(pk=reports[("bike", 4)]).update(status=ReportStatus.CLOSED)

    api = client.get("/api/v1/reports/?status=closed")
    open311 = client.get("/open311/v2/requests.json?status=closed&start_date=2026-11-01T00:00:00Z")

    assert [report["id"] for report in api.json()["results"]] == [reports[("bike", 4)]]
    assert [int(document["service_request_id"]) for document in open311.json()] == [reports[("bike", 4)]]
