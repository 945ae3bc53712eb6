"""The columns of a whole garden for the vectorised judgement: people joined to kept facts.

One query, one row per person, no history read: `core.garden_judgement` turns the columns
into arrays. Nothing is converted row by row in Python: numbers arrive with NULL as 0.

- SQLite: through the driver's own cursor (no SQLAlchemy row per person);
  dates as ISO text, `NO_ISO_DAY` for none (numpy reads a column of same-width text as one
  byte array, faster than julianday in SQL); the decayed sums as their JSON text without
  brackets, which numpy parses for the whole garden in one call.
- PostgreSQL: the database does the converting, where it is cheap: dates as day ordinals
  (`date - date`, NULL as `NO_DAY`), and each person's numbers and decayed sums sent as
  one binary value (`int8send`, `float8send`, `array_send`), which numpy reads for the
  whole garden at once: no Python object per value (see `_fetched`).

When the account's facts are not kept under the rules in force, there are no columns (None),
and the caller judges from the history instead.
"""

from __future__ import annotations

import functools
from collections.abc import Collection, Sequence
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from kith.core.garden_judgement import (
    KEPT_DATES,
    KEPT_NUMBERS,
    NO_DAY,
    NO_ISO_DAY,
    GardenColumns,
    iso_day_table,
)
from kith.core.kept_facts import rules_key
from kith.core.model import PersonState
from kith.core.rules import Rules
from kith.store.kept_facts import kept_key
from kith.store.sql_lists import one_of
from kith.store.tables import facts_rules, people, person_facts

_CHUNK = 20_000  # ids per IN list: well under PostgreSQL's 65,535 bound parameters


_DAY_ONE = date(1, 1, 1)  # ordinal 1


def _day(column: Any, postgres: bool) -> Any:
    if postgres:  # the day ordinal (date.toordinal), NO_DAY for none
        ordinal = column - sa.literal(_DAY_ONE, sa.Date) + 1
        return sa.func.coalesce(sa.cast(ordinal, sa.BigInteger), NO_DAY)
    # ISO text as SQLite holds it, NO_ISO_DAY for none: numpy reads a whole column of
    # same-width text at once, faster than julianday in SQL or a conversion row by row.
    return sa.func.coalesce(sa.type_coerce(column, sa.String), NO_ISO_DAY)


def _number(column: Any, postgres: bool) -> Any:
    zero = sa.func.coalesce(column, 0)
    return sa.cast(zero, sa.Float(53)) if postgres else zero  # one float array (_fetched)


def _sums(decayed: Any, postgres: bool) -> Any:
    """The decayed sums' JSON array without its brackets ("1.5, 0.25, 2.0"), NULL for none.

    (An empty array counts as none, as `scores.strength` reads it: no decayed weight.)

    PostgreSQL's `->>` would reparse the JSON for each sum; numpy parses them all at once.
    """
    text = sa.cast(decayed, sa.Text)
    if postgres:
        inside = sa.func.btrim(text, "[]")
    else:
        inside = sa.func.substr(text, 2, sa.func.length(text) - 2)
    return sa.func.nullif(inside, "")  # "[]" (no sums kept) reads as none: zeros


def _int(column: Any, postgres: bool) -> Any:
    return sa.cast(column, sa.BigInteger) if postgres else column


def load_garden_columns(
    conn: sa.Connection,
    account_id: int,
    rules: Rules,
    states: Collection[PersonState] | None = None,
    *,
    sources: bool = False,
    ids: Sequence[int] | None = None,
) -> GardenColumns | None:
    """The people of the account (in these states) with their kept facts, as columns.

    With `sources`, where each was met too (`met_where`, what the stats' funnel reads).
    With `ids`, only those people (the ones of them still in the account).
    """
    if kept_key(conn, account_id) != rules_key(rules):
        return None
    wanted = None if states is None else tuple(sorted(str(s) for s in states))
    by_ids = ids is not None
    if _postgres(conn):
        sql = _with_ids(
            _garden_sql(conn.dialect, account_id, wanted, sources, len(rules.half_lives), by_ids),
            ids,
        )
        return _fetched(conn, rules, sql, sources)
    driver = conn.connection.driver_connection
    # Through the driver's own cursor: SQLAlchemy's rows cost a tenth of the read here.
    sql = _with_ids(_packed_sql(conn.dialect, account_id, wanted, sources, by_ids), ids)
    packed = _packed(driver.execute(sql).fetchall())  # type: ignore[union-attr]
    if packed is not None:
        return _packed_columns(packed, rules, sources)[0]
    sql = _with_ids(_sqlite_sql(conn.dialect, account_id, wanted, sources, by_ids), ids)
    rows = driver.execute(sql).fetchall()  # type: ignore[union-attr]
    return _columns(rows, rules, sources)[0]


