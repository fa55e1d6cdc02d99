"""POST /api/v1/proposals/ refuses bad input with a 400 JSON error and stores nothing."""

import pytest

from proposals.models import Proposal, ProposalFollow
from services.tests.factories import CITY_LAT, CITY_LON

pytestmark = pytest.mark.django_db


def valid() -> dict:
    return {"title": "Shade trees", "summary": "Plant trees.", "body": "Why", "lat": CITY_LAT, "lon": CITY_LON}


BAD_INPUTS = {
    "empty title": ({"title": ""}, "title"),
    "blank title": ({"title": "   "}, "title"),
    "no title": ({"title": None}, "title"),
    "title of 121 characters": ({"title": "x" * 121}, "title"),
    "no summary": ({"summary": ""}, "summary"),
    "summary of 301 characters": ({"summary": "x" * 301}, "summary"),
    "body over 10,000 characters": ({"body": "x" * 10_001}, "body"),
    "unknown topic": ({"topic": "Teleportation"}, "topic"),
    "topic as a list": ({"topic": ["other"]}, "topic"),
    "point outside the city": ({"lat": 51.5, "lon": -0.12}, "location"),
    "latitude nan": ({"lat": "nan"}, "lat"),
    "latitude infinite": ({"lat": "1e999"}, "lat"),
    "latitude as text": ({"lat": "north"}, "lat"),
    "latitude without longitude": ({"lon": ""}, "location"),
    "a null byte": ({"summary": "bad\x00byte"}, "summary"),
    "show_name not a boolean": ({"show_name": "perhaps"}, "show_name"),
}


@pytest.mark.parametrize("change, field", BAD_INPUTS.values(), ids=BAD_INPUTS.keys())
def test_bad_input_is_a_400_naming_the_field_and_nothing_is_stored(client, citizen, change, field):
    client.force_login(citizen)
    data = {**valid(), **change}
    response = client.post("/api/v1/proposals/", data, content_type="application/json")
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/json"
    assert field in response.json(), response.json()
    assert not Proposal.objects.exists()
    assert not ProposalFollow.objects.exists()


def test_a_title_of_120_characters_is_accepted(client, citizen):
    client.force_login(citizen)
    response = client.post("/api/v1/proposals/", {**valid(), "title": "x" * 120}, content_type="application/json")
    assert response.status_code == 201


def test_every_bad_field_is_reported_at_once(client, citizen):
    client.force_login(citizen)
    data = {**valid(), "topic": "Teleportation", "lat": "nan"}
    response = client.post("/api/v1/proposals/", data, content_type="application/json")
    assert response.status_code == 400
    assert {"topic", "lat"} <= set(response.json())


def test_malformed_json_is_a_400_json_error(client, citizen):
    client.force_login(citizen)
    response = client.post("/api/v1/proposals/", '{"title": "Shade', content_type="application/json")
    assert response.status_code == 400
    assert "detail" in response.json()
    assert not Proposal.objects.exists()


def test_nan_as_a_json_number_is_refused(client, citizen):
    client.force_login(citizen)
    body = '{"title": "Shade", "summary": "Trees", "lat": NaN, "lon": 107.6}'
    response = client.post("/api/v1/proposals/", body, content_type="application/json")
    assert response.status_code == 400
    assert not Proposal.objects.exists()


def test_the_api_speaks_json_only(client, citizen):
    client.force_login(citizen)
    response = client.post("/api/v1/proposals/", {"title": "Shade", "summary": "Trees"})
    assert response.status_code == 415
    assert not Proposal.objects.exists()
