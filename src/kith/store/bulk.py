"""Bulk reads and writes: a batch of rows in a few queries, whatever the database.

Reads go through an index in IN-lists of at most `CHUNK` values (`chunks`, `rows_with`,
`keyed`); writes insert plain tuples in as few round trips as the database allows
(`bulk_insert`), so an import of 20,000 people never works row by row.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING, Any, TypeVar, cast

from sqlalchemy import Column, ColumnElement, Connection, Integer, Table, insert, select, update
from sqlalchemy.dialects.sqlite import DATE as SQLiteDate

from kith.core.dedup import link_key, name_of, phone_of
from kith.core.identity import name_key
from kith.core.model import PersonDraft, TagKind
from kith.store import copy_behind
from kith.store.tables import people, person_emails, person_links, person_phones, tags

if TYPE_CHECKING:  # psycopg is loaded by the PostgreSQL engine, not by every command
    import sqlite3

    import psycopg

CHUNK = 900  # values per IN-list: under every driver's bound-parameter limit
T = TypeVar("T")


# A person's lists, as drafts and backups name them, and the list each kind of tag goes to.
LIST_NAMES = ("emails", "phones", "links", "interests", "needs", "offers")
TAG_LISTS = {TagKind.INTEREST: "interests", TagKind.NEED: "needs", TagKind.OFFER: "offers"}


def chunks(values: Iterable[T], size: int = CHUNK) -> Iterator[list[T]]:
    """`values` in lists of at most `size`, for IN-lists under the driver's limit."""
    batch: list[T] = []
    for value in values:
        batch.append(value)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def rows_with(
    conn: Connection,
    account_id: int | None,
    column: Column[Any],
    values: Sequence[Any],
    selected: tuple[Column[Any], ...],
    *,
    order: Column[Any] | None = None,
    named: bool = True,
) -> Iterable[Any]:  # rows: unpack them or read their columns by name
    """`selected` of the rows whose `column` is one of `values`, by `order` (the owner).

    `named` False: rows are only unpacked, so SQLite's need not be named tuples (a
    re-import reads a quarter of a million rows; making each a named tuple cost a second).

    `account_id` None: no account condition (`values` are people already checked).
    PostgreSQL looks each value up on its own through the index on `column`: inside an
    import's transaction its statistics still describe the garden before the import, so
    an IN-list would be planned as a scan of all the rows, batch after batch.
    """
    table = column.table
    if order is None:
        order = table.c.id if table is people else table.c.person_id
    dialect = conn.dialect.name
    if dialect == "sqlite":
        found = _sqlite_rows_with(conn, account_id, column, values, selected, order=order)
        if not named:
            return found
        return list(map(_row_type(tuple(c.name for c in selected))._make, found))
    if dialect != "postgresql":  # another database: SQLAlchemy's IN-list
        query = select(*selected).where(column.in_(values))
        if account_id is not None:
            query = query.where(table.c.account_id == account_id)
        return conn.execute(query.order_by(order))
    names = ", ".join(f'found."{c.name}"' for c in selected)
    inner = ", ".join(
        f'"{name}"' for name in dict.fromkeys([*(c.name for c in selected), order.name])
    )
    kind = "integer" if isinstance(column.type, Integer) else "text"
    mine = "" if account_id is None else " AND account_id = %(account)s"
    sql = (
        f"SELECT {names} FROM unnest(%(values)s::{kind}[]) AS wanted(value) CROSS JOIN LATERAL"  # noqa: S608 - schema names
        f' (SELECT {inner} FROM {table.name} WHERE "{column.name}" = wanted.value{mine})'
        f' AS found ORDER BY found."{order.name}"'
    )
    # fetched whole: iterating the result would fetch a row per call (psycopg's `fetchone`,
    # a fifth of a PostgreSQL re-import's client time, reading the account's people)
    return conn.exec_driver_sql(sql, {"values": list(values), "account": account_id}).all()


def _copy(conn: Connection, statement: str, rows: Sequence[tuple[Any, ...]]) -> None:
    """COPY `rows` in on the connection's own psycopg connection (so its transaction);
    behind the caller inside `copy_behind.behind`."""
    driver = cast("psycopg.Connection[Any]", conn.connection.dbapi_connection)

    def copy_rows() -> None:
        with driver.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)

    if not copy_behind.submit(conn, copy_rows):
        copy_rows()


