"""Open311 GeoReport v2, reading requests: the fields each request carries, and which requests are public."""

from __future__ import annotations

import pytest
from django.utils import timezone

from moderation.models import ModerationState
from services.models import ReportPhoto, ReportStatus, Service
from services.tests.factories import CITY_LAT, CITY_LON, ReportFactory, ServiceFactory
from services.tests.open311_client import REQUEST_FIELDS, add_photo, get_json, get_xml, ids

pytestmark = pytest.mark.django_db


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
    assert document["service_notice"] is None and document["address_id"] is None and document["zipcode"] is None


def test_absent_values_are_null_in_json_and_empty_elements_in_xml(client):
    service = ServiceFactory(agency_responsible="")
    ReportFactory(service=service, description="", address="", status_notes="", expected_at=None)
    (document,) = get_json(client, "requests")
    absent = [
        "status_notes",
        "description",
        "agency_responsible",
        "service_notice",
        "expected_datetime",
        "address",
        "address_id",
        "zipcode",
        "media_url",
    ]
    assert [name for name, value in document.items() if value is None] == absent
    assert all(document[name] for name in REQUEST_FIELDS if name not in [*absent, "lat", "long"])
    element = get_xml(client, "requests").find("request")
    assert [child.tag for child in element if child.text is None and len(child) == 0] == absent


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
    assert document["address"] is None


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
