"""A version of the garden's database that moves with every committed write, and only then.

`db.version` reads PostgreSQL's write-ahead log position, which moves with anything logged
anywhere in the cluster: checkpoints, vacuum, hint bits on checksummed pages, every write to
any database. Each move makes the web app judge the whole garden again (2-3 s on the 1x
garden) although nothing of the garden changed.

PostgreSQL's current snapshot (`xmin:xmax:in-progress xids`) changes only when a transaction
that writes starts or ends: a transaction that committed between two readings was either in
progress in the first (and is not in the second) or had no xid yet (and the second's xmax is
past it). So it never misses a commit, in any order of commits, and moves only with
transactions that write (still cluster-wide: another database's writes move it too).
Citus: writes through the coordinator need take no xid there, and land in the workers'
write-ahead logs, not the coordinator's (`db.version` missed them: a dashboard cached before a
write was served after it). The version there is every node's write-ahead log insert
position, which a committed write anywhere moves. Not `pg_current_wal_lsn()`: that is how far
the log has been written out, which with `synchronous_commit = off` lags a commit until the
WAL writer's next round (~200 ms), so a dashboard read just after a write kept the old key.
"""

from __future__ import annotations

from sqlalchemy import Engine, text

from kith.store import db

_READ = text(
    "SELECT pg_current_snapshot()::text,"
    " EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus')"
)


_NODES = text(
    "SELECT string_agg(nodeid::text || ':' || result, ',' ORDER BY nodeid)"
    " FROM run_command_on_all_nodes('SELECT pg_current_wal_insert_lsn()')"
)


def writes_version(engine: Engine) -> str:
    """Changes whenever anyone commits a write to the database (and, on PostgreSQL, only then)."""
    if engine.dialect.name != "postgresql":
        return db.version(engine)
    with engine.connect() as conn:
        snapshot, citus = conn.execute(_READ).one()
        if citus:
            return f"nodes {conn.execute(_NODES).scalar_one()}"
    return f"snapshot {snapshot}"
