"""The OpenAPI schema of the whole API builds without a warning."""

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_the_openapi_schema_builds_without_warnings(tmp_path):
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--fail-on-warn", "--validate", "--file", str(target))
    text = target.read_text()
    for path in ("/api/v1/reports/", "/api/v1/proposals/", "/api/v1/services/"):
        assert path in text


@pytest.fixture
def schema(client, db):
    return client.get("/api/schema/?format=json").json()


def test_every_operation_documents_its_error_answers_with_the_error_schema(schema):
    expected = {
        ("/api/v1/reports/", "get"): {"400", "403", "404"},
        ("/api/v1/reports/", "post"): {"400", "403", "413", "415", "429"},
        ("/api/v1/reports/{report_id}/", "get"): {"403", "404"},
        ("/api/v1/proposals/{proposal_id}/", "patch"): {"400", "403", "404", "413", "415", "429"},
        ("/api/v1/reports/{report_id}/follow/", "delete"): {"403", "404", "429"},
    }
    for (path, method), codes in expected.items():
        responses = schema["paths"][path][method]["responses"]
        assert codes <= set(responses), (path, method, sorted(responses))
        for code in codes:
            content = responses[code]["content"]
            assert content["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
    assert "detail" in schema["components"]["schemas"]["Error"]["properties"]


def test_the_map_layer_documents_its_errors_in_its_own_media_type(schema):
    responses = schema["paths"]["/api/v1/reports.geojson"]["get"]["responses"]
    assert "application/geo+json" in responses["400"]["content"]


@pytest.mark.parametrize("query", ["sort=", "sort=%20", "sort=oldest"])
def test_an_empty_or_unknown_sort_is_a_400(client, db, query):
    response = client.get(f"/api/v1/proposals/?{query}")
    assert response.status_code == 400
    assert "sort" in response.json()


def test_an_unknown_api_address_answers_json_not_a_page(client, db):
    response = client.get("/api/v1/reports/-1/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
