"""Bad input anywhere answers a 4xx with a clear message in the client's format, never a 500.

Each case is a request an attacker sent while the site answered 500 with a traceback.
"""

from __future__ import annotations

import base64
import json
from urllib.parse import quote, urlencode

import pytest
from django.test import Client

from proposals.models import Proposal
from proposals.tests.factories import CommentFactory, ProposalFactory
from services.models import Open311Client, Report, hash_api_key
from services.tests.factories import CITY_LAT, CITY_LON, AttributeFactory, ReportFactory, ServiceFactory

pytestmark = pytest.mark.django_db

API_KEY = "bad-input-key-0123456789abcdefghijklmnopqrstuvwxyz"


@pytest.fixture
def content(db):
    service = ServiceFactory(service_code="pothole")
    AttributeFactory(service=service, code="note", datatype="string")
    report = ReportFactory(service=service)
    proposal = ProposalFactory()
    CommentFactory(proposal=proposal)
    Open311Client.objects.create(name="App", key_prefix=API_KEY[:8], key_hash=hash_api_key(API_KEY))
    return {"report": report, "proposal": proposal}


@pytest.fixture
def signed_in(client, citizen):
    client.force_login(citizen)
    return client


def assert_json_error(response, status: int) -> None:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].split(";")[0] in ("application/json", "application/geo+json")
    assert json.loads(response.content)


def assert_xml_error(response, status: int) -> None:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("text/xml")
    assert b"<errors><error><code>%d</code>" % status in response.content


NUL_READS = [
    "/api/v1/reports/?service_code=%00",
    "/api/v1/reports/?q=%00",
    "/api/v1/reports.geojson?service_code=%00",
    "/api/v1/proposals/?topic=%00",
    "/api/v1/proposals/?q=%00",
    "/api/v1/reports/%00/",
    "/api/v1/proposals/%00/",
    "/open311/v2/requests.json?service_code=%00",
    "/open311/v2/services/%00.json",
    "/open311/v2/requests/%00.json",
]


@pytest.mark.parametrize("url", NUL_READS)
def test_a_nul_character_in_a_read_is_a_400_json_error(client, content, url):
    assert_json_error(client.get(url), 400)


@pytest.mark.parametrize("url", ["/open311/v2/requests.xml?service_code=%00", "/open311/v2/services/%00.xml"])
def test_a_nul_character_in_an_open311_xml_read_is_a_400_xml_error(client, content, url):
    assert_xml_error(client.get(url), 400)


@pytest.mark.parametrize("url", ["/reports/?service=%00", "/data/latest/%00.csv"])
def test_a_nul_character_in_a_page_address_is_a_400_page(client, content, url):
    response = client.get(url)
    assert response.status_code == 400
    assert b"Bad request" in response.content


OUT_OF_RANGE = "9999-12-31T23:59:59-23:59"


@pytest.mark.parametrize(
    "url",
    [
        f"/api/v1/reports/?since={quote(OUT_OF_RANGE)}",
        f"/api/v1/reports/?until={quote(OUT_OF_RANGE)}",
        f"/api/v1/reports.geojson?since={quote(OUT_OF_RANGE)}",
        "/api/v1/reports/?since=0001-01-01T00:00:00%2B23:59",
    ],
)
def test_a_moment_beyond_the_calendar_is_a_400_naming_the_parameter(client, content, url):
    response = client.get(url)
    assert_json_error(response, 400)
    assert {"since", "until"} & set(response.json())


def altered(position: str) -> str:
    return quote(base64.b64encode(urlencode({"p": position}).encode()).decode())


CURSOR_LISTS = [
    "/api/v1/reports/",
    "/api/v1/reports/{report}/comments/",
    "/api/v1/proposals/",
    "/api/v1/proposals/{proposal}/comments/",
]


@pytest.mark.parametrize("path", CURSOR_LISTS)
@pytest.mark.parametrize("cursor", ["garbage", altered("xxx"), altered(OUT_OF_RANGE), altered("\x00")])
def test_an_altered_cursor_is_a_404_as_documented(client, content, path, cursor):
    url = path.format(report=content["report"].pk, proposal=content["proposal"].pk) + "?cursor=" + cursor
    response = client.get(url)
    assert response.status_code in (400, 404), response.content[:300]
    if response.status_code == 404:
        assert response.json() == {"detail": "Invalid cursor"}