def _sqlite_rows_with(
    conn: Connection,
    account_id: int | None,
    column: Column[Any],
    values: Sequence[Any],
    selected: tuple[Column[Any], ...],
    *,
    order: Column[Any],
) -> list[Any]:
    """`rows_with` on SQLite as one plain statement on the driver's cursor.

    No SQLAlchemy compile per IN-list of 900 values, nor a Row per row (a re-import spent
    a fifth of its time there). Values are converted as SQLAlchemy converts them (dates
    from ISO text), each distinct one once; rows are plain tuples.
    """
    table = column.table
    names = ", ".join(f'"{c.name}"' for c in selected)
    marks = ", ".join("?" for _ in values)
    mine = "" if account_id is None else " AND account_id = ?"
    sql = (
        f'SELECT {names} FROM {table.name} WHERE "{column.name}" IN ({marks}){mine}'  # noqa: S608 - schema names
        f" ORDER BY {_sqlite_order(column, order)}"
    )
    params = (*values, account_id) if account_id is not None else tuple(values)
    driver = cast("sqlite3.Connection", conn.connection.dbapi_connection)
    cursor = driver.cursor()
    try:
        found: list[Any] = cursor.execute(sql, params).fetchall()
    finally:
        cursor.close()
    dialect = conn.dialect
    processors = [c.type.dialect_impl(dialect).result_processor(dialect, None) for c in selected]
    if any(processors) and found:
        columns = list(zip(*found, strict=True))
        for n, process in enumerate(processors):
            if process is not None:
                columns[n] = _converted(columns[n], process)
        found = list(zip(*columns, strict=True))
    return found


def _sqlite_order(column: Column[Any], order: Column[Any]) -> str:
    """The ORDER BY of `_sqlite_rows_with`: by the table's own id, a `+` keeps it off the plan.

    Asked to return the rows in id order, SQLite reads the whole account through the
    `(account_id, id)` key rather than sort: 7.5 ms against 2 ms for 900 names of a 20,000
    person garden, more as it grows. `+id` sorts the rows the index on `column` finds. The
    order is the same either way: ids are unique. Left as it is when the look-up is by the
    account or the id themselves (that key is then the index to take).
    """
    quoted = f'"{order.name}"'
    by_key = column.name in ("id", "account_id")
    return f"+{quoted}" if order is column.table.c.id and not by_key else quoted


@lru_cache(maxsize=64)
def _row_type(names: tuple[str, ...]) -> Any:  # a named tuple class of these fields
    return namedtuple("Row", names, rename=True)


def keyed(
    conn: Connection,
    account_id: int,
    key: Column[Any],
    value: Column[Any],
    wanted: Collection[Any],
    *where: ColumnElement[bool],
) -> dict[Any, Any]:
    """`key` -> `value` of the account's rows whose `key` is wanted (and `where` holds)."""
    table = key.table
    found: dict[Any, Any] = {}
    for part in chunks(sorted(set(wanted))):
        query = select(key, value).where(table.c.account_id == account_id, key.in_(part), *where)
        found.update((k, v) for k, v in conn.execute(query))
    return found


_PEOPLE_COLUMNS = (
    "id", "account_id", "name", "name_key", "company", "title", "met_where", "met_on",
    "via_id", "note", "created_on", "source", "vcard_uid", "birthday",
)  # fmt: skip


def insert_people(
    conn: Connection, account_id: int, drafts: Sequence[PersonDraft], source: str, today: date
) -> list[int]:
    """Insert new people with all their details; their ids, in the order given."""
    if not drafts:
        return []
    rows = [
        (
            account_id, d.name, name_of(d.name), d.company, d.title, d.met_where, d.met_on,
            d.via_id, d.note, today, source, d.uid, d.birthday,
        )
        for d in drafts
    ]  # fmt: skip
    ids = _insert_people_rows(conn, rows)
    insert_details(conn, account_id, list(zip(ids, drafts, strict=True)))
    return ids


# A block of people ids in one query. The sequence is looked up once (an InitPlan): called
# per row, `pg_get_serial_sequence` cost ~3 µs of server time a person (0.15 s of a 50,000-row
# import's 1.5 s); one array, not a row per id, for the client to read.
_PG_TAKE_IDS = (
    "SELECT array_agg(nextval((SELECT pg_get_serial_sequence('people', 'id')::regclass)))"
    " FROM generate_series(1, %(n)s)"
)


