"""schemathesis against the operator API with an operator staff token: every generated request,
valid or not, gets a documented answer and never a server error (tests/test_api_fuzz.py covers
the anonymous and citizen cases of every operation)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode, openapi

from citizens.actions import api_token_issue
from operators.tests.conftest import routed_report
from operators.tests.factories import operator_with_staff
from tests.test_api_fuzz import CHECKS, FUZZ_SETTINGS, server_url

PREFIX = "/api/v1/operator/"


@pytest.fixture
def operator_token(transactional_db, citizen):
    kring, staff = operator_with_staff("kring")
    zoom, _zoom_staff = operator_with_staff("zoom")
    for operator in (kring, kring, zoom):
        routed_report(citizen, operator)
    return api_token_issue(user=staff, for_staff=False)[1]


def test_an_operator_token_gets_documented_answers(live_server, operator_token):
    base_url = server_url(live_server)
    schema = openapi.from_url(f"{base_url}/api/schema/")
    operations, failures = 0, []
    for result in schema.get_all_operations():
        operation = result.ok()
        if not operation.path.startswith(PREFIX):
            continue
        operations += 1
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @FUZZ_SETTINGS
            def run(case):
                case.call_and_validate(
                    base_url=base_url, headers={"Authorization": f"Token {operator_token}"}, checks=CHECKS
                )

            try:
                run()
            except Unsatisfiable:
                pass
            except (Exception, BaseExceptionGroup) as error:
                failures.append(f"{operation.label} ({mode.value}): {error}")
    assert operations == 4
    assert not failures, "\n\n".join(failures)
