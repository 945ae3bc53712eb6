"""Schemathesis against /openapi.json: no server error, every response matches its schema.

Bounded for CI: a few examples per operation, on a demo garden served by uvicorn.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import APIOperation
from schemathesis.core.errors import InvalidSchema
from schemathesis.core.result import Err, Ok
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from kith.app.demo import load_demo
from kith.app.garden import open_garden
from kith.settings import Settings
from tests.conftest import TODAY
from tests.integration.test_api_actions import Served, serve

EXAMPLES = 12  # per operation: a few seconds each, so CI stays fast
CHECKS = [
    schemathesis.checks.not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def fuzz_site(sqlite_url: str, tmp_path: Path) -> Iterator[Served]:
    opened = open_garden(Settings(database_url=sqlite_url), TODAY)
    load_demo(opened)
    opened.engine.dispose()
    yield from serve(sqlite_url, tmp_path)


def _operation(
    result: Ok[APIOperation[Any, Any, Any, Any]] | Err[InvalidSchema],
) -> APIOperation[Any, Any, Any, Any]:
    """The operation, or the schema error that kept schemathesis from reading it."""
    if isinstance(result, Err):
        raise result.err()
    return result.ok()


def test_the_api_survives_fuzzing(fuzz_site: Served) -> None:
    """Each operation in turn (schemathesis's pytest loader does not fit a server fixture)."""
    schema = schemathesis.openapi.from_url(f"{fuzz_site.url}/openapi.json")
    headers = {"Authorization": f"Bearer {fuzz_site.token}"}
    operations = [_operation(result) for result in schema.get_all_operations()]
    assert len(operations) >= 30  # every action of the CLI but maildir capture

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        )
        def fuzz(case: schemathesis.Case[Any]) -> None:
            case.call_and_validate(base_url=fuzz_site.url, headers=headers, checks=CHECKS)

        fuzz()
