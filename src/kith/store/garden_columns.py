"""The columns of a whole garden for the vectorised judgement: people joined to kept facts.

One query, one row per person, no history read: `core.garden_judgement` turns the columns
into arrays. Nothing is converted row by row in Python: numbers arrive with NULL as 0, dates
as the driver gives them (numpy parses a column at once), and the decayed sums as JSON text,
decoded in one call for the whole garden. When the
account's facts are not kept under the rules in force, there are no columns (None), and the
caller judges from the history instead.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from kith.core.garden_judgement import KEPT_DATES, KEPT_NUMBERS, GardenColumns
from kith.core.kept_facts import rules_key
from kith.core.model import PersonState
from kith.core.rules import Rules
from kith.store.kept_facts import kept_key
from kith.store.tables import facts_rules, people, person_facts

_CHUNK = 20_000  # ids per IN list: well under PostgreSQL's 65,535 bound parameters


def _day(column: Any) -> Any:
    # As the driver gives it (ISO text on SQLite, a date on PostgreSQL): numpy parses a whole
    # column at once, faster than SQLAlchemy's conversion row by row.
    return sa.type_coerce(column, sa.String)


def _zero(column: Any) -> Any:
    return sa.func.coalesce(column, 0)


def load_garden_columns(
    conn: sa.Connection,
    account_id: int,
    rules: Rules,
    states: Collection[PersonState] | None = None,
    *,
    sources: bool = False,
) -> GardenColumns | None:
    """The people of the account (in these states) with their kept facts, as columns.

    With `sources`, where each was met too (`met_where`, what the stats' funnel reads).
    """
    if kept_key(conn, account_id) != rules_key(rules):
        return None
    stmt = _select(sources).where(people.c.account_id == account_id)
    if states is not None:
        stmt = stmt.where(people.c.state.in_([str(s) for s in states]))
    return _columns(conn.execute(stmt).all(), sources)[0]


def load_people_columns(
    conn: sa.Connection, person_ids: Collection[int], rules: Rules
) -> tuple[GardenColumns, list[int], list[int]]:
    """These people, of any accounts whose facts are kept under `rules`, as columns.

    For the community's trust graph, which judges a few people in many gardens at once.
    Returns the columns, each row's account, and the ids left out (their account's facts are
    not kept under these rules: the caller judges them from the history).
    """
    wanted = sorted(set(person_ids))
    stmt = (
        _select(sources=False)
        .add_columns(people.c.account_id)
        .join(
            facts_rules,
            sa.and_(
                facts_rules.c.account_id == people.c.account_id,
                facts_rules.c.rules == rules_key(rules),
            ),
        )
    )
    rows = [
        row
        for start in range(0, len(wanted), _CHUNK)
        for row in conn.execute(
            stmt.where(one_of(conn, people.c.id, wanted[start : start + _CHUNK]))
        )
    ]
    columns, accounts = _columns(rows, sources=False, extra=1)
    found = set(columns.ids)
    return columns, [int(a) for a in accounts], [i for i in wanted if i not in found]


def one_of(conn: sa.Connection, column: Any, values: Sequence[Any]) -> Any:
    """`column IN values`; on PostgreSQL `= ANY(array)`, one parameter however many values.

    (An IN list of thousands of bound parameters costs more to convert than to run.)
    """
    if conn.dialect.name != "postgresql":
        return column.in_(values)
    return column == sa.any_(sa.bindparam(None, list(values), type_=postgresql.ARRAY(column.type)))


def _select(sources: bool) -> sa.Select[Any]:
    p, f = people.c, person_facts.c
    return sa.select(
        p.id,
        sa.case((p.state == str(PersonState.PRUNED), 1), else_=0),
        _day(p.met_on),
        _day(p.created_on),
        _day(p.birthday),
        _zero(p.cadence_days),
        sa.cast(f.decayed, sa.Text),
        *(_day(f[name]) for name in KEPT_DATES),
        *(_zero(f[name]) for name in KEPT_NUMBERS),
        p.met_where if sources else sa.null(),
    ).select_from(
        people.outerjoin(person_facts, sa.and_(f.account_id == p.account_id, f.person_id == p.id))
    )


def _columns(
    rows: Sequence[Any], sources: bool, extra: int = 0
) -> tuple[GardenColumns, Sequence[Any]]:
    """The rows as columns (and the first extra column after them, if any)."""
    width = 8 + len(KEPT_DATES) + len(KEPT_NUMBERS) + extra
    columns: list[tuple[Any, ...]] = list(zip(*rows, strict=True)) if rows else [()] * width
    ids, pruned, met_on, created_on, birthday, cadence, decayed, *kept, met_where = columns[
        : width - extra
    ]
    after = columns[width - extra] if extra else ()
    # One JSON document for the whole garden: a decode per row costs more than the query.
    sums = json.loads("[" + ",".join(text or "[]" for text in decayed) + "]")
    return GardenColumns(
        ids=ids,
        pruned=pruned,
        met_on=met_on,
        created_on=created_on,
        birthday=birthday,
        cadence_days=cadence,
        kept=dict(zip((*KEPT_DATES, *KEPT_NUMBERS), kept, strict=True)),
        decayed=sums,
        sources=met_where if sources else (),
    ), after