def _insert_people_rows(conn: Connection, rows: list[tuple[Any, ...]]) -> list[int]:
    """Insert rows (`_PEOPLE_COLUMNS` but the id) into people; their ids, in order.

    The ids are taken first and the rows inserted with them, so pairing rows with ids never
    depends on the order a database returns them in. PostgreSQL hands out a block of the
    sequence in one query. SQLite gives the first row its id (which also takes SQLite's
    single write lock, so nobody else can insert meanwhile) and the rest follow on from it;
    an id that were taken anyway would fail the insert, never mislink.
    """
    dialect = conn.dialect.name
    if dialect == "postgresql":
        ids = sorted(conn.exec_driver_sql(_PG_TAKE_IDS, {"n": len(rows)}).scalar_one())
        bulk_insert(
            conn, people, _PEOPLE_COLUMNS, [(i, *r) for i, r in zip(ids, rows, strict=True)]
        )
        return ids
    if dialect != "sqlite":
        statement = insert(people).returning(people.c.id, sort_by_parameter_order=True)
        params = [dict(zip(_PEOPLE_COLUMNS[1:], row, strict=True)) for row in rows]
        return [int(i) for i in conn.execute(statement, params).scalars()]
    first_row = dict(zip(_PEOPLE_COLUMNS[1:], rows[0], strict=True))
    first = int(conn.execute(insert(people).returning(people.c.id), first_row).scalar_one())
    ids = list(range(first, first + len(rows)))
    bulk_insert(
        conn, people, _PEOPLE_COLUMNS, [(i, *r) for i, r in zip(ids[1:], rows[1:], strict=True)]
    )
    return ids


def bulk_insert(
    conn: Connection, table: Table, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]
) -> None:
    """Insert plain tuples in as few round trips as the database allows.

    SQLite: one `executemany` straight to the driver (no per-row statement work).
    PostgreSQL: COPY through psycopg, in the connection's transaction (it streams the rows
    and adapts them in C; building arrays for `unnest` spent longer than the server did).
    Other databases: SQLAlchemy's executemany.
    """
    if not rows:
        return
    names = ", ".join(f'"{table.c[c].name}"' for c in columns)  # only the table's own
    dialect = conn.dialect.name
    if dialect == "sqlite":
        marks = ", ".join("?" for _ in columns)
        rows = _bound(conn, table, columns, rows)
        sql = f"INSERT INTO {table.name} ({names}) VALUES ({marks})"  # noqa: S608 - schema names
        conn.exec_driver_sql(sql, list(rows))
    elif dialect == "postgresql":
        _copy(conn, f"COPY {table.name} ({names}) FROM STDIN", rows)
    else:
        conn.execute(insert(table), [dict(zip(columns, row, strict=True)) for row in rows])


def _bound(
    conn: Connection, table: Table, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]
) -> Sequence[tuple[Any, ...]]:
    """Rows as the driver stores them (SQLite: dates as ISO text), as SQLAlchemy would.

    Column by column, each distinct value converted once: an export holds a few thousand
    distinct dates over 50,000 rows.
    """
    dialect = conn.dialect
    types = [table.c[c].type.dialect_impl(dialect) for c in columns]
    processors = [impl.bind_processor(dialect) for impl in types]
    if not any(processors):
        return rows
    values = list(zip(*rows, strict=True))
    for n, process in enumerate(processors):
        if process is not None:
            values[n] = _converted(values[n], process, iso=_iso_dates(types[n]))
    return list(zip(*values, strict=True))


def _iso_dates(impl: Any) -> bool:
    """Whether the type stores a `date` as its `isoformat()` (SQLite's DATE by default)."""
    # SQLAlchemy's own attribute: the format its `process` applies
    return isinstance(impl, SQLiteDate) and impl._storage_format == SQLiteDate._storage_format


def _converted(values: tuple[Any, ...], process: Any, *, iso: bool = False) -> tuple[Any, ...]:
    """`values` through SQLAlchemy's `process`, each distinct one once; None stays None.

    One dict of the distinct values, then a C-level `map` over the column (a generator with
    a look-up per value: 0.21 s under cProfile for 50,000 people's dates, now 0.11 s). `iso`:
    a plain `date` is written as `process` writes it, `"%(year)04d-%(month)02d-%(day)02d"`,
    which is its `isoformat()` (C, without the dict `process` formats from); anything else
    (a `datetime`, a wrong type) still goes through `process`.
    """
    distinct = set(values)
    distinct.discard(None)
    if iso:
        done = {v: v.isoformat() if type(v) is date else process(v) for v in distinct}
    else:
        done = {v: process(v) for v in distinct}
    done[None] = None
    return tuple(map(done.__getitem__, values))


