"""The operator API (/api/v1/operator/): an operator staff token reads and answers its own
operator's reports, as the public reads them and never with the reporter; everyone else is refused."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from citizens.actions import api_token_issue
from operators import actions
from operators.models import Assignment
from operators.tests.conftest import REPORTER_EMAIL, REPORTER_NAME, routed_report
from services.models import ReportPhoto, ReportStatus, ReportUpdate
from services.photos import process_photo
from services.tests.factories import image_upload

pytestmark = pytest.mark.django_db

LIST = "/api/v1/operator/reports/"
FIELDS = {
    "id",
    "url",
    "service_code",
    "status",
    "lat",
    "lon",
    "address",
    "description",
    "photos",
    "assigned_at",
    "due_at",
    "overdue",
    "acknowledged_at",
    "resolved_at",
    "outcome",
    "reason",
}


def token_client(user) -> Client:
    _token, key = api_token_issue(user=user, for_staff=False)
    return Client(headers={"authorization": f"Token {key}"})


def post(client: Client, path: str, body: object) -> object:
    return client.post(path, json.dumps(body), content_type="application/json")


@pytest.fixture
def api(kring) -> Client:
    return token_client(kring[1])


def test_it_lists_only_the_operators_reports_with_public_fields(api, kring, zoom, reporter, media):
    own = routed_report(reporter, kring[0], description="Bike at the gate, ring 0812 3456 7890", address="Jl. Braga 5")
    process_photo(ReportPhoto.objects.create(report=own, upload=image_upload()))
    routed_report(reporter, zoom[0])
    response = api.get(LIST)
    assert response.status_code == 200
    [item] = response.json()["results"]
    assert set(item) == FIELDS
    assert item["id"] == own.pk
    assert item["description"] == "Bike at the gate, ring [redacted]"
    assert (item["lat"], item["lon"]) == own.public_point
    assert item["address"] == "Jl. Braga 5"
    assert item["service_code"] == "abandoned-vehicle"
    assert (item["status"], item["outcome"], item["reason"], item["overdue"]) == ("open", "", "chosen", False)
    assert len(item["photos"]) == 1 and item["photos"][0].startswith("http")


def test_no_answer_names_the_reporter(api, kring, reporter):
    report = routed_report(reporter, kring[0])
    bodies = [
        api.get(LIST).content,
        api.get(f"{LIST}{report.pk}/").content,
        post(api, f"{LIST}{report.pk}/acknowledge/", {}).content,
        post(api, f"{LIST}{report.pk}/resolve/", {"outcome": "removed"}).content,
    ]
    for body in bodies:
        text = body.decode()
        assert REPORTER_NAME not in text and REPORTER_EMAIL not in text
        assert "reporter" not in text


def test_the_status_filter_splits_open_and_resolved(api, kring, reporter):
    operator, staff = kring
    later, sooner, done = (routed_report(reporter, operator) for _ in range(3))
    Assignment.objects.filter(report=sooner).update(due_at=timezone.now() + timedelta(hours=1))
    actions.assignment_resolve(user=staff, report_id=done.pk, outcome="repaired")

    def ids(query: str) -> list[int]:
        return [item["id"] for item in api.get(LIST + query).json()["results"]]

    assert ids("?status=open") == [sooner.pk, later.pk]
    assert ids("?status=resolved") == [done.pk]
    assert sorted(ids("")) == sorted([later.pk, sooner.pk, done.pk])


def test_a_bad_status_filter_is_a_400_naming_the_parameter(api):
    response = api.get(LIST + "?status=closed")
    assert response.status_code == 400
    assert "status" in response.json()


def test_the_list_pages_with_a_cursor(api, kring, reporter, monkeypatch):
    from operators.api_operator import ByStatus

    reports = [routed_report(reporter, kring[0]) for _ in range(3)]
    monkeypatch.setattr(ByStatus, "page_size", 2)
    first = api.get(LIST + "?status=open").json()
    second = api.get(first["next"]).json()
    seen = [item["id"] for item in first["results"] + second["results"]]
    assert sorted(seen) == sorted(report.pk for report in reports) and len(seen) == 3
    assert api.get(LIST + "?cursor=forged").status_code == 404


@pytest.mark.parametrize("count", [1, 15])
def test_the_list_costs_the_same_queries_whatever_its_length(
    api, kring, reporter, media, django_assert_max_num_queries, count
):
    for _ in range(count):
        report = routed_report(reporter, kring[0])
        process_photo(ReportPhoto.objects.create(report=report, upload=image_upload()))
    # the token (and its last use), the role, the membership, the assignments with their reports, the photos
    with django_assert_max_num_queries(6):
        response = api.get(LIST)
    assert len(response.json()["results"]) == count


def test_the_detail_costs_a_fixed_number_of_queries(api, kring, reporter, django_assert_max_num_queries):
    report = routed_report(reporter, kring[0])
    with django_assert_max_num_queries(6):
        assert api.get(f"{LIST}{report.pk}/").status_code == 200


def test_an_operator_acknowledges_through_the_api(api, kring, reporter, django_capture_on_commit_callbacks):
    report = routed_report(reporter, kring[0])
    with django_capture_on_commit_callbacks(execute=True):
        response = post(api, f"{LIST}{report.pk}/acknowledge/", {"note": "On our way"})
    assert response.status_code == 200
    assert response.json()["acknowledged_at"] is not None
    assert response.json()["status"] == ReportStatus.ACKNOWLEDGED
    assert ReportUpdate.objects.filter(report=report).last().note == "On our way"
    assert [message.to for message in mail.outbox] == [[REPORTER_EMAIL]]


def test_an_operator_resolves_through_the_api(api, kring, reporter):
    report = routed_report(reporter, kring[0])
    response = post(api, f"{LIST}{report.pk}/resolve/", {"outcome": "reparked", "note": "Moved to the rack"})
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["outcome"]) == ("resolved", "reparked")
    assert body["resolved_at"] is not None
    assert "Moved to the rack" in ReportUpdate.objects.filter(report=report).last().note


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "outcome"),
        ({"outcome": "burnt"}, "outcome"),
        ({"outcome": "disputed"}, "note"),
        ({"outcome": "disputed", "note": "   "}, "note"),
        ({"outcome": "removed", "note": "x" * 1001}, "note"),
        ({"outcome": ["removed"]}, "outcome"),
        ([1, 2], "non_field_errors"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(api, kring, reporter, body, field):
    report = routed_report(reporter, kring[0])
    response = post(api, f"{LIST}{report.pk}/resolve/", body)
    assert response.status_code == 400
    assert field in response.json()
    assert Assignment.objects.get(report=report).is_open


def test_a_body_that_is_not_json_is_a_400(api, kring, reporter):
    report = routed_report(reporter, kring[0])
    response = api.post(f"{LIST}{report.pk}/resolve/", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert "detail" in response.json()


def test_resolving_twice_is_a_400(api, kring, reporter):
    report = routed_report(reporter, kring[0])
    post(api, f"{LIST}{report.pk}/resolve/", {"outcome": "removed"})
    response = post(api, f"{LIST}{report.pk}/resolve/", {"outcome": "removed"})
    assert response.status_code == 400
    assert "already resolved" in response.json()["report"][0]
    assert post(api, f"{LIST}{report.pk}/acknowledge/", {}).status_code == 400


@pytest.mark.parametrize(
    ("method", "body"),
    [("get", None), ("acknowledge", {}), ("resolve", {"outcome": "removed"}), ("resolve", {"outcome": "burnt"})],
)
def test_another_operators_report_is_a_404(api, zoom, reporter, method, body):
    other = routed_report(reporter, zoom[0])
    response = api.get(f"{LIST}{other.pk}/") if method == "get" else post(api, f"{LIST}{other.pk}/{method}/", body)
    assert response.status_code == 404
    assert "detail" in response.json()
    assignment = Assignment.objects.get(report=other)
    assert (assignment.acknowledged_at, assignment.resolved_at) == (None, None)


@pytest.mark.parametrize("report_id", [999999, 10**30])
def test_an_unknown_report_is_a_404(api, report_id):
    assert api.get(f"{LIST}{report_id}/").status_code == 404
    assert post(api, f"{LIST}{report_id}/resolve/", {"outcome": "removed"}).status_code == 404
    assert post(api, f"{LIST}{report_id}/acknowledge/", {}).status_code == 404


@pytest.mark.parametrize("who", ["citizen", "operator_staff"])
def test_a_token_of_someone_working_for_no_operator_is_a_403(request, who, kring, reporter):
    report = routed_report(reporter, kring[0])
    client = token_client(request.getfixturevalue(who))
    for response in (
        client.get(LIST),
        client.get(f"{LIST}{report.pk}/"),
        post(client, f"{LIST}{report.pk}/resolve/", {"outcome": "removed"}),
    ):
        assert response.status_code == 403
        assert response.json()["detail"] == "Only operator staff may use the operator API."
    assert Assignment.objects.get(report=report).is_open


def test_anonymous_requests_are_refused_with_json(client, kring, reporter):
    report = routed_report(reporter, kring[0])
    for response in (client.get(LIST), post(client, f"{LIST}{report.pk}/acknowledge/", {})):
        assert response.status_code in (401, 403)
        assert "detail" in response.json()


def test_a_wrong_token_is_refused_with_json(client):
    response = client.get(LIST, headers={"authorization": "Token nope"})
    assert response.status_code in (401, 403)
    assert response.json()["detail"] == "Invalid token."


def test_the_schema_documents_the_operator_endpoints(client):
    schema = client.get("/api/schema/", headers={"accept": "application/vnd.oai.openapi+json"}).json()
    for path in (
        "/api/v1/operator/reports/",
        "/api/v1/operator/reports/{report_id}/",
        "/api/v1/operator/reports/{report_id}/acknowledge/",
        "/api/v1/operator/reports/{report_id}/resolve/",
    ):
        assert path in schema["paths"], path
    fields = schema["components"]["schemas"]["OperatorReport"]["properties"]
    assert set(fields) == FIELDS
    resolve = schema["paths"]["/api/v1/operator/reports/{report_id}/resolve/"]["post"]
    assert {"200", "400", "403", "404", "429"} <= set(resolve["responses"])
