"""GET /api/v1/services/: the active catalogue with its questions, in the request's language."""

import pytest

from services.catalogue import catalogue_load
from services.tests.factories import ServiceFactory

pytestmark = pytest.mark.django_db


def test_anyone_reads_the_active_services_with_their_questions_and_allowed_values(client):
    catalogue_load()
    response = client.get("/api/v1/services/")
    assert response.status_code == 200
    services = {service["service_code"]: service for service in response.json()}
    vehicle = services["abandoned-vehicle"]
    assert vehicle["name"] == "Abandoned share-bike or e-scooter"
    operator = next(attribute for attribute in vehicle["attributes"] if attribute["code"] == "operator")
    assert operator["datatype"] == "singlevaluelist"
    assert operator["required"] is False  # a citizen who is not sure leaves it: the vehicle nearby decides
    assert {value["key"] for value in operator["values"]} == {"bikeshare-a", "scoot-b"}


def test_names_and_questions_follow_the_accept_language_header(client):
    catalogue_load()
    response = client.get("/api/v1/services/abandoned-vehicle/", headers={"accept-language": "id"})
    service = response.json()
    assert service["name"] == "Sepeda atau skuter sewa terbengkalai"
    blocking = next(attribute for attribute in service["attributes"] if attribute["code"] == "blocking_footpath")
    assert blocking["description"] == "Apakah menghalangi trotoar?"
    assert {value["name"] for value in blocking["values"]} == {"Ya", "Tidak"}


def test_an_inactive_service_is_neither_listed_nor_found(client):
    ServiceFactory(service_code="retired", active=False)
    ServiceFactory(service_code="current")
    assert [service["service_code"] for service in client.get("/api/v1/services/").json()] == ["current"]
    assert client.get("/api/v1/services/retired/").status_code == 404


def test_the_catalogue_costs_the_same_queries_whatever_its_size(client, django_assert_max_num_queries):
    catalogue_load()
    with django_assert_max_num_queries(3):
        assert client.get("/api/v1/services/").status_code == 200
