"""The OpenAPI schema describes every endpoint, and the docs page loads nothing from a CDN."""

import pytest

pytestmark = pytest.mark.django_db

PATHS = (
    "/api/v1/services/",
    "/api/v1/services/{service_code}/",
    "/api/v1/reports/",
    "/api/v1/reports.geojson",
    "/api/v1/reports/{report_id}/",
    "/api/v1/reports/{report_id}/comments/",
    "/api/v1/reports/{report_id}/follow/",
)


def test_the_schema_lists_every_services_and_reports_path(client):
    response = client.get("/api/schema/", headers={"accept": "application/vnd.oai.openapi+json"})
    assert response.status_code == 200
    schema = response.json()
    for path in PATHS:
        assert path in schema["paths"], path
    create = schema["paths"]["/api/v1/reports/"]["post"]
    assert "multipart/form-data" in create["requestBody"]["content"]
    assert "application/geo+json" in schema["paths"]["/api/v1/reports.geojson"]["get"]["responses"]["200"]["content"]


def test_the_docs_page_serves_its_assets_itself(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode().lower()
    for host in ("cdn", "unpkg", "jsdelivr"):
        assert host not in html, host
    assert "swagger-ui" in html
