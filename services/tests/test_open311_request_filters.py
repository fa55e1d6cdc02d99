"""Open311 GeoReport v2, reading requests: order, filters, dates, pages and query counts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from services import open311
from services.models import ReportStatus
from services.tests.factories import AttributeFactory, ReportFactory, ServiceFactory
from services.tests.open311_client import BASE, add_photo, get_json, get_xml, ids

pytestmark = pytest.mark.django_db


# Service requests: filters and pages


def test_requests_come_newest_first(client):
    now = timezone.now()
    older = ReportFactory(created_at=now - timedelta(days=2))
    newest = ReportFactory(created_at=now)
    middle = ReportFactory(created_at=now - timedelta(days=1))
    assert ids(get_json(client, "requests")) == [str(newest.pk), str(middle.pk), str(older.pk)]


def test_requests_filter_by_service_codes(client):
    pothole = ReportFactory(service=ServiceFactory(service_code="pothole"))
    light = ReportFactory(service=ServiceFactory(service_code="streetlight"))
    ReportFactory(service=ServiceFactory(service_code="bus-stop"))
    assert ids(get_json(client, "requests", service_code="pothole")) == [str(pothole.pk)]
    assert set(ids(get_json(client, "requests", service_code="pothole,streetlight"))) == {
        str(pothole.pk),
        str(light.pk),
    }


def test_requests_filter_by_open311_status(client):
    opened = ReportFactory(status=ReportStatus.IN_PROGRESS)
    closed = ReportFactory(status=ReportStatus.DUPLICATE)
    assert ids(get_json(client, "requests", status="open")) == [str(opened.pk)]
    assert ids(get_json(client, "requests", status="closed")) == [str(closed.pk)]
    assert len(get_json(client, "requests", status="open,closed")) == 2


def test_a_bad_status_is_a_400_error_list(client):
    (error,) = get_json(client, "requests", expect=400, status="resolved")
    assert error["code"] == 400 and error["description"].startswith("status")


def test_requests_default_to_the_last_90_days(client):
    now = timezone.now()
    recent = ReportFactory(created_at=now - timedelta(days=89))
    old = ReportFactory(created_at=now - timedelta(days=91))
    assert ids(get_json(client, "requests")) == [str(recent.pk)]
    start = (now - timedelta(days=100)).isoformat()
    assert ids(get_json(client, "requests", start_date=start)) == [str(recent.pk), str(old.pk)]


def test_requests_filter_between_start_and_end_dates(client):
    now = timezone.now()
    ReportFactory(created_at=now - timedelta(days=200))
    inside = ReportFactory(created_at=now - timedelta(days=150))
    ReportFactory(created_at=now - timedelta(days=10))
    start = (now - timedelta(days=160)).isoformat()
    end = timezone.localtime(now - timedelta(days=140)).strftime("%Y-%m-%dT%H:%M:%S")  # no offset: city time
    assert ids(get_json(client, "requests", start_date=start, end_date=end)) == [str(inside.pk)]


def test_an_offset_whose_plus_was_not_url_encoded_still_reads_as_plus(client):
    report = ReportFactory(created_at=timezone.now() - timedelta(hours=1))
    start = timezone.localtime(timezone.now() - timedelta(hours=2)).isoformat(timespec="seconds")
    response = client.get(BASE + f"requests.json?start_date={start}")  # "+07:00" arrives as " 07:00"
    assert ids(response.json()) == [str(report.pk)]


@pytest.mark.parametrize(
    "params",
    [
        {"start_date": "yesterday"},
        {"end_date": "2026-13-45T00:00:00Z"},
        {"start_date": "0001-01-01T00:00:00+14:00"},
        {"start_date": "2026-11-02T00:00:00Z", "end_date": "2026-11-01T00:00:00Z"},
    ],
)
def test_a_bad_date_is_a_400_error_list(client, params):
    (error,) = get_json(client, "requests", expect=400, **params)
    assert error["code"] == 400
    assert get_xml(client, "requests", expect=400, **params).findtext("error/code") == "400"


def test_service_request_id_overrides_the_other_filters(client):
    old_closed = ReportFactory(
        created_at=timezone.now() - timedelta(days=400),
        status=ReportStatus.CLOSED,
        service=ServiceFactory(service_code="streetlight"),
    )
    other = ReportFactory()
    found = get_json(
        client, "requests", service_request_id=f"{old_closed.pk}, {other.pk},junk", status="open", service_code="x"
    )
    assert ids(found) == [str(other.pk), str(old_closed.pk)]


def test_requests_come_in_pages(client):
    now = timezone.now()
    reports = [ReportFactory(created_at=now - timedelta(minutes=minute)) for minute in range(5)]
    expected = [str(report.pk) for report in reports]
    assert ids(get_json(client, "requests", page_size="2")) == expected[:2]
    assert ids(get_json(client, "requests", page="2", page_size="2")) == expected[2:4]
    assert ids(get_json(client, "requests", page="3", page_size="2")) == expected[4:]
    assert ids(get_json(client, "requests", page="4", page_size="2")) == []


@pytest.mark.parametrize(
    "params",
    [{"page": "0"}, {"page": "two"}, {"page_size": "-1"}, {"page": "1e999"}, {"page_size": "0"}, {"page_size": "1001"}],
)
def test_a_bad_page_is_a_400_error_list(client, params):
    assert get_json(client, "requests", expect=400, **params)[0]["code"] == 400


def test_a_page_size_beyond_1000_is_refused_with_the_range(client):
    assert get_json(client, "requests", expect=400, page_size="5000") == [
        {"code": 400, "description": "page_size: give a whole number from 1 to 1000."}
    ]
    assert get_xml(client, "requests", expect=400, page_size="5000").findtext("error/code") == "400"


def test_200_requests_come_by_default_and_up_to_1000_on_request(client, monkeypatch):
    assert (open311.DEFAULT_PAGE_SIZE, open311.MAX_PAGE_SIZE) == (200, 1000)
    monkeypatch.setattr(open311, "DEFAULT_PAGE_SIZE", 2)
    monkeypatch.setattr(open311, "MAX_PAGE_SIZE", 4)
    now = timezone.now()
    expected = [str(ReportFactory(created_at=now - timedelta(minutes=minute)).pk) for minute in range(5)]
    assert ids(get_json(client, "requests")) == expected[:2]
    assert ids(get_json(client, "requests", page="2")) == expected[2:4]
    assert ids(get_json(client, "requests", page_size="4")) == expected[:4]
    get_json(client, "requests", expect=400, page_size="5")


@pytest.mark.parametrize("page_size", ["1", "5", "30", "1000"])
def test_the_request_list_costs_one_query_whatever_its_length(client, media, django_assert_num_queries, page_size):
    services = ServiceFactory.create_batch(3)
    for number in range(30):
        report = ReportFactory(service=services[number % 3])
        if number % 2:
            add_photo(report)
    expected = min(int(page_size), 30)
    with django_assert_num_queries(1):
        documents = get_json(client, "requests", page_size=page_size)
    assert len(documents) == expected
    assert sum(bool(document["media_url"]) for document in documents) in (expected // 2, (expected + 1) // 2)
    with django_assert_num_queries(1):
        assert len(get_xml(client, "requests", page_size=page_size).findall("request")) == expected


def test_an_empty_request_list_costs_one_query(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert get_json(client, "requests") == []


def test_the_service_list_costs_one_query(client, django_assert_max_num_queries):
    for service in ServiceFactory.create_batch(5):
        AttributeFactory(service=service)
    with django_assert_max_num_queries(1):
        assert len(get_json(client, "services")) == 5
