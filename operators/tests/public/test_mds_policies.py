"""The permits as MDS 2.0 policies: a count rule per fleet cap and a time rule per idle limit,
with stable ids, in the shape MDS's text requires."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import pytest

from operators.mds import MEDIA_TYPE, city_geography_id
from operators.tests.factories import OperatorFactory
from operators.tests.mds_spec import policy_problems

pytestmark = pytest.mark.django_db

PROVIDER = "5f7114d1-4091-46ee-b492-e55875f7de00"


def document(client, **params):
    response = client.get("/mds/policies", params)
    assert response.status_code == 200
    assert response["Content-Type"] == MEDIA_TYPE
    return response.json()


def by_name(policies: list[dict]) -> dict[str, dict]:
    return {policy["name"]: policy for policy in policies}


def test_the_document_is_an_mds_2_payload_of_valid_policies(client, kring, ended):
    body = document(client, start_date=0)

    assert body["version"] == "2.0.0"
    assert isinstance(body["last_updated"], int)
    assert set(body) == {"version", "last_updated", "data"}
    policies = body["data"]["policies"]
    assert {policy["name"] for policy in policies} == {
        "Fleet cap: Kring Bikes",
        "Idle limit: Kring Bikes",
        "Idle limit: Roda",
    }
    for policy in policies:
        assert policy_problems(policy) == [], policy["name"]
    assert [policy["start_date"] for policy in policies] == sorted(policy["start_date"] for policy in policies)


def test_a_fleet_cap_is_a_count_rule_in_devices_per_capped_vehicle_type(client, kring):
    policy = by_name(document(client)["data"]["policies"])["Fleet cap: Kring Bikes"]

    (rule,) = policy["rules"]  # the scooters have no cap: no rule
    assert rule["rule_type"] == "count" and rule["rule_units"] == "devices"
    assert rule["vehicle_types"] == ["bicycle"]
    assert rule["maximum"] == 300
    assert rule["states"] == {"available": [], "non_operational": [], "reserved": []}
    assert rule["geographies"] == [city_geography_id()]


def test_an_idle_limit_is_a_time_rule_in_hours_for_every_permitted_type(client, kring):
    policy = by_name(document(client)["data"]["policies"])["Idle limit: Kring Bikes"]

    (rule,) = policy["rules"]
    assert (rule["rule_type"], rule["rule_units"], rule["maximum"]) == ("time", "hours", 48)
    assert rule["vehicle_types"] == ["bicycle", "scooter_standing"]
    assert rule["states"] == {"available": [], "non_operational": []}


def test_ids_are_stable_uuid5_from_the_site_the_operator_and_the_rule(client, kring, settings):
    first = document(client)["data"]["policies"]
    again = document(client)["data"]["policies"]
    assert [policy["policy_id"] for policy in first] == [policy["policy_id"] for policy in again]
    assert all(uuid.UUID(policy["policy_id"]).version == 5 for policy in first)
    assert len({policy["policy_id"] for policy in first}) == 2

    settings.SITE_URL = "https://another-city.example"
    elsewhere = document(client)["data"]["policies"]
    assert not {policy["policy_id"] for policy in first} & {policy["policy_id"] for policy in elsewhere}


def test_the_dates_follow_the_permit_in_the_citys_time(client, db):
    recorded = datetime(2025, 11, 20, 2, 0, tzinfo=UTC)
    OperatorFactory(
        slug="dated",
        name="Dated",
        created_at=recorded,
        permit_valid_from=date(2026, 1, 1),
        permit_valid_until=date(2030, 12, 31),
    )

    (policy,) = document(client)["data"]["policies"]

    # Midnight in Jakarta (UTC+7) on the first day, and on the day after the last.
    assert policy["start_date"] == int(datetime(2025, 12, 31, 17, 0, tzinfo=UTC).timestamp() * 1000)
    assert policy["end_date"] == int(datetime(2030, 12, 31, 17, 0, tzinfo=UTC).timestamp() * 1000)
    assert policy["published_date"] == int(recorded.timestamp() * 1000)


def test_provider_ids_name_the_operator_only_when_the_city_knows_its_mds_id(client, kring, settings):
    assert all("provider_ids" not in policy for policy in document(client)["data"]["policies"])

    settings.MDS_PROVIDER_IDS = {"kring": PROVIDER}
    assert all(policy["provider_ids"] == [PROVIDER] for policy in document(client)["data"]["policies"])


def test_one_policy_is_served_by_its_id_whatever_its_dates(client, ended):
    (policy,) = document(client, start_date=0)["data"]["policies"]
    assert document(client)["data"]["policies"] == []  # ended: not in force now

    response = client.get(f"/mds/policies/{policy['policy_id']}")

    assert response.status_code == 200
    assert response.json()["data"]["policies"] == [policy]
