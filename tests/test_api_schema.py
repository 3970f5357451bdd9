"""The JSON API against its own OpenAPI schema, by schemathesis: no server error, no answer the schema
does not describe (status, content type, headers, body), on generated requests to every operation.

Bounded in time: a fixed number of examples per operation (REDLINE_SCHEMA_EXAMPLES, default 20) and
a short audit budget, so the whole run takes well under two minutes on two cores.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is a dev dependency: scripts/setup --dev")
from schemathesis import checks  # noqa: E402

from redline.claims.budget import Budget  # noqa: E402
from redline.web import create_app  # noqa: E402

TOKEN = "schema-token-51c2"
EXAMPLES = int(os.environ.get("REDLINE_SCHEMA_EXAMPLES", "20"))

# The conformance checks. Not positive_data_acceptance: a request may fit the schema and still be
# refused for what it means (an unknown entity, a year 0): that 422 is the documented answer.
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_headers_conformance,
    checks.response_schema_conformance,
]


@pytest.fixture(scope="module")
def api_schema(pack_file: Path, tmp_path_factory: pytest.TempPathFactory) -> object:
    db = tmp_path_factory.mktemp("schema") / "schema.duckdb"
    shutil.copy(pack_file, db)
    app = create_app(db, write_token=TOKEN, budget=Budget(seconds=5, max_claims=500))
    return schemathesis.openapi.from_asgi("/api/openapi.json", app)


def test_every_operation_conforms_to_the_schema(api_schema: object) -> None:
    failures: list[str] = []
    timings: dict[str, float] = {}
    for result in api_schema.get_all_operations():  # type: ignore[attr-defined]
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=os.environ.get("REDLINE_SCHEMA_RANDOM") is None,
                  suppress_health_check=list(HealthCheck))
        def call(case: object) -> None:
            case.call_and_validate(headers={"Authorization": f"Bearer {TOKEN}"}, checks=CHECKS)  # type: ignore[attr-defined]

        start = time.monotonic()
        try:
            call()
        except (Exception, BaseExceptionGroup) as exc:  # a FailureGroup per operation: collect all, report once
            failures.append(f"{operation.label}:\n{exc}")
        timings[operation.label] = time.monotonic() - start
    assert len(timings) >= 10, "the schema lost operations"
    assert not failures, "\n\n".join(failures)
