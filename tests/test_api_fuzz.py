"""schemathesis against a live server's ``/api/schema/``: no server error, no response outside the schema.

Every operation of the REST API gets a bounded, deterministic set of generated requests
(valid and invalid: schemathesis' positive and negative modes), anonymous and signed in
with a citizen's API token. Every response must be a documented status with a body that
matches its documented schema. The operations are driven through schemathesis' Hypothesis
strategies (its pytest plugin does not load under this pytest).
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from citizens.actions import api_token_issue
from proposals.tests.factories import CommentFactory, ProposalFactory
from services.tests.factories import AttributeFactory, ReportFactory, ServiceFactory

# Small and seeded: the module stays within about two minutes on two cores.
MAX_EXAMPLES = 10
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
FUZZ_SETTINGS = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
    report_multiple_bugs=False,
)


@pytest.fixture
def api_token(transactional_db, citizen):
    """Something to read on every list and detail, and a citizen's API token to write with."""
    service = ServiceFactory(service_code="pothole")
    AttributeFactory(service=service, code="depth", datatype="number")
    ReportFactory(service=service, reporter=citizen)
    proposal = ProposalFactory()
    CommentFactory(proposal=proposal)
    return api_token_issue(user=citizen, for_staff=False)[1]


def fuzz(base_url: str, headers: dict[str, str]) -> tuple[int, int, list[str]]:
    """Run every operation in both modes; return (operations, cases, failures)."""
    schema = schemathesis.openapi.from_url(f"{base_url}/api/schema/")
    operations, cases, failures = 0, 0, []
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @FUZZ_SETTINGS
            def run(case):
                nonlocal cases
                cases += 1
                case.call_and_validate(base_url=base_url, headers=headers, checks=CHECKS)

            try:
                run()
            except Unsatisfiable:
                pass  # nothing to make invalid: an operation without parameters or body
            except (Exception, BaseExceptionGroup) as error:  # every operation runs; all failures reported together
                failures.append(f"{operation.label} ({mode.value}): {error}")
    return operations, cases, failures


def server_url(live_server) -> str:
    # "localhost" tries ::1 first on each connection, where the test server does not listen.
    return live_server.url.replace("localhost", "127.0.0.1")


def test_anonymous_requests_get_documented_answers(live_server, api_token):
    operations, cases, failures = fuzz(server_url(live_server), {})
    print(f"anonymous: {operations} operations, {cases} cases, {len(failures)} failing")
    assert operations >= 10
    assert not failures, "\n\n".join(failures)


def test_signed_in_requests_get_documented_answers(live_server, api_token):
    operations, cases, failures = fuzz(server_url(live_server), {"Authorization": f"Token {api_token}"})
    print(f"signed in: {operations} operations, {cases} cases, {len(failures)} failing")
    assert operations >= 10
    assert not failures, "\n\n".join(failures)
