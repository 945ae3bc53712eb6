"""The columns of a whole garden for the vectorised judgement: people joined to kept facts.

One query, one row per person, no history read: `core.garden_judgement` turns the columns
into arrays. Nothing is converted row by row in Python: numbers arrive with NULL as 0.

- SQLite: dates as ISO text (numpy parses a column at once, faster than julianday in SQL),
  the decayed sums as JSON text, decoded in one call for the whole garden.
- PostgreSQL: the database does the converting, where it is cheap: dates as day ordinals
  (`date - date`, NULL as `NO_DAY`), each decayed sum as a float column, every value as an
  8-byte number; the whole garden is read with one `COPY ... (FORMAT BINARY)` straight into
  a numpy record array (psycopg would otherwise build ~30 Python objects per person).

When the account's facts are not kept under the rules in force, there are no columns (None),
and the caller judges from the history instead.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from kith.core.garden_judgement import KEPT_DATES, KEPT_NUMBERS, NO_DAY, GardenColumns
from kith.core.kept_facts import rules_key
from kith.core.model import PersonState
from kith.core.rules import Rules
from kith.store.kept_facts import kept_key
from kith.store.tables import facts_rules, people, person_facts

_CHUNK = 20_000  # ids per IN list: well under PostgreSQL's 65,535 bound parameters


_DAY_ONE = date(1, 1, 1)  # ordinal 1


def _day(column: Any, postgres: bool) -> Any:
    if postgres:  # the day ordinal (date.toordinal), NO_DAY for none
        ordinal = column - sa.literal(_DAY_ONE, sa.Date) + 1
        return sa.func.coalesce(sa.cast(ordinal, sa.BigInteger), NO_DAY)
    # ISO text as SQLite holds it: numpy parses a whole column at once, faster than
    # SQLAlchemy's conversion row by row.
    return sa.type_coerce(column, sa.String)


def _number(column: Any, postgres: bool) -> Any:
    zero = sa.func.coalesce(column, 0)
    return sa.cast(zero, sa.Float(53)) if postgres else zero  # 8 bytes each for COPY


def _int(column: Any, postgres: bool) -> Any:
    return sa.cast(column, sa.BigInteger) if postgres else column


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
    postgres = _postgres(conn)
    mine = people.c.account_id == account_id
    if states is not None:
        mine = sa.and_(mine, people.c.state.in_([str(s) for s in states]))
    if postgres:
        return _copied(conn, _select(rules, postgres).where(mine), mine if sources else None)
    stmt = _select(rules, postgres, met_where=sources).where(mine)
    return _columns(conn.execute(stmt).all(), rules, postgres, sources)[0]


def load_people_columns(
    conn: sa.Connection, person_ids: Collection[int], rules: Rules
) -> tuple[GardenColumns, list[int], list[int]]:
    """These people, of any accounts whose facts are kept under `rules`, as columns.

    For the community's trust graph, which judges a few people in many gardens at once.
    Returns the columns, each row's account, and the ids left out (their account's facts are
    not kept under these rules: the caller judges them from the history).
    """
    wanted = sorted(set(person_ids))
    postgres = _postgres(conn)
    stmt = (
        _select(rules, postgres, met_where=False)
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
    columns, accounts = _columns(rows, rules, postgres, sources=False, extra=1)
    found = set(columns.ids)
    return columns, [int(a) for a in accounts], [i for i in wanted if i not in found]


def one_of(conn: sa.Connection, column: Any, values: Sequence[Any]) -> Any:
    """`column IN values`; on PostgreSQL `= ANY(array)`, one parameter however many values.

    (An IN list of thousands of bound parameters costs more to convert than to run.)
    """
    if not _postgres(conn):
        return column.in_(values)
    return column == sa.any_(sa.bindparam(None, list(values), type_=postgresql.ARRAY(column.type)))


def _postgres(conn: sa.Connection) -> bool:
    return conn.dialect.name == "postgresql"


def _select(rules: Rules, postgres: bool, *, met_where: bool = False) -> sa.Select[Any]:
    """One row per person; on PostgreSQL every column an 8-byte number (see `_copied`)."""
    p, f = people.c, person_facts.c
    if postgres:  # one float column per half-life, 0 where there is no kept row
        decayed = [
            sa.func.coalesce(sa.cast(f.decayed[i].as_string(), sa.Float(53)), 0.0)
            for i in range(len(rules.half_lives))
        ]
    else:
        decayed = [sa.cast(f.decayed, sa.Text)]
    return sa.select(
        _int(p.id, postgres),
        _int(sa.case((p.state == str(PersonState.PRUNED), 1), else_=0), postgres),
        _day(p.met_on, postgres),
        _day(p.created_on, postgres),
        _day(p.birthday, postgres),
        _int(sa.func.coalesce(p.cadence_days, 0), postgres),
        *(_day(f[name], postgres) for name in KEPT_DATES),
        *(_number(f[name], postgres) for name in KEPT_NUMBERS),
        *decayed,
        *([p.met_where] if met_where else []),
    ).select_from(
        people.outerjoin(person_facts, sa.and_(f.account_id == p.account_id, f.person_id == p.id))
    )


_FIXED = 6 + len(KEPT_DATES) + len(KEPT_NUMBERS)  # the columns before the decayed sums


def _columns(
    rows: Sequence[Any], rules: Rules, postgres: bool, sources: bool, extra: int = 0
) -> tuple[GardenColumns, Sequence[Any]]:
    """The rows as columns (and the first extra column after them, if any)."""
    sums = len(rules.half_lives) if postgres else 1
    width = _FIXED + sums + int(sources) + extra
    columns: list[tuple[Any, ...]] = list(zip(*rows, strict=True)) if rows else [()] * width
    fixed, decayed = columns[:_FIXED], columns[_FIXED : _FIXED + sums]
    after = columns[_FIXED + sums + int(sources) :]
    if postgres:  # one tuple of floats per person
        per_person: Sequence[Sequence[float]] = list(zip(*decayed, strict=True))
    else:  # one JSON document for the whole garden: a decode per row costs more than the query
        per_person = json.loads("[" + ",".join(text or "[]" for text in decayed[0]) + "]")
    met_where = columns[_FIXED + sums] if sources else ()
    return _garden_columns(fixed, per_person, met_where), after[0] if extra else ()


def _garden_columns(
    fixed: Sequence[Sequence[Any]], decayed: Any, met_where: Sequence[str | None]
) -> GardenColumns:
    ids, pruned, met_on, created_on, birthday, cadence, *kept = fixed
    return GardenColumns(
        ids=ids,
        pruned=pruned,
        met_on=met_on,
        created_on=created_on,
        birthday=birthday,
        cadence_days=cadence,
        kept=dict(zip((*KEPT_DATES, *KEPT_NUMBERS), kept, strict=True)),
        decayed=decayed,
        sources=met_where,
    )


# COPY's binary format (PostgreSQL docs, "COPY", Binary Format): a 19-byte header (signature,
# flags, extension length 0), then per row a 2-byte field count and per field a 4-byte length
# and the value, big-endian; a 2-byte -1 ends it. Every column here is a non-NULL 8-byte
# number, so every row has the same layout and numpy reads them all at once.
_COPY_HEADER = 19
_COPY_TRAILER = 2
_INTS = 6 + len(KEPT_DATES)  # id, pruned, three dates, cadence, the kept dates: int8


def _copied(
    conn: sa.Connection, stmt: sa.Select[Any], sources_of: Any | None
) -> GardenColumns:
    """PostgreSQL: the garden's columns by one binary COPY, with `met_where` if asked."""
    import numpy as np

    stmt = stmt.order_by(people.c.id)  # the order `met_where` is read in too
    width = len(stmt.selected_columns)
    layout = [("count", ">i2")]
    for n in range(width):
        layout += [(f"size{n}", ">i4"), (f"v{n}", ">i8" if n < _INTS else ">f8")]
    sql = stmt.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True})
    with conn.connection.driver_connection.cursor() as cursor:  # type: ignore[union-attr]
        with cursor.copy(f"COPY ({sql}) TO STDOUT (FORMAT BINARY)") as copy:
            data = b"".join(copy)
    dtype = np.dtype(layout)
    rows = np.frombuffer(
        data, dtype, (len(data) - _COPY_HEADER - _COPY_TRAILER) // dtype.itemsize, _COPY_HEADER
    )
    if not ((rows["count"] == width).all() and all((rows[f"size{n}"] == 8).all() for n in range(width))):
        raise RuntimeError("COPY gave rows of another layout than the garden's columns")
    values = [rows[f"v{n}"].astype(np.int64 if n < _INTS else np.float64) for n in range(width)]
    decayed = np.column_stack(values[_FIXED:]) if values[_FIXED:] else np.zeros((len(rows), 0))
    met_where: Sequence[str | None] = ()
    if sources_of is not None:
        where = sa.select(people.c.met_where).where(sources_of).order_by(people.c.id)
        met_where = conn.execute(where).scalars().all()
    return _garden_columns(values[:_FIXED], decayed, met_where)
