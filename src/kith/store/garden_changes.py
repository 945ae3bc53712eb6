"""Which people of a garden changed since a reader last looked: the change log of `people`
and `person_facts`.

Every insert, update or delete of a row of either table logs the person's id in
`person_changes`, by trigger (made by migration 0017), so every write path is covered: the
app's writes, imports, merges, restores, a rebuild of the kept facts, raw SQL.

A reader reads a `position` BEFORE it reads the garden, and later asks which people changed
since that position (`changed_since`): everyone whose rows it may have read stale. Reading a
person again who had not changed is harmless; missing one is not, hence "before".

- SQLite: the log's rowid. One writer at a time, so rows are numbered in commit order:
  "id > position" is exact.
- PostgreSQL: transactions commit out of id order, so the position is the current snapshot
  (`pg_current_snapshot`, as `store/write_version.py` reasons) and the log carries each
  writer's transaction id: the changes since are those whose transaction the old snapshot
  did not see. Triggers are per statement with transition tables: a rebuild or an import
  logs its rows with one insert, not one per row.
- Citus: no triggers (Citus refuses to distribute tables that have them; `kith db
  distribute` drops them): `position` is None, the reader reads everything.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, text

LOGGED = (("people", "id"), ("person_facts", "person_id"))  # table, the person's column
_PREFIX = "person_changes_"
_SQLITE_EVENTS = ("insert", "update", "delete")


def _sqlite_triggers() -> list[str]:
    made = []
    for table, person in LOGGED:
        log = "INSERT INTO person_changes (account_id, person_id) VALUES ({row}.account_id, {row}.{p});"  # noqa: E501 - one statement reads best whole
        for event in _SQLITE_EVENTS:
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
                f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"  # noqa: S608 - our own names, no input
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


def _names() -> list[tuple[str, str]]:
    return [(f"{_PREFIX}{table}_{event}", table) for table, _ in LOGGED for event in _SQLITE_EVENTS]


def create_triggers(conn: Connection) -> None:
    """Log every change of `people` and `person_facts` (migration 0017)."""
    statements = _pg_triggers() if conn.dialect.name == "postgresql" else _sqlite_triggers()
    for statement in statements:
        conn.exec_driver_sql(statement)


def drop_triggers(conn: Connection) -> None:
    """No log any more (downgrade; Citus, which distributes no table with triggers)."""
    postgres = conn.dialect.name == "postgresql"
    for name, table in _names():
        conn.exec_driver_sql(
            f"DROP TRIGGER IF EXISTS {name}" + (f" ON {table}" if postgres else "")
        )
        if postgres:
            conn.exec_driver_sql(f"DROP FUNCTION IF EXISTS {name}()")


_SQLITE_POSITION = text(
    "SELECT (SELECT COALESCE(MAX(id), 0) FROM person_changes),"
    " (SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE :like)"
)
_PG_POSITION = text(
    "SELECT pg_current_snapshot()::text,"
    " (SELECT COUNT(*) FROM pg_trigger WHERE tgname LIKE :like"
    "  AND tgrelid IN ('people'::regclass, 'person_facts'::regclass)),"
    " EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus')"
)
_LIKE = {"like": _PREFIX.replace("_", r"\_") + "%"}
_SQLITE_LIKE = {"like": _PREFIX + "%"}  # LIKE's `_` matches itself too: the prefix is ours


def position(conn: Connection) -> int | str | None:
    """Where the log stands now; None when changes are not logged (read everything).

    Read it before reading the garden (see the module's docstring).
    """
    if conn.dialect.name == "postgresql":
        snapshot, triggers, citus = conn.execute(_PG_POSITION, _LIKE).one()
        return None if citus or triggers != len(_names()) else str(snapshot)
    last, triggers = conn.execute(_SQLITE_POSITION, _SQLITE_LIKE).one()
    return None if triggers != len(_names()) else int(last)


_SQLITE_CHANGED = text(
    "SELECT DISTINCT person_id FROM person_changes WHERE account_id = :account AND id > :since"
)
_PG_CHANGED = text(
    "SELECT DISTINCT person_id FROM person_changes WHERE account_id = :account"
    " AND xid >= pg_snapshot_xmin(CAST(:since AS pg_snapshot))::text::bigint"
    " AND NOT pg_visible_in_snapshot(xid::text::xid8, CAST(:since AS pg_snapshot))"
)


def changed_since(conn: Connection, account_id: int, since: int | str) -> Sequence[int]:
    """The account's people whose rows changed after `position` gave `since` (sorted)."""
    query = _PG_CHANGED if conn.dialect.name == "postgresql" else _SQLITE_CHANGED
    found = conn.execute(query, {"account": account_id, "since": since}).scalars()
    return sorted(int(person) for person in found)