def write_endpoints(content) -> list[tuple[str, str]]:
    """Every endpoint that reads a JSON body (follow and support read none)."""
    report, proposal = content["report"], content["proposal"]
    return [
        ("post", "/api/v1/reports/"),
        ("post", f"/api/v1/reports/{report.pk}/comments/"),
        ("post", "/api/v1/proposals/"),
        ("patch", f"/api/v1/proposals/{proposal.pk}/"),
        ("post", f"/api/v1/proposals/{proposal.pk}/comments/"),
        ("post", "/api/v1/flags/"),
    ]


@pytest.mark.parametrize("index", range(6))
def test_json_nested_100000_deep_is_a_400_on_every_json_write(signed_in, content, index):
    method, url = write_endpoints(content)[index]
    response = getattr(signed_in, method)(url, "[" * 100_000 + "]" * 100_000, content_type="application/json")
    assert_json_error(response, 400)
    assert "nested too deeply" in response.json()["detail"]


def test_json_nested_just_past_the_limit_is_refused_and_within_it_is_read(signed_in, content):
    deep = {"note": "x"}
    for _ in range(40):
        deep = {"a": deep}
    response = signed_in.post("/api/v1/reports/", {"attributes": deep}, content_type="application/json")
    assert_json_error(response, 400)
    assert "nested too deeply" in response.json()["detail"]


@pytest.mark.parametrize("index", range(6))
def test_an_oversized_json_body_is_a_413_json_error(signed_in, content, settings, index):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    method, url = write_endpoints(content)[index]
    response = getattr(signed_in, method)(url, {"body": "x" * 2000}, content_type="application/json")
    assert_json_error(response, 413)


