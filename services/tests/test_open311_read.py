"""Open311 GeoReport v2, reading: discovery, services, definitions, requests and tokens."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.utils import timezone

from moderation.models import ModerationState
from services import open311
from services.catalogue import catalogue_load
from services.models import ReportPhoto, ReportStatus, Service
from services.tests.factories import CITY_LAT, CITY_LON, AttributeFactory, ReportFactory, ServiceFactory, image_upload

pytestmark = pytest.mark.django_db

BASE = "/open311/v2/"
REQUEST_FIELDS = [
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
]


def get_json(client, path, expect=200, **params):
    response = client.get(BASE + path + ".json", params)
    assert response.status_code == expect, response.content
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return response.json()


def get_xml(client, path, expect=200, **params):
    response = client.get(BASE + path + ".xml", params)
    assert response.status_code == expect, response.content
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    return ET.fromstring(response.content)


def ids(documents):
    return [document["service_request_id"] for document in documents]


def add_photo(report, *, state=ReportPhoto.State.READY, moderation_state=ModerationState.PUBLISHED, position=0):
    photo = ReportPhoto(report=report, state=state, moderation_state=moderation_state, position=position)
    photo.image.save("photo.jpg", image_upload(), save=False)
    photo.save()
    return photo


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.SITE_URL = "https://city.example"


# Discovery


def test_discovery_lists_the_georeport_v2_endpoint_in_json(client, settings):
    settings.SITE_URL = "https://city.example"
    document = get_json(client, "discovery")
    assert {"changeset", "contact", "key_service", "endpoints"} <= document.keys()
    (endpoint,) = document["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == "https://city.example/open311/v2/"
    assert endpoint["formats"] == ["text/xml", "application/json"]
    assert endpoint["type"] == "production"
    assert endpoint["changeset"].endswith("+07:00")


def test_discovery_lists_the_same_endpoint_in_xml(client):
    root = get_xml(client, "discovery")
    assert root.tag == "discovery"
    endpoint = root.find("endpoints/endpoint")
    assert endpoint.findtext("specification") == "http://wiki.open311.org/GeoReport_v2"
    assert [element.text for element in endpoint.findall("formats/format")] == ["text/xml", "application/json"]
    assert root.findtext("contact") and root.findtext("key_service")


# Service list and definitions


def test_the_service_list_shows_active_services_with_their_metadata_flag_in_json(client):
    catalogue_load()
    Service.objects.filter(service_code="bus-stop").update(active=False)
    services = {service["service_code"]: service for service in get_json(client, "services")}
    assert "bus-stop" not in services
    pothole = services["pothole"]
    assert pothole == {
        "service_code": "pothole",
        "service_name": "Pothole",
        "description": "A hole or broken surface in a road.",
        "metadata": True,
        "type": "realtime",
        "keywords": "road, hole, asphalt, jalan, lubang",
        "group": "Roads",
    }
    assert services["blocked-footpath"]["metadata"] is False


def test_the_service_list_writes_metadata_as_true_or_false_in_xml(client):
    catalogue_load()
    root = get_xml(client, "services")
    assert root.tag == "services"
    by_code = {service.findtext("service_code"): service for service in root.findall("service")}
    assert by_code["pothole"].findtext("metadata") == "true"
    assert by_code["blocked-footpath"].findtext("metadata") == "false"
    assert by_code["pothole"].findtext("service_name") == "Pothole"


def test_the_service_list_speaks_indonesian_when_the_client_asks_for_it(client):
    catalogue_load()
    response = client.get(BASE + "services.json", headers={"accept-language": "id"})
    names = {service["service_code"]: service["service_name"] for service in response.json()}
    assert names["pothole"] == "Jalan berlubang"


def test_a_service_definition_lists_the_attributes_and_their_values_in_json(client):
    catalogue_load()
    document = get_json(client, "services/abandoned-vehicle")
    assert document["service_code"] == "abandoned-vehicle"
    operator, vehicle_code, blocking = document["attributes"]
    assert operator["code"] == "operator"
    assert operator["datatype"] == "singlevaluelist"
    assert operator["required"] is True and operator["variable"] is True
    assert operator["order"] == 1 and vehicle_code["order"] == 2 and blocking["order"] == 3
    assert operator["description"] == "Which operator's vehicle is it?"
    assert operator["values"][0] == {"key": "bikeshare-a", "name": "Kring Bike"}
    assert vehicle_code["values"] == []
    assert set(operator) == {
        "variable",
        "code",
        "datatype",
        "required",
        "datatype_description",
        "order",
        "description",
        "values",
    }


def test_a_service_definition_nests_attributes_and_values_in_xml(client):
    catalogue_load()
    root = get_xml(client, "services/illegal-dumping")
    assert root.tag == "service_definition"
    assert root.findtext("service_code") == "illegal-dumping"
    (attribute,) = root.findall("attributes/attribute")
    assert attribute.findtext("datatype") == "multivaluelist"
    assert attribute.findtext("required") == "false"
    assert [value.findtext("key") for value in attribute.findall("values/value")] == [
        "household",
        "construction",
        "hazardous",
    ]


def test_an_unknown_or_inactive_service_definition_is_a_404_error_list(client):
    ServiceFactory(service_code="retired", active=False)
    assert get_json(client, "services/retired", expect=404)[0]["code"] == 404
    root = get_xml(client, "services/never-existed", expect=404)
    assert root.tag == "errors"
    assert root.findtext("error/code") == "404"
    assert root.findtext("error/description")


# Service requests: fields


def test_a_request_carries_every_field_of_the_spec_in_json(client, media):
    service = ServiceFactory(service_code="pothole", name="Pothole", agency_responsible="Dinas PU")
    report = ReportFactory(service=service, address="Jl. Asia Afrika 1", status_notes="Crew sent")
    report.set_deadline()
    report.save()
    add_photo(report)
    (document,) = get_json(client, "requests")
    assert list(document) == REQUEST_FIELDS
    assert document["service_request_id"] == str(report.pk)
    assert document["status"] == "open"
    assert document["status_notes"] == "Crew sent"
    assert document["service_name"] == "Pothole"
    assert document["service_code"] == "pothole"
    assert document["agency_responsible"] == "Dinas PU"
    assert document["address"] == "Jl. Asia Afrika 1"
    assert document["lat"] == CITY_LAT and document["long"] == CITY_LON
    assert document["requested_datetime"].endswith("+07:00")
    assert document["requested_datetime"] == timezone.localtime(report.created_at).isoformat(timespec="seconds")
    assert document["expected_datetime"] == timezone.localtime(report.expected_at).isoformat(timespec="seconds")
    assert document["media_url"].startswith("https://city.example/photos/report/")
    assert document["service_notice"] == "" and document["address_id"] == "" and document["zipcode"] == ""


def test_a_request_carries_every_field_of_the_spec_in_xml(client):
    report = ReportFactory(description="Deep & wide <hole>")
    root = get_xml(client, "requests")
    assert root.tag == "service_requests"
    (element,) = root.findall("request")
    assert [child.tag for child in element] == REQUEST_FIELDS
    assert element.findtext("service_request_id") == str(report.pk)
    assert element.findtext("description") == "Deep & wide <hole>"
    assert float(element.findtext("lat")) == CITY_LAT
    assert element.findtext("media_url") == ""
    assert element.findtext("expected_datetime") == ""


def test_a_request_without_a_point_has_empty_coordinates(client):
    ReportFactory(lat=None, lon=None, address="Jl. Braga 10")
    (document,) = get_json(client, "requests")
    assert document["lat"] is None and document["long"] is None
    assert document["address"] == "Jl. Braga 10"
    element = get_xml(client, "requests").find("request")
    assert element.findtext("lat") == "" and element.findtext("long") == ""


def test_a_sensitive_service_publishes_a_coarse_point_and_no_address(client):
    service = ServiceFactory(location_precision=Service.Precision.COARSE)
    ReportFactory(service=service, lat=-6.914744, lon=107.609812, address="Jl. Rahasia 7")
    (document,) = get_json(client, "requests")
    assert document["lat"] == -6.915 and document["long"] == 107.61
    assert document["address"] == ""


def test_the_media_url_is_the_first_ready_visible_photo(client, media):
    report = ReportFactory()
    add_photo(report, position=0, state=ReportPhoto.State.PROCESSING)
    add_photo(report, position=1, moderation_state=ModerationState.HIDDEN)
    shown = add_photo(report, position=2)
    add_photo(report, position=3)
    (document,) = get_json(client, "requests")
    assert document["media_url"] == f"https://city.example{shown.image_url}"


def test_statuses_are_mapped_to_open_and_closed(client):
    for status in ReportStatus.values:
        ReportFactory(status=status, description=status)
    mapped = {document["description"]: document["status"] for document in get_json(client, "requests")}
    assert mapped == {
        "open": "open",
        "acknowledged": "open",
        "in_progress": "open",
        "resolved": "closed",
        "closed": "closed",
        "duplicate": "closed",
        "rejected": "closed",
    }


def test_control_characters_in_user_text_do_not_break_the_xml(client):
    ReportFactory(description="bell\x07 and tab\tkept")
    root = get_xml(client, "requests")
    assert root.findtext("request/description") == "bell and tab\tkept"


# Service requests: what is public


def test_hidden_and_pending_reports_never_appear(client):
    shown = ReportFactory()
    hidden = ReportFactory(moderation_state="hidden")
    pending = ReportFactory(moderation_state="pending")
    assert ids(get_json(client, "requests")) == [str(shown.pk)]
    assert ids(get_json(client, "requests", service_request_id=f"{hidden.pk},{pending.pk}")) == []
    for report in (hidden, pending):
        get_json(client, f"requests/{report.pk}", expect=404)
        get_json(client, f"tokens/{report.pk}", expect=404)
        assert get_xml(client, "requests").find("request/service_request_id").text == str(shown.pk)


def test_one_request_comes_as_a_one_element_list(client):
    report = ReportFactory()
    assert ids(get_json(client, f"requests/{report.pk}")) == [str(report.pk)]
    root = get_xml(client, f"requests/{report.pk}")
    assert root.tag == "service_requests" and len(root.findall("request")) == 1


def test_an_unknown_request_is_a_404_error_list(client):
    assert get_json(client, "requests/999999", expect=404) == [
        {"code": 404, "description": "Unknown service_request_id."}
    ]
    get_json(client, "requests/not-a-number", expect=404)
    get_json(client, "requests/99999999999999999999999999", expect=404)


def test_a_token_gives_the_request_id(client):
    report = ReportFactory()
    assert get_json(client, f"tokens/{report.pk}") == [{"service_request_id": str(report.pk), "token": str(report.pk)}]
    assert get_xml(client, f"tokens/{report.pk}").findtext("request/token") == str(report.pk)
    get_json(client, "tokens/424242", expect=404)


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


@pytest.mark.parametrize("params", [{"page": "0"}, {"page": "two"}, {"page_size": "-1"}, {"page": "1e999"}])
def test_a_bad_page_is_a_400_error_list(client, params):
    assert get_json(client, "requests", expect=400, **params)[0]["code"] == 400


def test_at_most_1000_requests_come_at_once(client, monkeypatch):
    assert open311.MAX_RESULTS == 1000
    monkeypatch.setattr(open311, "MAX_RESULTS", 2)
    ReportFactory.create_batch(3)
    assert len(get_json(client, "requests")) == 2
    assert len(get_json(client, "requests", page_size="1000")) == 2


def test_the_request_list_costs_the_same_queries_whatever_its_length(client, media, django_assert_max_num_queries):
    services = ServiceFactory.create_batch(3)
    for number in range(30):
        add_photo(ReportFactory(service=services[number % 3]))
    with django_assert_max_num_queries(2):
        documents = get_json(client, "requests")
    assert len(documents) == 30 and all(document["media_url"] for document in documents)
    with django_assert_max_num_queries(2):
        get_xml(client, "requests")


def test_the_service_list_costs_one_query(client, django_assert_max_num_queries):
    for service in ServiceFactory.create_batch(5):
        AttributeFactory(service=service)
    with django_assert_max_num_queries(1):
        assert len(get_json(client, "services")) == 5


# Jurisdiction, formats and methods


def test_a_different_jurisdiction_is_a_404_when_one_is_configured(client, settings):
    settings.OPEN311_JURISDICTION_ID = "bandung.go.id"
    report = ReportFactory()
    get_json(client, "services", jurisdiction_id="bandung.go.id")
    get_json(client, "requests")
    (error,) = get_json(client, "requests", expect=404, jurisdiction_id="jakarta.go.id")
    assert error["code"] == 404
    get_xml(client, f"requests/{report.pk}", expect=404, jurisdiction_id="jakarta.go.id")


def test_any_jurisdiction_is_accepted_when_none_is_configured(client, settings):
    settings.OPEN311_JURISDICTION_ID = ""
    get_json(client, "services", jurisdiction_id="anything")


def test_an_unknown_format_is_a_404_error_list_in_xml(client):
    response = client.get(BASE + "services.csv")
    assert response.status_code == 404
    assert ET.fromstring(response.content).findtext("error/code") == "404"


def test_a_wrong_method_is_a_405(client):
    response = client.put(BASE + "services.json")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert client.delete(BASE + "requests.xml").status_code == 405
