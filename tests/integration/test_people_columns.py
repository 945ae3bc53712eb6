"""The columns of people across gardens (the community's trust graph) == each garden's own.

`load_people_columns` reads chosen people of many accounts at once; each row must be what
`load_garden_columns` gives for that person in their own garden, on SQLite and PostgreSQL,
and the people of a garden kept under other rules are left out for the Python rules.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kith.core.garden_judgement import GardenColumns
from kith.core.rules import Rules
from kith.store.garden_columns import load_garden_columns, load_people_columns
from tests.integration._facts_db import engine
from tests.integration.test_garden_judgement import make_garden, writes
from tests.integration.test_garden_judgement import rules as any_rules

__all__ = ["engine"]  # the shared fixture (tests/integration/_facts_db.py)


def by_person(columns: GardenColumns) -> dict[int, tuple[Any, ...]]:
    return {
        int(pid): (
            columns.pruned[i],
            columns.met_on[i],
            columns.created_on[i],
            columns.birthday[i],
            columns.cadence_days[i],
            tuple(columns.kept[name][i] for name in sorted(columns.kept)),
            tuple(columns.decayed[i]),
        )
        for i, pid in enumerate(columns.ids)
    }


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    first=st.lists(writes, min_size=3, max_size=15),
    second=st.lists(writes, min_size=3, max_size=15),
    rules=any_rules,
)
def test_people_of_many_gardens_load_as_in_their_own_garden(
    engine: sa.Engine, *, first: list[Any], second: list[Any], rules: Rules
) -> None:
    a = make_garden(engine, first, [], rules)
    b = make_garden(engine, second, [], rules)
    others = dataclasses.replace(rules, trust_half_life=rules.trust_half_life + 1)
    other = make_garden(engine, first, [], others)
    with engine.connect() as conn:
        own: dict[int, GardenColumns] = {}
        for account in (a, b):
            columns = load_garden_columns(conn, account, rules)
            assert columns is not None  # kept under these rules
            own[account] = columns
        elsewhere = load_garden_columns(conn, other, others)
        assert elsewhere is not None
        ids = [*own[a].ids, *own[b].ids, *elsewhere.ids]
        together, accounts, left = load_people_columns(conn, ids, rules)
    assert by_person(together) == by_person(own[a]) | by_person(own[b])
    assert dict(zip(together.ids, accounts, strict=True)) == {
        **dict.fromkeys(own[a].ids, a),
        **dict.fromkeys(own[b].ids, b),
    }
    assert sorted(left) == sorted(elsewhere.ids)  # kept under other rules: judged in Python
