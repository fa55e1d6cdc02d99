"""How the MDS endpoints answer: their media type and version, filters by date, errors in MDS's
shape, and caching."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import pytest

from operators.mds import MEDIA_TYPE
from operators.tests.factories import OperatorFactory

pytestmark = pytest.mark.django_db


def ms(year: int, month: int, day: int) -> int:
    return int(datetime(year, month, day, tzinfo=UTC).timestamp() * 1000)


@pytest.fixture
def permits(db):
    old = datetime(2020, 1, 1, tzinfo=UTC)
    OperatorFactory(
        slug="past",
        name="Past",
        created_at=old,
        permit_valid_from=date(2021, 1, 1),
        permit_valid_until=date(2021, 12, 31),
    )
    OperatorFactory(slug="now", name="Now", created_at=old, permit_valid_from=date(2024, 1, 1))
    OperatorFactory(slug="later", name="Later", created_at=old, permit_valid_from=date(2040, 1, 1))


def names(response) -> list[str]:
    return sorted(policy["name"] for policy in response.json()["data"]["policies"])


@pytest.mark.parametrize(
    "accept", ["", "application/vnd.mds+json;version=2.0", "application/vnd.mds+json", "application/json", "*/*"]
)
def test_mds_2_and_plain_json_clients_are_answered_in_mds_2(client, db, accept):
    response = client.get("/mds/policies", HTTP_ACCEPT=accept)

    assert response.status_code == 200
    assert response["Content-Type"] == MEDIA_TYPE
    assert "Accept" in response["Vary"]


@pytest.mark.parametrize("accept", ["application/vnd.mds+json;version=1.2", "text/html"])
def test_another_mds_version_is_a_406_in_mds_error_shape(client, db, accept):
    response = client.get("/mds/policies", HTTP_ACCEPT=accept)

    assert response.status_code == 406
    body = response.json()
    assert set(body) == {"error", "error_description", "error_details"}
    assert body["error"] == "not_acceptable"


def test_by_default_policies_in_force_now_or_later_are_served(client, permits):
    assert names(client.get("/mds/policies")) == ["Idle limit: Later", "Idle limit: Now"]


def test_a_date_range_selects_the_policies_in_force_during_it(client, permits):
    assert names(client.get("/mds/policies", {"start_date": ms(2021, 6, 1), "end_date": ms(2021, 7, 1)})) == [
        "Idle limit: Past"
    ]
    assert names(client.get("/mds/policies", {"start_date": 0})) == [
        "Idle limit: Later",
        "Idle limit: Now",
        "Idle limit: Past",
    ]


def test_last_updated_alone_is_answered_without_the_policies(client, permits):
    body = client.get("/mds/policies", {"last_updated": "true"}).json()

    assert set(body) == {"version", "last_updated"}
    assert body["last_updated"] == ms(2020, 1, 1)


@pytest.mark.parametrize(
    "query",
    [
        {"start_date": "yesterday"},
        {"start_date": "²"},
        {"end_date": "-5"},
        {"last_updated": "maybe"},
        {"active_only": "1"},
    ],
)
def test_a_bad_parameter_is_a_400_naming_it(client, db, query):
    response = client.get("/mds/policies", query)

    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "bad_param"
    assert next(iter(query)) in body["error_details"][0]


def test_an_unknown_or_malformed_policy_id_is_a_404_or_a_400(client, db):
    assert client.get(f"/mds/policies/{uuid.uuid4()}").json()["error"] == "not_found"
    assert client.get(f"/mds/policies/{uuid.uuid4()}").status_code == 404
    assert client.get("/mds/policies/not-a-uuid").status_code == 400


def test_the_documents_are_cacheable_and_not_sent_again_unchanged(client, permits):
    response = client.get("/mds/policies")
    assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]

    again = client.get("/mds/policies", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304

    OperatorFactory(slug="new", name="New")
    assert client.get("/mds/policies", HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 200


def test_the_endpoints_are_read_only(client, db):
    assert client.post("/mds/policies").status_code == 405
    assert client.head("/mds/policies").status_code == 200


def test_every_operator_costs_the_same_two_queries(client, permits, django_assert_num_queries):
    with django_assert_num_queries(2):
        client.get("/mds/policies")
