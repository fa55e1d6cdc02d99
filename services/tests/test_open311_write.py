"""Open311 GeoReport v2, submitting: API keys, POST requests, errors and private contact details."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from urllib.parse import urlencode

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from services.catalogue import catalogue_load
from services.models import Open311Client, Report, ReportContact, Service, hash_api_key
from services.open311 import authenticate_client
from services.tests.factories import CITY_LAT, CITY_LON

pytestmark = pytest.mark.django_db

BASE = "/open311/v2/"
API_KEY = "test-key-0123456789abcdefghijklmnopqrstuvwxyz"
CONTACT = {
    "email": "rahasia.warga@example.org",
    "first_name": "Siti",
    "last_name": "Nurhaliza-Private",
    "phone": "+62 812 3456 7890",
}


@pytest.fixture
def api_client(db):
    return Open311Client.objects.create(name="Lapor App", key_prefix=API_KEY[:8], key_hash=hash_api_key(API_KEY))


@pytest.fixture
def catalogue(db):
    return {service.service_code: service for service in catalogue_load()}


def post(client, fmt="json", fields=(), **params):
    """POST form-encoded, as Open311 clients do; ``fields`` carries repeated keys."""
    body = urlencode([*params.items(), *fields], doseq=True)
    return client.post(BASE + f"requests.{fmt}", body, content_type="application/x-www-form-urlencoded")


def pothole(**params):
    return {"api_key": API_KEY, "service_code": "pothole", "lat": str(CITY_LAT), "long": str(CITY_LON), **params}


def error_descriptions(response, status):
    assert response.status_code == status, response.content
    errors = response.json()
    assert all(error["code"] == status for error in errors)
    return [error["description"] for error in errors]


# Round trips


def test_a_request_posted_in_json_comes_back_from_get(client, api_client, catalogue):
    response = post(
        client,
        description="A hole near the school",
        fields=[("attribute[size]", "large"), ("device_id", "abc"), ("account_id", "42")],
        **pothole(),
    )
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json; charset=utf-8"
    (created,) = response.json()
    assert set(created) == {"service_request_id", "service_notice", "account_id"}
    assert created["service_notice"] is None and created["account_id"] is None  # published at once: no notice
    report = Report.objects.get(pk=int(created["service_request_id"]))
    assert report.source == Report.Source.OPEN311
    assert report.open311_client == api_client
    assert report.reporter is None
    assert report.attributes == {"size": "large"}
    (document,) = client.get(BASE + f"requests/{report.pk}.json").json()
    assert document["description"] == "A hole near the school"
    assert document["service_code"] == "pothole"
    assert document["status"] == "open"


def test_a_request_posted_in_xml_with_several_choices_comes_back_from_get(client, api_client, catalogue):
    response = post(
        client,
        "xml",
        fields=[("attribute[waste_type][]", "household"), ("attribute[waste_type][]", "hazardous")],
        **pothole(service_code="illegal-dumping"),
    )
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    root = ET.fromstring(response.content)
    assert root.tag == "service_requests"
    request_id = root.findtext("request/service_request_id")
    assert root.find("request/service_notice") is not None and root.find("request/account_id") is not None
    report = Report.objects.get(pk=int(request_id))
    assert report.attributes == {"waste_type": ["household", "hazardous"]}
    fetched = ET.fromstring(client.get(BASE + f"requests/{request_id}.xml").content)
    assert fetched.findtext("request/service_code") == "illegal-dumping"


def test_a_request_may_give_an_address_instead_of_a_point(client, api_client, catalogue):
    response = post(client, api_key=API_KEY, service_code="streetlight", address_string="Jl. Braga 10")
    assert response.status_code == 200, response.content
    report = Report.objects.get()
    assert report.address == "Jl. Braga 10" and report.lat is None


def test_an_empty_answer_counts_as_no_answer(client, api_client, catalogue):
    response = post(client, fields=[("attribute[size][]", ""), ("attribute[other]", "ignored")], **pothole())
    assert response.status_code == 200, response.content
    assert Report.objects.get().attributes == {}


def test_a_pre_moderated_request_says_so_and_stays_unpublished(client, api_client, catalogue):
    Service.objects.filter(service_code="pothole").update(pre_moderated=True)
    (created,) = post(client, **pothole()).json()
    assert created["service_notice"]
    assert client.get(BASE + f"requests/{created['service_request_id']}.json").status_code == 404


def test_a_media_url_is_accepted_but_never_fetched(client, api_client, catalogue):
    response = post(client, **pothole(media_url="http://203.0.113.9/photo.jpg"))
    assert response.status_code == 200, response.content
    report = Report.objects.get()
    assert not report.photos.exists()


def test_posting_needs_no_csrf_token(api_client, catalogue):
    response = post(Client(enforce_csrf_checks=True), **pothole())
    assert response.status_code == 200, response.content


# API keys


def test_a_request_without_an_api_key_is_refused_with_403(client, catalogue):
    params = pothole()
    del params["api_key"]
    assert error_descriptions(post(client, **params), 403)
    root = ET.fromstring(post(client, "xml", **params).content)
    assert root.tag == "errors" and root.findtext("error/code") == "403"
    assert not Report.objects.exists()


def test_a_request_with_an_unknown_api_key_is_refused_with_403(client, api_client, catalogue):
    assert error_descriptions(post(client, **pothole(api_key="wrong-key")), 403)
    assert not Report.objects.exists()


def test_a_request_with_a_deactivated_api_key_is_refused_with_403(client, api_client, catalogue):
    api_client.active = False
    api_client.save(update_fields=["active"])
    assert error_descriptions(post(client, **pothole()), 403)
    assert authenticate_client(API_KEY) is None


def test_authenticate_client_finds_the_active_client_by_its_key(api_client):
    assert authenticate_client(API_KEY) == api_client
    assert authenticate_client("") is None
    assert authenticate_client(None) is None


def test_the_created_key_works_as_an_api_key(client, catalogue):
    out = io.StringIO()
    call_command("create_open311_key", "Lapor App", stdout=out)
    lines = out.getvalue().splitlines()
    key = lines[1].strip()
    assert "cannot be shown again" in out.getvalue()
    created = Open311Client.objects.get()
    assert created.name == "Lapor App" and created.key_prefix == key[:8]
    assert created.key_hash == hash_api_key(key) and key not in created.key_hash
    assert post(client, **pothole(api_key=key)).status_code == 200


def test_the_key_command_needs_a_name(db):
    with pytest.raises(CommandError):
        call_command("create_open311_key", "  ")
    assert not Open311Client.objects.exists()


# Validation errors


def test_an_unknown_service_is_a_400(client, api_client, catalogue):
    descriptions = error_descriptions(post(client, **pothole(service_code="no-such-thing")), 400)
    assert descriptions == ["service_code: Unknown or inactive service."]


def test_a_missing_location_is_a_400(client, api_client, catalogue):
    params = pothole()
    del params["lat"], params["long"]
    assert error_descriptions(post(client, **params), 400)[0].startswith("location: ")


def test_a_point_outside_the_city_is_a_400(client, api_client, catalogue):
    descriptions = error_descriptions(post(client, **pothole(lat="-6.2", long="106.8")), 400)
    assert descriptions[0].startswith("location: ")


@pytest.mark.parametrize(
    ("lat", "long", "parameter"),
    [("nan", str(CITY_LON), "lat"), ("1e999", str(CITY_LON), "lat"), (str(CITY_LAT), "east", "long")],
)
def test_a_coordinate_that_is_not_a_finite_number_is_a_400(client, api_client, catalogue, lat, long, parameter):
    descriptions = error_descriptions(post(client, **pothole(lat=lat, long=long)), 400)
    assert descriptions[0].startswith(f"{parameter}: ")
    assert not Report.objects.exists()


def test_a_missing_required_attribute_is_a_400(client, api_client, catalogue):
    params = pothole(service_code="abandoned-vehicle")
    descriptions = error_descriptions(post(client, fields=[("attribute[operator]", "scoot-b")], **params), 400)
    assert descriptions == ["attribute[blocking_footpath]: This answer is required."]


def test_a_value_not_in_the_list_is_a_400(client, api_client, catalogue):
    response = post(client, fields=[("attribute[size]", "enormous")], **pothole())
    assert error_descriptions(response, 400)[0].startswith("attribute[size]: ")
    response = post(
        client,
        fields=[("attribute[waste_type][]", "household"), ("attribute[waste_type][]", "gold")],
        **pothole(service_code="illegal-dumping"),
    )
    assert error_descriptions(response, 400)[0].startswith("attribute[waste_type]: ")


def test_every_problem_is_listed_in_xml(client, api_client, catalogue):
    response = post(client, "xml", **pothole(service_code="nothing", lat="nan"))
    assert response.status_code == 400
    root = ET.fromstring(response.content)
    assert [error.findtext("code") for error in root.findall("error")] == ["400", "400"]


def test_bad_contact_details_are_a_400(client, api_client, catalogue):
    assert error_descriptions(post(client, **pothole(email="not-an-email")), 400)[0].startswith("email: ")
    assert error_descriptions(post(client, **pothole(phone="1" * 41)), 400)[0].startswith("phone: ")
    assert not Report.objects.exists()


def test_a_nul_character_is_a_400(client, api_client, catalogue):
    assert error_descriptions(post(client, **pothole(description="bad\x00byte")), 400)


@pytest.mark.parametrize("field", ["description", "address_string", "first_name", "phone"])
def test_a_nul_character_in_what_is_stored_is_one_answer_for_the_request(client, api_client, catalogue, field):
    response = post(client, **pothole(service_code="no-such-service", **{field: "bad\x00byte"}))

    assert error_descriptions(response, 400) == ["Remove the NUL characters from the request."]
    assert not Report.objects.exists()


def test_contact_details_are_answered_before_the_other_problems(client, api_client, catalogue):
    response = post(client, **pothole(service_code="no-such-service", email="not-an-email", phone="call me"))

    assert error_descriptions(response, 400) == [
        "email: enter a valid email address.",
        "phone: enter a phone number of digits, spaces and + ( ) . -, such as +62 812 3456 7890.",
    ]


def test_a_wrong_jurisdiction_is_a_404_when_one_is_configured(client, api_client, catalogue, settings):
    settings.OPEN311_JURISDICTION_ID = "bandung.go.id"
    assert error_descriptions(post(client, **pothole(jurisdiction_id="jakarta.go.id")), 404)
    assert post(client, **pothole(jurisdiction_id="bandung.go.id")).status_code == 200


# Privacy


def test_contact_details_are_stored_privately_and_never_returned(client, api_client, catalogue):
    response = post(client, **pothole(**CONTACT))
    assert response.status_code == 200, response.content
    (created,) = response.json()
    report_id = created["service_request_id"]
    contact = ReportContact.objects.get(report_id=report_id)
    assert (contact.email, contact.first_name, contact.last_name, contact.phone) == tuple(CONTACT.values())
    paths = [
        f"requests/{report_id}",
        "requests",
        f"tokens/{report_id}",
        "services",
        "services/pothole",
        "discovery",
    ]
    for path in paths:
        for fmt in ("json", "xml"):
            body = client.get(BASE + f"{path}.{fmt}", {"service_request_id": report_id} if path == "requests" else {})
            assert body.status_code == 200
            for value in (*CONTACT.values(), "rahasia", "Nurhaliza", "3456"):
                assert value.encode() not in body.content, (path, fmt, value)
    assert response.content.find(b"rahasia") == -1
