"""Property-based test of the whole API from its OpenAPI document: no input makes it fail with 5xx.

Schemathesis generates requests for every operation (valid and invalid
bodies, parameters, uploads of random bytes) and checks that none is
answered with a server error, and that answers conform to the documented
status codes and schemas. Requests carry a department key, so the write
paths run through the ingest too.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from tests.api.conftest import KeyFor, app_for, bearer
from xinyong.config import Settings
from xinyong.keys.model import Role

EXAMPLES = 40
LIMITS = {"api_rate_per_second": 10_000.0, "api_rate_burst": 10_000}


@pytest.fixture
def api_schema(node_settings: Settings, now: datetime) -> Iterator[schemathesis.BaseSchema]:
    app = app_for(node_settings.model_copy(update=LIMITS), now)
    with TestClient(app):  # runs the lifespan: the app opens its node
        yield schemathesis.openapi.from_asgi("/api/openapi.json", app)


CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]


def test_no_request_is_answered_with_a_server_error(
    api_schema: schemathesis.BaseSchema, key_for: KeyFor
) -> None:
    # One Hypothesis run per operation, inside one test: the schema comes from a
    # fixture (an app over this test's store), which schemathesis' pytest
    # plugin cannot parametrise over with this pytest.
    headers = bearer(key_for(Role.DEPARTMENT))
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 7

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
        )
        def run(case: schemathesis.Case) -> None:
            case.call_and_validate(headers=headers, checks=CHECKS)

        run()
