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
