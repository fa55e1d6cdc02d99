"""The operators in the REST API: permits and figures, public, in a pinned number of queries,
a JSON 404 for an unknown operator, and nothing private."""

from __future__ import annotations

import json

import pytest
from rest_framework.test import APIClient

from operators import performance
from operators.tests.factories import OperatorFactory
from operators.tests.public.conftest import FEED_URL, SECRET_VEHICLE

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def test_the_list_gives_each_listed_operator_with_its_permit_and_performance(api, kring, ended, gone):
    response = api.get("/api/v1/operators/")

    assert response.status_code == 200
    operators = response.json()
    assert [operator["slug"] for operator in operators] == ["kring", "roda"]
    first = operators[0]
    assert first["url"] == "http://testserver/operators/kring/"
    assert first["permit_number"] == "DISHUB/2026/017"
    assert first["permit_valid_from"] == "2026-01-01" and first["permit_valid_until"] is None
    assert first["permit_state"] == "active"
    assert first["vehicle_types"] == [
        {"form_factor": "bicycle", "fleet_cap": 300},
        {"form_factor": "scooter_standing", "fleet_cap": None},
    ]
    assert first["fleet_cap"] is None
    assert (first["response_hours"], first["night_response_hours"], first["idle_limit_hours"]) == (24, 36, 48)
    assert (first["fine_per_breach"], first["fine_currency"]) == ("250000.00", "IDR")
    assert operators[1]["permit_state"] == "ended"


def test_the_performance_object_holds_the_scorecards_figures(api, kring):
    figures = api.get("/api/v1/operators/kring/").json()["performance"]
    card = performance.scorecard(kring)

    assert figures["reports_received"] == card.reports_received == 3
    assert figures["open_reports"] == card.open_reports
    assert figures["answered_in_time_share"] == card.answered_in_time_share == 0.5
    assert figures["median_hours_to_resolve"] == card.median_hours_to_resolve == 4.0
    assert figures["reopened_share"] == card.reopened_share
    assert figures["complaints_last_30_days"] == card.complaints
    assert figures["complaints_per_1000_vehicles"] == card.complaints_per_1000_vehicles
    assert figures["idle_vehicles_now"] == 2
    assert figures["feed"] == {
        "state": "failing",
        "good_poll_share": 0.5,
        "polls": 2,
        "last_good_poll_at": figures["feed"]["last_good_poll_at"],
        "problem": "The feed's server answered with an error.",
    }
    assert [day["over_cap"] for day in figures["fleet_days"]] == [True, False]
    assert len(figures["breaches_by_month"]) == 12
    assert figures["breaches_by_month"][-1]["breaches"] == 1
    assert figures["breaches_by_month"][-1]["fines_due"] == "250000.00"


def test_an_operator_no_longer_listed_still_has_its_page_in_the_api(api, gone):
    assert api.get("/api/v1/operators/gone/").json()["permit_state"] == "ended"


def test_an_unknown_operator_is_a_json_404(api, db):
    response = api.get("/api/v1/operators/nobody/")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_the_api_gives_no_vehicle_id_feed_address_or_webhook(api, kring):
    kring.webhook_url = "https://hooks.kring.example/cocreate"
    kring.save()
    for path in ("/api/v1/operators/", "/api/v1/operators/kring/"):
        body = json.dumps(api.get(path).json())
        for private in (SECRET_VEHICLE, FEED_URL, "feeds.kring.example", "hooks.kring.example", "s3cret"):
            assert private not in body


@pytest.mark.parametrize("count", [2, 7])
def test_the_list_costs_eight_queries_whatever_the_number_of_operators(api, django_assert_num_queries, count):
    for _ in range(count):
        OperatorFactory().vehicle_types.create(form_factor="bicycle", fleet_cap=10)

    with django_assert_num_queries(8):
        response = api.get("/api/v1/operators/")

    assert len(response.json()) == count


def test_one_operator_costs_eight_queries(api, kring, django_assert_num_queries):
    with django_assert_num_queries(8):
        assert api.get("/api/v1/operators/kring/").status_code == 200


def test_the_schema_documents_the_operator_endpoints(api, db):
    schema = api.get("/api/schema/?format=json").json()

    assert "/api/v1/operators/" in schema["paths"]
    detail = schema["paths"]["/api/v1/operators/{slug}/"]["get"]["responses"]
    assert {"200", "404"} <= set(detail)
    assert "performance" in schema["components"]["schemas"]["Operator"]["properties"]
