"""The operator answering for a report, as the report's page, the REST API, Open311 and the update
emails show it (``services.responsible``), at a fixed number of queries per list."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from operators import actions as operator_actions
from operators.models import Assignment
from operators.tests.factories import operator_with_staff
from services import actions
from services.models import ReportStatus
from services.tests.factories import CITY_LAT, CITY_LON, ReportFactory, ServiceFactory
from services.tests.open311_client import get_json, get_xml

pytestmark = pytest.mark.django_db


@pytest.fixture
def kring(db):
    return operator_with_staff("kring", name="Kring Bike")


def routed(citizen, operator_slug: str = "kring"):
    report = actions.report_create(
        service_code="abandoned-vehicle",
        lat=CITY_LAT,
        lon=CITY_LON,
        description="A bike lying across the footpath",
        attributes={"blocking_footpath": "yes", "operator": operator_slug},
        reporter=citizen,
    )
    operator_actions.report_route(report_id=report.pk)
    return report


# The report's page


def test_the_page_names_the_operator_its_deadline_and_links_to_it(client, citizen, kring):
    report = routed(citizen)
    due = Assignment.objects.get(report=report).due_at
    html = client.get(report.get_absolute_url()).content.decode()
    assert "Responsible" in html
    assert '<a href="/operators/kring/">Kring Bike</a>' in html
    assert "due by" in html and str(timezone.localtime(due).year) in html
    assert "status-overdue" not in html


def test_an_overdue_operator_gets_a_badge(client, citizen, kring):
    report = routed(citizen)
    Assignment.objects.filter(report=report).update(due_at=timezone.now() - timedelta(hours=1))
    html = client.get(report.get_absolute_url()).content.decode()
    assert '<span class="status status-overdue">Overdue</span>' in html


def test_a_resolved_report_names_the_operator_without_a_deadline(client, citizen, kring):
    report = routed(citizen)
    operator_actions.assignment_resolve(user=kring[1], report_id=report.pk, outcome="removed")
    html = client.get(report.get_absolute_url()).content.decode()
    assert "Kring Bike" in html and "due by" not in html


def test_a_report_nobody_but_the_city_answers_for_names_no_operator(client):
    html = client.get(ReportFactory().get_absolute_url()).content.decode()
    assert "Responsible" not in html


# The REST API


def test_the_api_gives_the_operators_short_name_or_null(client, citizen, kring):
    report = routed(citizen)
    other = ReportFactory()
    listed = {item["id"]: item["operator"] for item in client.get("/api/v1/reports/").json()["results"]}
    assert listed == {report.pk: "kring", other.pk: None}
    assert client.get(f"/api/v1/reports/{report.pk}/").json()["operator"] == "kring"
    assert client.get(f"/api/v1/reports/{other.pk}/").json()["operator"] is None


def test_a_report_still_in_the_city_queue_has_no_operator(client, citizen, kring):
    report = actions.report_create(
        service_code="abandoned-vehicle",
        lat=CITY_LAT,
        lon=CITY_LON,
        attributes={"blocking_footpath": "yes"},
        reporter=citizen,
    )
    operator_actions.report_route(report_id=report.pk)
    assert Assignment.objects.get(report=report).operator is None
    assert client.get(f"/api/v1/reports/{report.pk}/").json()["operator"] is None


@pytest.mark.parametrize("count", [2, 12])
def test_the_api_list_costs_the_same_queries_with_operators(
    client, citizen, kring, django_assert_max_num_queries, count
):
    for _ in range(count):
        routed(citizen)
    with django_assert_max_num_queries(2):
        results = client.get("/api/v1/reports/").json()["results"]
    assert [item["operator"] for item in results] == ["kring"] * count


def test_my_reports_name_the_operator_too(client, citizen, kring):
    routed(citizen)
    client.force_login(citizen)
    assert client.get("/api/v1/me/reports/").json()["results"][0]["operator"] == "kring"


def test_the_schema_documents_the_operator_field(client):
    schema = client.get("/api/schema/", headers={"accept": "application/vnd.oai.openapi+json"}).json()
    field = schema["components"]["schemas"]["Report"]["properties"]["operator"]
    assert field["type"] == "string" and field["nullable"] is True


# Open311


def test_open311_gives_the_operator_as_agency_responsible(client, citizen, kring):
    report = routed(citizen)
    pothole = ReportFactory(service=ServiceFactory(agency_responsible="Dinas PU"))
    agencies = {
        document["service_request_id"]: document["agency_responsible"] for document in get_json(client, "requests")
    }
    assert agencies == {str(report.pk): "Kring Bike", str(pothole.pk): "Dinas PU"}
    assert get_json(client, f"requests/{report.pk}")[0]["agency_responsible"] == "Kring Bike"
    assert get_xml(client, f"requests/{report.pk}").find("request/agency_responsible").text == "Kring Bike"


def test_a_report_in_the_city_queue_keeps_the_services_agency(client, citizen, kring):
    report = actions.report_create(
        service_code="abandoned-vehicle",
        lat=CITY_LAT,
        lon=CITY_LON,
        attributes={"blocking_footpath": "yes"},
        reporter=citizen,
    )
    operator_actions.report_route(report_id=report.pk)
    assert get_json(client, f"requests/{report.pk}")[0]["agency_responsible"] == "Dinas Perhubungan"


@pytest.mark.parametrize("count", [2, 12])
def test_the_open311_list_costs_the_same_queries_with_operators(
    client, citizen, kring, django_assert_num_queries, count
):
    for _ in range(count):
        routed(citizen)
    with django_assert_num_queries(1):
        documents = get_json(client, "requests")
    assert [document["agency_responsible"] for document in documents] == ["Kring Bike"] * count


# The update email


@pytest.mark.parametrize(
    ("who", "heading"),
    [("operator", "Note from the operator:"), ("city", "Note from the city:"), ("citizen", "Note from a citizen:")],
)
def test_the_update_email_says_who_wrote_the_note(
    citizen, other_citizen, staff, kring, who, heading, django_capture_on_commit_callbacks
):
    report = routed(citizen)
    if who == "citizen":  # without running its jobs: the reporter gets no email of it
        operator_actions.assignment_resolve(user=kring[1], report_id=report.pk, outcome="removed")
        report.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        if who == "operator":
            operator_actions.assignment_resolve(user=kring[1], report_id=report.pk, outcome="removed", note="Depot.")
        elif who == "city":
            actions.report_change_status(report=report, to_status=ReportStatus.IN_PROGRESS, by=staff, note="Depot.")
        else:
            actions.report_reopen(report=report, by=other_citizen, note="Depot.")
    [email] = [message for message in mail.outbox if message.to == [citizen.email]]
    assert heading in email.body
    assert "Depot." in email.body.split(heading, 1)[1]