# Where the ids go in a query built once with `by_ids` (`_with_ids`): whole numbers only.
_IDS = "/* kith ids */"


def _by_ids(by_ids: bool) -> Any:
    return sa.text(f"people.id IN ({_IDS})") if by_ids else sa.true()


def _with_ids(sql: str, ids: Sequence[int] | None) -> str:
    """The query built once, with these ids in place (ints, so nothing to escape)."""
    if ids is None:
        return sql
    if sql.count(_IDS) != 1:
        raise RuntimeError("the garden query has no single place for its ids")
    return sql.replace(_IDS, ",".join(str(int(i)) for i in ids) or "NULL")


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
        (_select(postgres, met_where=False) if postgres else _packed_select(sources=False))
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
    packed = None if postgres else _packed(rows)
    if packed is not None:
        columns, accounts = _packed_columns(packed, rules, sources=False, extra=1)
    else:
        columns, accounts = _columns(rows, rules, sources=False, extra=1)
    found = {int(i) for i in columns.ids}
    return columns, [int(a) for a in accounts], [i for i in wanted if i not in found]


def _postgres(conn: sa.Connection) -> bool:
    return conn.dialect.name == "postgresql"


def _select(postgres: bool, *, met_where: bool = False) -> sa.Select[Any]:
    """One row per person; on PostgreSQL every column an 8-byte number (see `_fetched`)."""
    p, f = people.c, person_facts.c
    return sa.select(
        _int(p.id, postgres),
        _int(sa.case((p.state == str(PersonState.PRUNED), 1), else_=0), postgres),
        _day(p.met_on, postgres),
        _day(p.created_on, postgres),
        _day(p.birthday, postgres),
        _int(sa.func.coalesce(p.cadence_days, 0), postgres),
        *(_day(f[name], postgres) for name in KEPT_DATES),
        *(_number(f[name], postgres) for name in KEPT_NUMBERS),
        _sums(f.decayed, postgres),
        *([p.met_where] if met_where else []),
    ).select_from(
        people.outerjoin(person_facts, sa.and_(f.account_id == p.account_id, f.person_id == p.id))
    )


_FIXED = 6 + len(KEPT_DATES) + len(KEPT_NUMBERS)  # the numbers, before the decayed sums


def _columns(
    rows: Sequence[Any], rules: Rules, sources: bool, extra: int = 0
) -> tuple[GardenColumns, Sequence[Any]]:
    """The rows as columns (and the first extra column after them, if any)."""
    width = _FIXED + 1 + int(sources) + extra
    columns: list[tuple[Any, ...]] = list(zip(*rows, strict=True)) if rows else [()] * width
    after = columns[_FIXED + 1 + int(sources) :]
    met_where = columns[_FIXED + 1] if sources else ()
    fixed, decayed = columns[:_FIXED], _decoded(columns[_FIXED], len(rules.half_lives))
    return _garden_columns(fixed, decayed, met_where), after[0] if extra else ()


