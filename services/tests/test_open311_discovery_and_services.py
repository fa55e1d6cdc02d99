"""Open311 GeoReport v2, reading: discovery, the service list and definitions, jurisdiction, formats and methods."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from services.catalogue import catalogue_load
from services.models import Service
from services.tests.factories import ReportFactory, ServiceFactory
from services.tests.open311_client import BASE, get_json, get_xml

pytestmark = pytest.mark.django_db


# Discovery


def test_discovery_lists_the_georeport_v2_endpoint_in_json(client, settings):
    settings.SITE_URL = "https://city.example"
    document = get_json(client, "discovery")
    assert {"changeset", "contact", "key_service", "endpoints"} <= document.keys()
    (endpoint,) = document["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == "https://city.example/open311/v2/"
    assert endpoint["formats"] == ["text/xml", "application/json"]
    assert endpoint["type"] == "production"
    assert endpoint["changeset"].endswith("+07:00")


def test_discovery_lists_the_same_endpoint_in_xml(client):
    root = get_xml(client, "discovery")
    assert root.tag == "discovery"
    endpoint = root.find("endpoints/endpoint")
    assert endpoint.findtext("specification") == "http://wiki.open311.org/GeoReport_v2"
    assert [element.text for element in endpoint.findall("formats/format")] == ["text/xml", "application/json"]
    assert root.findtext("contact") and root.findtext("key_service")


# Service list and definitions


def test_the_service_list_shows_active_services_with_their_metadata_flag_in_json(client):
    catalogue_load()
    Service.objects.filter(service_code="bus-stop").update(active=False)
    services = {service["service_code"]: service for service in get_json(client, "services")}
    assert "bus-stop" not in services
    pothole = services["pothole"]
    assert pothole == {
        "service_code": "pothole",
        "service_name": "Pothole",
        "description": "A hole or broken surface in a road.",
        "metadata": True,
        "type": "realtime",
        "keywords": "road, hole, asphalt, jalan, lubang",
        "group": "Roads",
    }
    assert services["blocked-footpath"]["metadata"] is False


def test_the_service_list_writes_metadata_as_true_or_false_in_xml(client):
    catalogue_load()
    root = get_xml(client, "services")
    assert root.tag == "services"
    by_code = {service.findtext("service_code"): service for service in root.findall("service")}
    assert by_code["pothole"].findtext("metadata") == "true"
    assert by_code["blocked-footpath"].findtext("metadata") == "false"
    assert by_code["pothole"].findtext("service_name") == "Pothole"


def test_the_service_list_speaks_indonesian_when_the_client_asks_for_it(client):
    catalogue_load()
    response = client.get(BASE + "services.json", headers={"accept-language": "id"})
    names = {service["service_code"]: service["service_name"] for service in response.json()}
    assert names["pothole"] == "Jalan berlubang"


def test_a_service_definition_lists_the_attributes_and_their_values_in_json(client):
    catalogue_load()
    document = get_json(client, "services/abandoned-vehicle")
    assert document["service_code"] == "abandoned-vehicle"
    operator, vehicle_type, vehicle_code, blocking = document["attributes"]
    assert operator["code"] == "operator"
    assert operator["datatype"] == "singlevaluelist"
    assert operator["required"] is False and operator["variable"] is True
    assert [operator["order"], vehicle_type["order"], vehicle_code["order"], blocking["order"]] == [1, 2, 3, 4]
    assert operator["description"] == "Which operator's vehicle is it? (leave empty if you are not sure)"
    assert [value["key"] for value in vehicle_type["values"]] == ["bicycle", "scooter", "moped"]
    assert operator["values"][0] == {"key": "bikeshare-a", "name": "Kring Bike"}
    assert vehicle_code["values"] == []
    assert set(operator) == {
        "variable",
        "code",
        "datatype",
        "required",
        "datatype_description",
        "order",
        "description",
        "values",
    }


def test_a_service_definition_nests_attributes_and_values_in_xml(client):
    catalogue_load()
    root = get_xml(client, "services/illegal-dumping")
    assert root.tag == "service_definition"
    assert root.findtext("service_code") == "illegal-dumping"
    (attribute,) = root.findall("attributes/attribute")
    assert attribute.findtext("datatype") == "multivaluelist"
    assert attribute.findtext("required") == "false"
    assert [value.findtext("key") for value in attribute.findall("values/value")] == [
        "household",
        "construction",
        "hazardous",
    ]


def test_an_unknown_or_inactive_service_definition_is_a_404_error_list(client):
    ServiceFactory(service_code="retired", active=False)
    assert get_json(client, "services/retired", expect=404)[0]["code"] == 404
    root = get_xml(client, "services/never-existed", expect=404)
    assert root.tag == "errors"
    assert root.findtext("error/code") == "404"
    assert root.findtext("error/description")


# Jurisdiction, formats and methods


def test_a_different_jurisdiction_is_a_404_when_one_is_configured(client, settings):
    settings.OPEN311_JURISDICTION_ID = "bandung.go.id"
    report = ReportFactory()
    get_json(client, "services", jurisdiction_id="bandung.go.id")
    get_json(client, "requests")
    (error,) = get_json(client, "requests", expect=404, jurisdiction_id="jakarta.go.id")
    assert error["code"] == 404
    get_xml(client, f"requests/{report.pk}", expect=404, jurisdiction_id="jakarta.go.id")


def test_any_jurisdiction_is_accepted_when_none_is_configured(client, settings):
    settings.OPEN311_JURISDICTION_ID = ""
    get_json(client, "services", jurisdiction_id="anything")


def test_an_unknown_format_is_a_404_error_list_in_xml(client):
    response = client.get(BASE + "services.csv")
    assert response.status_code == 404
    assert ET.fromstring(response.content).findtext("error/code") == "404"


def test_a_wrong_method_is_a_405(client):
    response = client.put(BASE + "services.json")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert client.delete(BASE + "requests.xml").status_code == 405
