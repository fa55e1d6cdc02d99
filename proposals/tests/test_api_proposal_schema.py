"""The OpenAPI schema describes every proposal endpoint."""

import pytest

pytestmark = pytest.mark.django_db

OPERATIONS = {
    "/api/v1/proposals/": {"get", "post"},
    "/api/v1/proposals/{proposal_id}/": {"get", "patch"},
    "/api/v1/proposals/{proposal_id}/support/": {"post", "delete"},
    "/api/v1/proposals/{proposal_id}/comments/": {"get", "post"},
}


@pytest.fixture
def schema(client):
    response = client.get("/api/schema/", headers={"accept": "application/vnd.oai.openapi+json"})
    assert response.status_code == 200
    return response.json()


def test_the_schema_lists_every_proposal_path_and_method(schema):
    for path, methods in OPERATIONS.items():
        assert path in schema["paths"], path
        assert methods <= set(schema["paths"][path]), path


def test_the_schema_describes_the_list_filters_and_the_json_bodies(schema):
    listing = schema["paths"]["/api/v1/proposals/"]["get"]
    assert {"topic", "status", "q", "sort", "cursor"} <= {parameter["name"] for parameter in listing["parameters"]}
    create = schema["paths"]["/api/v1/proposals/"]["post"]
    assert set(create["requestBody"]["content"]) == {"application/json"}
    assert {"201", "400", "403", "429"} <= set(create["responses"])
    support = schema["paths"]["/api/v1/proposals/{proposal_id}/support/"]
    assert {"200", "201"} <= set(support["post"]["responses"])
    assert "204" in support["delete"]["responses"]
    assert "requestBody" not in support["post"]


def test_the_proposal_representation_never_names_an_email_or_user_id(schema):
    [proposal] = [name for name in schema["components"]["schemas"] if name == "Proposal"]
    fields = set(schema["components"]["schemas"][proposal]["properties"])
    assert {"supported_by_me", "author_name", "answer", "body_html"} <= fields
    assert not {"author", "author_id", "email", "user", "user_id"} & fields