def _decoded(decayed: Sequence[str | None], width: int) -> Any:
    """The decayed sums (`_sums`: `width` numbers each, or None) as an n × width array.

    numpy parses the numbers of the whole garden in one call, twice as fast as one JSON
    document and far faster than PostgreSQL's `->>`, which reparses the JSON for each sum.
    """
    import numpy as np

    zeros = ",".join(["0"] * width)  # no kept row yet
    text = ",".join([zeros if t is None else t for t in decayed])
    sums = np.fromstring(text, dtype=np.float64, sep=",") if decayed else np.zeros(0)
    if sums.size != len(decayed) * width:
        raise RuntimeError("the kept decayed sums have another width than the rules' half-lives")
    return sums.reshape(len(decayed), width)


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


_INTS = 6 + len(KEPT_DATES)  # id, pruned, three dates, cadence, the kept dates: whole numbers


def _fetched(conn: sa.Connection, rules: Rules, sql: str, sources: bool) -> GardenColumns:
    """PostgreSQL: the garden's numbers as one binary value per person, read by numpy at once.

    Each person's numbers are sent as one bytea of big-endian int8 and float8 values
    (`int8send`, `float8send`) followed by the decayed sums as a float8 array (`array_send`),
    which numpy reads for the whole garden without parsing. Reading ~30 numbers per person
    as values (a Python object each, then an array) cost twice the query.
    """
    import numpy as np

    width = len(rules.half_lives)
    with conn.connection.driver_connection.cursor() as cursor:  # type: ignore[union-attr]
        cursor.execute(sql, binary=True)  # bytea as bytes, not hex to decode
        rows = cursor.fetchall()
    blobs, met_where = zip(*rows, strict=True) if rows else ((), ())
    layout = [(f"v{n}", ">i8" if n < _INTS else ">f8") for n in range(_FIXED)]
    # array_send's form of a one-dimensional float8 array without NULLs: dimensions, has-NULLs
    # flag, element type, length, lower bound; then each element's length and value.
    layout += [(name, ">i4") for name in ("ndim", "nulls", "type", "length", "lower")]
    layout += [(f"{part}{n}", kind) for n in range(width) for part, kind in _ELEMENT]
    table = np.frombuffer(b"".join(blobs), np.dtype(layout))
    sizes = [table[f"size{n}"] for n in range(width)]
    if len(table) and not (
        (table["ndim"] == 1).all()
        and (table["length"] == width).all()
        and all((size == 8).all() for size in sizes)  # a float8's 8 bytes
    ):
        raise RuntimeError("the kept decayed sums have another width than the rules' half-lives")
    kinds = [np.int64 if n < _INTS else np.float64 for n in range(_FIXED)]
    arrays: list[Any] = [table[f"v{n}"].astype(kind) for n, kind in enumerate(kinds)]
    sums = np.column_stack([table[f"sum{n}"].astype(np.float64) for n in range(width)])
    return _garden_columns(arrays, sums.reshape(len(table), width), met_where if sources else ())


_ELEMENT = (("size", ">i4"), ("sum", ">f8"))


def _mine(account_id: int, states: Any) -> Any:
    mine = people.c.account_id == account_id
    return mine if states is None else sa.and_(mine, people.c.state.in_(states))


# SQLite: each person's whole numbers as one text ("id,pruned,cadence,..."), their dates as one
# text of fixed-width ISO days, and the few real numbers as values: six Python objects a person
# instead of thirty, which is most of the read (`_packed_columns`).
_WHOLE = tuple(name for name in KEPT_NUMBERS if not name.startswith("evidence"))
_REAL = tuple(name for name in KEPT_NUMBERS if name.startswith("evidence"))
_DATES = 3 + len(KEPT_DATES)  # met_on, created_on, birthday, then the kept dates


def _packed_select(sources: bool) -> sa.Select[Any]:
    """SQLite: one row per person, its values packed (see above)."""
    p, f = people.c, person_facts.c
    whole = [p.id, sa.case((p.state == str(PersonState.PRUNED), 1), else_=0)]
    whole += [_zero(p.cadence_days), *(_zero(f[name]) for name in _WHOLE)]
    dates = [p.met_on, p.created_on, p.birthday, *(f[name] for name in KEPT_DATES)]
    return sa.select(
        sa.func.printf(",".join(["%d"] * len(whole)), *whole),
        functools.reduce(lambda a, b: a.op("||")(b), [_day(d, False) for d in dates]),
        *(_zero(f[name]) for name in _REAL),
        _sums(f.decayed, postgres=False),
        p.met_where if sources else sa.null(),
    ).select_from(
        people.outerjoin(person_facts, sa.and_(f.account_id == p.account_id, f.person_id == p.id))
    )


