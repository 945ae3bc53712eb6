"""Schemathesis over the whole API of a group server, as two members in turn.

Ana fuzzes every operation with her token, then Bob with his: no answer is a server error,
and nothing Ana's fuzzing sends changes a row of Bob's garden (read before and after).
Bounded for CI: a few examples per operation.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from tests.integration._isolation import MARKERS, plant_bobs_garden, rows_of
from tests.integration._members import Group, Member, make_group
from tests.integration._web import settings_for
from tests.integration.test_api_actions import Served, serve
from tests.integration.test_api_fuzz import CHECKS, _operation

pytestmark = pytest.mark.postgres
EXAMPLES = 6  # per operation and member: the whole API twice in about a minute


@pytest.fixture
def group_site(postgres_url: str, tmp_path: Path) -> Iterator[tuple[Served, Group]]:
    group = make_group(settings_for(postgres_url, tmp_path), "ana", "bob", "carl")
    for site in serve(postgres_url, tmp_path):
        with httpx.Client(base_url=site.url, timeout=30) as api:
            plant_bobs_garden(group.settings, api, group.members["bob"])
        yield site, group


def _fuzz(site: Served, member: Member) -> None:
    schema = schemathesis.openapi.from_url(f"{site.url}/openapi.json")
    headers = {"Authorization": f"Bearer {member.token}"}
    operations = [_operation(result) for result in schema.get_all_operations()]
    assert len(operations) >= 30

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        )
        def fuzz(case: schemathesis.Case[Any]) -> None:
            answer = case.call_and_validate(base_url=site.url, headers=headers, checks=CHECKS)
            if member.login != "bob":
                text = answer.content.decode("utf-8", "replace").lower()
                assert not [m for m in MARKERS if m in text], (case.path, case.method)

        fuzz()


def test_two_members_fuzzing_the_api_get_no_server_error_and_ana_never_changes_bobs_garden(
    group_site: tuple[Served, Group],
) -> None:
    site, group = group_site
    bob = group.members["bob"]
    before = rows_of(group.settings, bob.account_id)
    _fuzz(site, group.members["ana"])
    assert rows_of(group.settings, bob.account_id) == before
    _fuzz(site, bob)