def test_an_oversized_form_body_is_a_413_json_error(signed_in, content, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = urlencode({"service_code": "pothole", "description": "x" * 2000})
    response = signed_in.post("/api/v1/reports/", body, content_type="application/x-www-form-urlencoded")
    assert_json_error(response, 413)


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_an_oversized_open311_post_is_a_413_in_its_format(client, content, settings, fmt):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = urlencode({"api_key": API_KEY, "service_code": "pothole", "description": "x" * 2000})
    response = client.post(f"/open311/v2/requests.{fmt}", body, content_type="application/x-www-form-urlencoded")
    if fmt == "xml":
        assert_xml_error(response, 413)
    else:
        assert_json_error(response, 413)


def report_fields(**changes) -> dict:
    return {"service_code": "pothole", "lat": str(CITY_LAT), "lon": str(CITY_LON), "description": "A hole", **changes}


def test_invalid_utf8_in_a_json_body_is_a_400(signed_in, content):
    body = b'{"service_code": "pothole", "address": "Jl. \xff\xfe Braga"}'
    assert_json_error(signed_in.post("/api/v1/reports/", body, content_type="application/json"), 400)
    assert not Report.objects.filter(address__contains="Braga").exists()


def test_invalid_utf8_in_a_form_body_is_a_400(signed_in, content):
    body = b"service_code=pothole&address=Jl.+%FF%FE+Braga&lat=-6.9147&lon=107.6098"
    assert_json_error(signed_in.post("/api/v1/reports/", body, content_type="application/x-www-form-urlencoded"), 400)
    assert not Report.objects.filter(address__contains="Braga").exists()


def test_invalid_utf8_in_an_open311_post_is_a_400_and_nothing_is_stored(client, content):
    body = b"api_key=" + API_KEY.encode() + b"&service_code=pothole&address_string=Jl.+%FF%FE+Braga"
    response = client.post("/open311/v2/requests.json", body, content_type="application/x-www-form-urlencoded")
    assert_json_error(response, 400)
    assert "UTF-8" in response.content.decode()
    assert not Report.objects.filter(address__contains="Braga").exists()


BAD_REPORTS = {
    "an object for a text attribute": ({"attributes": {"note": {"evil": 1}}}, "attributes"),
    "a list for a text attribute": ({"attributes": {"note": ["a", "b"]}}, "attributes"),
    "an address over 255 characters": ({"address": "Jl. " + "a" * 260}, "address"),
    "an escape code in the address": ({"address": "Jl. Braga\x1b[31m"}, "address"),
    "a lone surrogate in the description": ({"description": "bad \ud800 text"}, "description"),
    "a bell in the description": ({"description": "ring\x07"}, "description"),
}


@pytest.mark.parametrize("change, field", BAD_REPORTS.values(), ids=BAD_REPORTS.keys())
def test_a_bad_report_is_a_400_naming_the_field_and_nothing_is_stored(signed_in, content, change, field):
    before = Report.objects.count()
    response = signed_in.post("/api/v1/reports/", report_fields(**change), content_type="application/json")
    assert_json_error(response, 400)
    assert field in response.json()
    assert Report.objects.count() == before


def test_line_breaks_and_tabs_stay_allowed_in_a_description(signed_in, content):
    response = signed_in.post(
        "/api/v1/reports/", report_fields(description="Line one\n\tLine two"), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    assert Report.objects.get(pk=response.json()["id"]).description == "Line one\n\tLine two"


@pytest.mark.parametrize("title", ["Park\x00", "Park\x1b[2J", "Park\nbench", "Park\x9b[2J"])
def test_control_characters_in_a_proposal_title_are_refused_with_a_clear_message(signed_in, content, title):
    response = signed_in.post(
        "/api/v1/proposals/", {"title": title, "summary": "More benches"}, content_type="application/json"
    )
    assert_json_error(response, 400)
    assert "title" in response.json()


OPEN311_REFUSALS = {
    "a phone of letters": ({"phone": "call me maybe"}, "phone"),
    "a phone too short": ({"phone": "12"}, "phone"),
    "an address over 255 characters": ({"address_string": "a" * 300}, "address_string"),
    "a control character in the description": ({"description": "x\x1by"}, "description"),
}


@pytest.mark.parametrize("change, word", OPEN311_REFUSALS.values(), ids=OPEN311_REFUSALS.keys())
def test_open311_refuses_bad_fields_with_a_400_naming_them(client, content, change, word):
    fields = {"api_key": API_KEY, "service_code": "pothole", "lat": CITY_LAT, "long": CITY_LON, **change}
    body = urlencode(fields)
    response = client.post("/open311/v2/requests.json", body, content_type="application/x-www-form-urlencoded")
    assert_json_error(response, 400)
    assert any(error["description"].startswith(word) for error in response.json())


@pytest.mark.parametrize("phone", ["+62 812 3456 7890", "(022) 123-4567", "0812.3456.7890"])
def test_open311_takes_phone_numbers_as_people_write_them(client, content, phone):
    fields = {"api_key": API_KEY, "service_code": "pothole", "lat": CITY_LAT, "long": CITY_LON, "phone": phone}
    body = urlencode(fields)
    response = client.post("/open311/v2/requests.json", body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200, response.content


def test_anonymous_clients_get_json_errors_not_pages(content):
    response = Client().get("/api/v1/reports/?since=tomorrow")
    assert_json_error(response, 400)


def test_an_unknown_open311_address_answers_the_open311_error_list(client, db):
    assert_xml_error(client.get("/open311/v2/nothing/here.xml"), 404)
    assert_json_error(client.get("/open311/v2/nothing/here.json"), 404)


def test_an_unknown_page_is_still_a_page(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"title": "Park\x1b[2J", "summary": "More benches"}, "single line"),
        ({"title": "Park", "summary": "More \ufffd benches"}, "UTF-8"),
    ],
)
def test_the_proposal_page_form_refuses_bad_text_with_a_form_error(signed_in, content, fields, message):
    before = Proposal.objects.count()
    response = signed_in.post("/proposals/new/", {**fields, "topic": "other"})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Proposal.objects.count() == before


def test_the_report_page_form_refuses_control_characters_in_the_address(signed_in, content):
    before = Report.objects.count()
    response = signed_in.post("/report/pothole/", {"address": "Jl. Braga\x07 12", "description": "A hole"})
    assert response.status_code == 200
    assert "single line" in response.content.decode()
    assert Report.objects.count() == before