@functools.lru_cache(maxsize=32)
def _packed_sql(dialect: Any, account_id: int, states: Any, sources: bool, by_ids: bool) -> str:
    """The SQLite query of `load_garden_columns`, values inlined, built once."""
    stmt = _packed_select(sources).where(_mine(account_id, states), _by_ids(by_ids))
    return str(stmt.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))


def _zero(column: Any) -> Any:
    return sa.func.coalesce(column, 0)


def _packed(rows: Sequence[Any]) -> Sequence[Any] | None:
    """The packed rows, or None when a date is not ISO text of the same width (read plainly)."""
    width = _DATES * len(NO_ISO_DAY)
    if not rows or not all(len(row[1]) == width for row in rows):
        return None
    return rows


def _packed_columns(
    rows: Sequence[Any], rules: Rules, sources: bool, extra: int = 0
) -> tuple[GardenColumns, Sequence[Any]]:
    """The packed rows as columns (and the first extra column after them, if any)."""
    import numpy as np

    whole_text, dates_text, *reals = zip(*rows, strict=True)
    after = reals[len(reals) - extra :] if extra else []
    reals = reals[: len(reals) - extra]
    met_where = reals.pop()
    decayed = reals.pop()
    whole = np.fromstring(",".join(whole_text), dtype=np.int64, sep=",").reshape(len(rows), -1)
    dates = iso_day_table("".join(dates_text).encode("ascii"), _DATES)
    number = dict(zip(_WHOLE, whole[:, 3:].T, strict=True))
    number.update(zip(_REAL, (np.array(r, dtype=np.float64) for r in reals), strict=True))
    kept = [*dates[:, 3:].T, *(number[name] for name in KEPT_NUMBERS)]
    # ids as Python ints: callers bind them in SQL, and SQLite's driver takes no numpy ints.
    fixed = [whole[:, 0].tolist(), whole[:, 1], *dates[:, :3].T, whole[:, 2], *kept]
    sums = _decoded(decayed, len(rules.half_lives))
    columns = _garden_columns(fixed, sums, met_where if sources else ())
    return columns, after[0] if extra else ()


@functools.lru_cache(maxsize=32)
def _sqlite_sql(dialect: Any, account_id: int, states: Any, sources: bool, by_ids: bool) -> str:
    """The SQLite query of `load_garden_columns`, values inlined, built once."""
    where = (_mine(account_id, states), _by_ids(by_ids))
    stmt = _select(postgres=False, met_where=sources).where(*where)
    return str(stmt.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))


@functools.lru_cache(maxsize=32)
def _garden_sql(  # noqa: PLR0917 - the query's parts, all cache keys
    dialect: Any, account_id: int, states: Any, sources: bool, width: int, by_ids: bool
) -> str:
    """The PostgreSQL query of `_fetched`, values inlined, built once (it costs ~20 ms)."""
    mine = sa.and_(_mine(account_id, states), _by_ids(by_ids))
    values = list(_select(postgres=True).where(mine).add_columns(people.c.met_where).subquery().c)
    sums = sa.cast(sa.func.string_to_array(values[_FIXED], ","), postgresql.ARRAY(sa.Float(53)))
    zeros = sa.cast(sa.literal("{" + ",".join(["0"] * width) + "}"), postgresql.ARRAY(sa.Float(53)))
    packed: list[Any] = [
        sa.func.int8send(v) if n < _INTS else sa.func.float8send(v)
        for n, v in enumerate(values[:_FIXED])
    ]
    packed.append(sa.func.array_send(sa.func.coalesce(sums, zeros)))
    numbers = functools.reduce(lambda a, b: a.op("||")(b), packed)
    stmt = sa.select(numbers, values[_FIXED + 1] if sources else sa.null())
    return str(stmt.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
