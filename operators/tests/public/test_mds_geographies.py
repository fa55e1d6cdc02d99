"""The one MDS geography the rules refer to: the city's area, as a GeoJSON FeatureCollection."""

from __future__ import annotations

import json

import pytest
from django.conf import settings

from operators.mds import MEDIA_TYPE, city_geography_id
from operators.tests.mds_spec import GEOGRAPHY_REQUIRED, is_timestamp, is_uuid

pytestmark = pytest.mark.django_db


def test_the_geographies_hold_the_city_area_every_rule_refers_to(client, kring):
    response = client.get("/mds/geographies")

    assert response["Content-Type"] == MEDIA_TYPE
    body = response.json()
    assert body["version"] == "2.0.0" and is_timestamp(body["last_updated"])
    (area,) = body["geographies"]
    assert set(area) >= GEOGRAPHY_REQUIRED
    assert is_uuid(area["geography_id"]) and is_timestamp(area["published_date"])
    rules = [rule for policy in client.get("/mds/policies").json()["data"]["policies"] for rule in policy["rules"]]
    assert all(rule["geographies"] == [area["geography_id"]] for rule in rules)

    min_lon, min_lat, max_lon, max_lat = settings.CITY_BOUNDS
    (feature,) = area["geography_json"]["features"]
    assert area["geography_json"]["type"] == "FeatureCollection"
    assert feature["geometry"]["coordinates"][0][0] == [min_lon, min_lat]
    assert feature["geometry"]["coordinates"][0][2] == [max_lon, max_lat]


def test_the_geography_is_served_by_its_id_and_its_id_follows_the_bounds(client, db, settings):
    response = client.get(f"/mds/geographies/{city_geography_id()}")
    assert response.status_code == 200
    assert response.json()["geography"]["geography_id"] == city_geography_id()

    before = city_geography_id()
    settings.CITY_BOUNDS = (107.5, -7.0, 107.8, -6.8)
    assert city_geography_id() != before
    assert client.get(f"/mds/geographies/{before}").status_code == 404
    assert json.loads(client.get("/mds/geographies/nope").content)["error"] == "bad_param"
