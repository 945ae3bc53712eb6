"""Trimming the change log `person_changes`, so that it stays bounded, exactly.

The log (store/garden_changes.py) gains 1-3 rows a write, one a person on a PostgreSQL
import. One write transaction in `CHECK_ONE_IN`, at random, asks `trim_if_due` at its end
(one cheap statement: the log's newest id against the horizon's); past `TRIM_AT` rows above
the horizon, it deletes the oldest, at most `BATCH` at a time (a bounded pause, in the
writer's own transaction), keeping the newest `KEEP`. The horizon (`person_changes_horizon`,
one row, migration 0018) records how far: a reader whose position is behind it asks the log
in vain (`garden_changes.changed_since` says None, the reader judges the whole garden).
Readers read the horizon and the log in ONE statement, so they see a trim's deletion and its
horizon both or neither.

- SQLite: one writer; the log's ids grow in commit order. A trim deletes ids <= a cut and
  records it: a position whose log id is below the cut may lack rows. The newest `KEEP` rows
  stay, so the largest id never falls back (SQLite numbers a row max + 1: ids are not reused).
- PostgreSQL: a reader needs the rows whose transaction its snapshot did not see, all with
  `xid >= xmin(snapshot)`. A trim deletes rows with `xid < B`, B at most its own snapshot's
  xmin: every transaction below it has ended, so no row below B is written after the trim.
  A reader is exact when `xmin(its snapshot) >= B`, and judges whole otherwise. Two trimmers
  queue on the horizon's row (`FOR UPDATE`), so their deletions never cross.
- Citus: no triggers, no rows logged (position None): the log never grows past `TRIM_AT`.
"""

from __future__ import annotations

import random
import secrets
import sqlite3
from contextlib import suppress

from sqlalchemy import Connection, text
from sqlalchemy.exc import DBAPIError

KEEP = 20_000  # ten times what a kept judgement takes in (dashboard.CHANGED_AT_MOST people)
TRIM_AT = KEEP + 10_000  # rows above the horizon before a trim: one trim every ~10,000 rows
BATCH = 10_000  # rows a trim deletes at most: ~10-30 ms, the pause a writer may pay

CHECK_ONE_IN = 8  # writes that look whether a trim is due: 1 in 8 (the look costs 25-100 µs)

HORIZON = "person_changes_horizon"


def new_lineage() -> str:
    """A random name for a database's history (32 hex digits)."""
    return secrets.token_hex(16)


def renew_lineage(driver: sqlite3.Connection) -> None:
    """Give a SQLite file a new lineage (restored from a copy: its positions are not ours).

    Files from before migration 0018 have no horizon yet: migrating makes one, new.
    """
    exists = driver.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (HORIZON,)).fetchone()
    if exists:
        driver.execute(f"UPDATE {HORIZON} SET lineage = ?", (new_lineage(),))  # noqa: S608 - our name
        driver.commit()


_SQLITE_SIZE = text(
    "SELECT (SELECT COALESCE(MAX(id), 0) FROM person_changes), trimmed_id"
    " FROM person_changes_horizon"
)
_PG_SIZE = text(
    "SELECT (SELECT last_value FROM person_changes_id_seq), trimmed_id FROM person_changes_horizon"
)


def after_write(conn: Connection) -> None:
    """At the end of a write transaction: now and then, trim the log if it is due.

    One write in `CHECK_ONE_IN` looks (at random: a CLI process writes once), so the log
    overshoots `TRIM_AT` by a few writes' rows at most; each look is one statement.
    """
    if random.randrange(CHECK_ONE_IN) != 0:  # noqa: S311 - a sample, not a secret
        return
    # In a savepoint: a trim that fails (a lock timeout, say) must not fail the user's
    # write; the log is trimmed by a later one.
    with suppress(DBAPIError), conn.begin_nested():
        trim_if_due(conn)


def trim_if_due(conn: Connection, trim_at: int = TRIM_AT, keep: int = KEEP) -> bool:
    """Trim the log when it has grown past `trim_at` rows above the horizon; whether it did.

    In the caller's write transaction, at its end. `trim_at`/`keep` are for tests.
    """
    postgres = conn.dialect.name == "postgresql"
    found = conn.execute(_PG_SIZE if postgres else _SQLITE_SIZE).first()
    if found is None:  # no horizon row (a `metadata.create_all` database): positions are None
        return False
    newest, trimmed = int(found[0]), int(found[1])
    if newest - trimmed <= trim_at:
        return False
    end = _batch_end(conn, trimmed)
    # The newest `keep` rows stay: counted in rows, not ids (a sequence moves on past
    # rolled-back rows, so ids above the newest row's may never have been written).
    kept_from = _kept_from(conn, keep)
    if kept_from is None:  # fewer rows than `keep`: nothing to trim
        return False
    cut = kept_from - 1 if end is None else min(kept_from - 1, end)
    if cut <= trimmed:  # `keep` above `trim_at`: nothing to trim (the horizon never goes back)
        return False
    if postgres:
        _trim_postgres(conn, cut)
    else:
        conn.execute(text("DELETE FROM person_changes WHERE id <= :cut"), {"cut": cut})
        conn.execute(text("UPDATE person_changes_horizon SET trimmed_id = :cut"), {"cut": cut})
    return True


# The id BATCH rows past the horizon (ids may be sparse: a sequence moved on, rolled back).
_BATCH_END = text(
    "SELECT id FROM person_changes WHERE id > :trimmed ORDER BY id LIMIT 1 OFFSET :batch"
)


_KEPT_FROM = text("SELECT id FROM person_changes ORDER BY id DESC LIMIT 1 OFFSET :keep")


def _kept_from(conn: Connection, keep: int) -> int | None:
    """The id of the oldest of the newest `keep` rows; None if there are no more rows."""
    found = conn.execute(_KEPT_FROM, {"keep": keep - 1}).scalar()
    return None if found is None else int(found)


def _batch_end(conn: Connection, trimmed: int) -> int | None:
    found = conn.execute(_BATCH_END, {"trimmed": trimmed, "batch": BATCH - 1}).scalar()
    return None if found is None else int(found)  # None: fewer rows than a batch


_PG_LOCK = text("SELECT trimmed_id FROM person_changes_horizon FOR UPDATE")
# B: below every transaction still running (this snapshot's xmin) and below the rows kept.
_PG_BOUND = text(
    "SELECT LEAST(pg_snapshot_xmin(pg_current_snapshot())::text::bigint,"
    " (SELECT MIN(xid) FROM person_changes WHERE id > :cut))"
)
_PG_DELETE = text("DELETE FROM person_changes WHERE xid < :bound")
_PG_RECORD = text(
    "UPDATE person_changes_horizon SET trimmed_id = GREATEST(trimmed_id, :cut),"
    " trimmed_xid = GREATEST(trimmed_xid, :bound)"
)


def _trim_postgres(conn: Connection, cut: int) -> None:
    locked = conn.execute(_PG_LOCK).scalar_one()
    if int(locked) >= cut:  # another writer trimmed this far while we waited
        return
    # Rows above the cut exist (the kept ones), so their MIN(xid) bounds it too.
    bound = int(conn.execute(_PG_BOUND, {"cut": cut}).scalar_one())
    conn.execute(_PG_DELETE, {"bound": bound})
    conn.execute(_PG_RECORD, {"cut": cut, "bound": bound})
