"""The stats' context in SQL == counting the plain records in Python (SQLite, PostgreSQL).

`reports._context` reads the mirror's counts (`aggregates.my_asks_and_gifts`, against
`mirror.count_mirror`) and the people seeded per day and before the first week
(`aggregates.people_per_day`, `people_before`) from the store. Random gardens: people met or
not, added on any day, exchanges both ways and asks on days around today (future ones too).
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from datetime import date, timedelta

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kith.core.mirror import count_mirror
from kith.core.model import Ask, Direction, Exchange
from kith.core.rules import Rules
from kith.store import aggregates, tables
from tests.integration._facts_db import engine
from tests.integration.test_facts_sql import new_account

__all__ = ["engine"]  # the shared fixture (tests/integration/_facts_db.py)

TODAY = date(2025, 6, 15)
day = st.integers(min_value=-400, max_value=20).map(lambda n: TODAY + timedelta(days=n))
person = st.tuples(st.none() | day, day)  # met_on, created_on
exchange = st.tuples(st.integers(0, 5), day, st.sampled_from(Direction))
ask = st.tuples(st.integers(0, 5), day, st.booleans())


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(person, min_size=1, max_size=6),
    st.lists(exchange, max_size=12),
    st.lists(ask, max_size=6),
    st.integers(min_value=1, max_value=60),
    st.integers(min_value=1, max_value=30),
)
def test_the_context_counts_what_the_records_hold(  # noqa: PLR0917 - hypothesis draws
    engine: sa.Engine,
    people: list[tuple[date | None, date]],
    exchanges: list[tuple[int, date, Direction]],
    asks: list[tuple[int, date, bool]],
    mirror_days: int,
    weeks_back: int,
) -> None:
    rules = Rules(mirror_days=mirror_days)
    with engine.begin() as conn:
        account = new_account(conn)
        ids = [_person(conn, account, met, added) for met, added in people]
        gifts = [Exchange(ids[i % len(ids)], on, way, "help") for i, on, way in exchanges]
        mine = [Ask(ids[i % len(ids)], on, "a favour", pitch=pitch) for i, on, pitch in asks]
        for row in gifts:
            conn.execute(sa.insert(tables.exchanges).values(account_id=account, **_row(row)))
        for one in mine:
            conn.execute(sa.insert(tables.asks).values(account_id=account, **_row(one)))
        start = TODAY - timedelta(days=mirror_days)
        want = dataclasses.asdict(count_mirror(mine, gifts, TODAY, rules))
        del want["days"]
        assert aggregates.my_asks_and_gifts(conn, account, start, TODAY) == want

        since = TODAY - timedelta(weeks=weeks_back)
        first = since - timedelta(days=since.weekday())
        seeded = [met or added for met, added in people]
        per_day = Counter(d for d in seeded if since <= d <= TODAY)
        before = sum(d < first for d in seeded)
        assert aggregates.people_per_day(conn, account, since, TODAY) == per_day
        assert aggregates.people_before(conn, account, first) == before


def _person(conn: sa.Connection, account: int, met: date | None, added: date) -> int:
    values = {"account_id": account, "name": "Ann", "name_key": "ann"}
    result = conn.execute(sa.insert(tables.people).values(**values, met_on=met, created_on=added))
    key = result.inserted_primary_key
    assert key is not None  # an INSERT of one row always has its key
    return int(key.id)


def _row(record: Exchange | Ask) -> dict[str, object]:
    row = dataclasses.asdict(record)
    del row["id"]
    return row
