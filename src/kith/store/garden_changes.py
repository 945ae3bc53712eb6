"""Which people of a garden changed since a reader last looked: the change log of `people`
and `person_facts`.

Every insert, update or delete of a row of either table logs the person's id in
`person_changes`, by trigger (made by migration 0017), so every write path is covered: the
app's writes, imports, merges, restores, a rebuild of the kept facts, raw SQL.

A reader reads a `position` BEFORE it reads the garden, and later asks which people changed
since that position (`changed_since`): everyone whose rows it may have read stale. Reading a
person again who had not changed is harmless; missing one is not, hence "before".

- SQLite: the log's rowid, and the largest id of `people`. One writer at a time, so rows
  are numbered in commit order: "id > position" is exact. New people are not logged there:
  a row trigger makes SQLite open a statement journal for every row inserted, which cost
  ~40 µs a row of an import's `executemany` (20,000 people: 0.2 s -> 1.1 s). New rowids
  are above the largest id (`max + 1`; an id freed by a delete after the position can be
  used again, but then the delete is logged), so "people with an id above the position's"
  finds them.
- PostgreSQL: transactions commit out of id order, so the position is the current snapshot
  (`pg_current_snapshot`, as `store/write_version.py` reasons) and the log carries each
  writer's transaction id: the changes since are those whose transaction the old snapshot
  did not see. Triggers are per statement with transition tables: a rebuild or an import
  logs its rows with one insert, not one per row.
- Trimmed (store/change_log_trim.py): a position behind the trimmed horizon, or of another
  database (`lineage`), gets None from `changed_since`: the reader reads everything.
- Citus: no triggers (Citus refuses to distribute tables that have them; `kith db
  distribute` drops them): `position` is None, the reader reads everything.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, text

LOGGED = (("people", "id"), ("person_facts", "person_id"))  # table, the person's column
_PREFIX = "person_changes_"
_SQLITE_EVENTS = ("insert", "update", "delete")


def _sqlite_events(table: str) -> tuple[str, ...]:
    # New people are found by their ids (see above); their kept facts are logged.
    return _SQLITE_EVENTS[1:] if table == "people" else _SQLITE_EVENTS


def _sqlite_triggers() -> list[str]:
    made = []
    for table, person in LOGGED:
        log = "INSERT INTO person_changes (account_id, person_id) VALUES ({row}.account_id, {row}.{p});"  # noqa: E501 - one statement reads best whole
        for event in _sqlite_events(table):
            row = "OLD" if event == "delete" else "NEW"
            body = log.format(row=row, p=person)
            if event == "update":  # a row moved to another person or account: log both
                body += (
                    f" INSERT INTO person_changes (account_id, person_id)"
                    f" SELECT OLD.account_id, OLD.{person}"
                    f" WHERE OLD.account_id IS NOT NEW.account_id"
                    f" OR OLD.{person} IS NOT NEW.{person};"
                )
            made.append(
                f"CREATE TRIGGER {_PREFIX}{table}_{event} AFTER {event.upper()} ON {table}"
                f" FOR EACH ROW BEGIN {body} END"
            )
    return made


# PostgreSQL: one function per table and kind of transition (new rows, old rows, both).
_PG_ROWS = {
    "new": "SELECT account_id, {person} FROM new_rows",
    "old": "SELECT account_id, {person} FROM old_rows",
    "both": "SELECT account_id, {person} FROM new_rows"
    " UNION SELECT account_id, {person} FROM old_rows",
}
_PG_EVENTS = (("insert", "new"), ("delete", "old"), ("update", "both"))
_PG_REFERENCING = {
    "new": "NEW TABLE AS new_rows",
    "old": "OLD TABLE AS old_rows",
    "both": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
}


def _pg_triggers() -> list[str]:
    made = []
    for table, person in LOGGED:
        for event, rows in _PG_EVENTS:
            name = f"{_PREFIX}{table}_{event}"
            select = _PG_ROWS[rows].format(person=person)
            made.append(
                # The schema it is made in, whatever the writer's search_path (pg_restore's
                # script empties it).
                f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql"  # noqa: S608 - our own names, no input
                f" SET search_path FROM CURRENT AS $$ BEGIN"
                f" INSERT INTO person_changes (account_id, person_id, xid)"
                f" SELECT DISTINCT changed.*, pg_current_xact_id()::text::bigint"
                f" FROM ({select}) AS changed;"
                f" RETURN NULL; END $$"
            )
            made.append(
                f"CREATE TRIGGER {name} AFTER {event.upper()} ON {table}"
                f" REFERENCING {_PG_REFERENCING[rows]}"
                f" FOR EACH STATEMENT EXECUTE FUNCTION {name}()"
            )
    return made


def _names(postgres: bool) -> list[tuple[str, str]]:
    return [
        (f"{_PREFIX}{table}_{event}", table)
        for table, _ in LOGGED
        for event in (_SQLITE_EVENTS if postgres else _sqlite_events(table))
    ]


def create_triggers(conn: Connection) -> None:
    """Log every change of `people` and `person_facts` (migration 0017)."""
    statements = _pg_triggers() if conn.dialect.name == "postgresql" else _sqlite_triggers()
    for statement in statements:
        conn.exec_driver_sql(statement)


def drop_triggers(conn: Connection) -> None:
    """No log any more (downgrade; Citus, which distributes no table with triggers)."""
    postgres = conn.dialect.name == "postgresql"
    for name, table in _names(postgres=True):  # every name either might have
        conn.exec_driver_sql(
            f"DROP TRIGGER IF EXISTS {name}" + (f" ON {table}" if postgres else "")
        )
        if postgres:
            conn.exec_driver_sql(f"DROP FUNCTION IF EXISTS {name}()")


_SQLITE_POSITION = text(
    "SELECT (SELECT COALESCE(MAX(id), 0) FROM person_changes),"
    " (SELECT COALESCE(MAX(id), 0) FROM people),"
    " (SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE :like),"
    " (SELECT lineage FROM person_changes_horizon)"
)
_PG_POSITION = text(
    "SELECT pg_current_snapshot()::text,"
    " (SELECT COUNT(*) FROM pg_trigger WHERE tgname LIKE :like"
    "  AND tgrelid IN ('people'::regclass, 'person_facts'::regclass)),"
    " EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus'),"
    " (SELECT lineage FROM person_changes_horizon)"
)
_LIKE = {"like": _PREFIX.replace("_", r"\_") + "%"}
_SQLITE_LIKE = {"like": _PREFIX + "%"}  # LIKE's `_` matches itself too: the prefix is ours


@dataclass(frozen=True)
class Position:
    """Where the log stood: in which database's history (`lineage`, random: a file restored
    under a reader is another), PostgreSQL's snapshot or SQLite's last logged row and
    largest person id."""

    lineage: str
    at: str | tuple[int, int]


def position(conn: Connection) -> Position | None:
    """Where the log stands now; None when changes are not logged (read everything).

    Read it before reading the garden (see the module's docstring).
    """
    if conn.dialect.name == "postgresql":
        snapshot, triggers, citus, lineage = conn.execute(_PG_POSITION, _LIKE).one()
        if citus or triggers != len(_names(postgres=True)) or lineage is None:
            return None
        return Position(str(lineage), str(snapshot))
    logged, person, triggers, lineage = conn.execute(_SQLITE_POSITION, _SQLITE_LIKE).one()
    if triggers != len(_names(postgres=False)) or lineage is None:
        return None
    return Position(str(lineage), (int(logged), int(person)))


# The horizon and the changes in one statement, so in one moment: a trim committed between
# two statements could delete rows the second would miss (store/change_log_trim.py).
_SQLITE_CHANGED = text(
    "SELECT horizon.lineage = :lineage AND horizon.trimmed_id <= :logged, changed.person_id"
    " FROM person_changes_horizon AS horizon LEFT JOIN ("
    "  SELECT person_id FROM person_changes WHERE account_id = :account AND id > :logged"
    "  UNION SELECT id FROM people WHERE account_id = :account AND id > :person"
    " ) AS changed ON 1"
)
_PG_CHANGED = text(
    "SELECT horizon.lineage = :lineage AND horizon.trimmed_xid"
    "  <= pg_snapshot_xmin(CAST(:since AS pg_snapshot))::text::bigint, changed.person_id"
    " FROM person_changes_horizon AS horizon LEFT JOIN ("
    "  SELECT DISTINCT person_id FROM person_changes WHERE account_id = :account"
    "  AND xid >= pg_snapshot_xmin(CAST(:since AS pg_snapshot))::text::bigint"
    "  AND NOT pg_visible_in_snapshot(xid::text::xid8, CAST(:since AS pg_snapshot))"
    " ) AS changed ON true"
)


def changed_since(
    conn: Connection, account_id: int, since: Position, now: Position
) -> Sequence[int] | None:
    """The account's people whose rows changed after `since` (sorted), `now` read before this.

    None when the log cannot tell: another database (lineage), the SQLite log went back, or
    it was trimmed past `since` (store/change_log_trim.py). Then read everything.
    """
    values: dict[str, object] = {"account": account_id, "lineage": since.lineage}
    if since.lineage != now.lineage:
        return None
    if isinstance(since.at, str):
        rows = conn.execute(_PG_CHANGED, {**values, "since": since.at}).all()
    elif isinstance(now.at, tuple) and now.at >= since.at:
        at = {"logged": since.at[0], "person": since.at[1]}
        rows = conn.execute(_SQLITE_CHANGED, {**values, **at}).all()
    else:
        return None
    if not rows or not all(exact for exact, _ in rows):
        return None
    return sorted({int(person) for _, person in rows if person is not None})