def insert_details(
    conn: Connection, account_id: int, items: Sequence[tuple[int, PersonDraft]]
) -> None:
    """Add each draft's emails, phones, links and tags to its person, in one insert each."""
    a = account_id
    emails = [(a, p, e) for p, d in items for e in d.emails]
    phones = [(a, p, ph, phone_of(ph) or ph) for p, d in items for ph in d.phones]
    links = [(a, p, u, link_key(u)) for p, d in items for u in d.links]
    tag_rows = [
        (a, p, kind.value, value)
        for p, d in items
        if d.interests or d.needs or d.offers  # most imported people have no tags
        for kind, name in TAG_LISTS.items()
        for value in getattr(d, name)
    ]
    bulk_insert(conn, person_emails, ("account_id", "person_id", "email"), emails)
    bulk_insert(conn, person_phones, ("account_id", "person_id", "phone", "phone_key"), phones)
    bulk_insert(conn, person_links, ("account_id", "person_id", "url", "url_key"), links)
    bulk_insert(conn, tags, ("account_id", "person_id", "kind", "value"), tag_rows)


_COLUMNS = {
    "company": "company",
    "title": "title",
    "met_where": "met_where",
    "met_on": "met_on",
    "note": "note",
    "uid": "vcard_uid",
    "via_id": "via_id",
    "birthday": "birthday",
    "name": "name",
}


def update_fields(
    conn: Connection, account_id: int, changes: Mapping[int, Mapping[str, object]]
) -> None:
    """Write changed draft fields (`company`, `uid`, ...) to their people, one UPDATE each."""
    for person_id, values in changes.items():
        columns = {_COLUMNS[name]: value for name, value in values.items() if name in _COLUMNS}
        if "name" in columns:
            columns["name_key"] = name_key(str(columns["name"]))
        if columns:
            conn.execute(
                update(people)
                .where(people.c.account_id == account_id, people.c.id == person_id)
                .values(**columns)
            )


# The tables an import writes. While a bulk load fills them from empty, their secondary
# indexes are built once at the end instead of row by row (`loading`).
LOADED = (people, person_emails, person_phones, person_links, tags)


@contextmanager
def loading(conn: Connection) -> Iterator[None]:
    """A bulk load (an import) runs in this block of the connection's write transaction.

    SQLite, and nobody in `people` at all: the secondary indexes of the tables an import
    writes are dropped here and made again from their own SQL, in their order, as the
    block ends (one sorted build, not 50,000 b-tree inserts each). Only this transaction
    sees them gone: SQLite's DDL is transactional, readers keep their snapshot, and a
    rollback (a dry run, a failure) brings them back with everything else. The unique keys
    (foreign keys' parents, emails) are constraints, never dropped. An import into an empty
    garden looks nothing up by these indexes (a merge across batches reads its people by
    key, their lists by a scan). Anywhere else (people stored, PostgreSQL): nothing changes.
    """
    if conn.dialect.name != "sqlite" or _anyone_stored(conn):
        yield
        return
    dropped = _drop_secondary_indexes(conn)
    # Kept now: after an interrupt SQLAlchemy hands it out no more (and rolls back).
    driver = cast("sqlite3.Connection", conn.connection.dbapi_connection)
    try:
        yield
    finally:
        # Not in a transaction: SQLite rolled back by itself, the indexes with it. An
        # invalidated connection (Ctrl-C mid-statement) is rolled back and closed.
        if not conn.invalidated and driver.in_transaction:
            for sql in dropped:
                conn.exec_driver_sql(sql)


def _anyone_stored(conn: Connection) -> bool:
    return conn.execute(select(people.c.id).limit(1)).first() is not None


def _drop_secondary_indexes(conn: Connection) -> list[str]:
    """Drop the loaded tables' own indexes; their CREATE statements, in schema order.

    Made again in that order, each table's indexes keep their order in the schema (the
    order SQLite's planner meets them in) and their very SQL.
    """
    names = [t.name for t in LOADED]
    marks = ", ".join("?" for _ in names)
    found = conn.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"  # noqa: S608 - marks only
        f" AND tbl_name IN ({marks}) ORDER BY rowid",
        tuple(names),
    ).all()
    for name, _ in found:
        conn.exec_driver_sql(f'DROP INDEX "{name}"')
    return [sql for _, sql in found]
