"""An import reads one moment of the garden on PostgreSQL.

One moment: an import judges its records from what it reads (the account's snapshot, read
once at the first batch of a re-import, then the look-ups of later batches). Under
PostgreSQL's default READ COMMITTED each statement sees its own moment, so a person another
connection edited or deleted meanwhile could be judged from a stale snapshot in one batch
and read afresh in the next (a merge into a person deleted since: a failed import). At
REPEATABLE READ every statement of the import sees the moment of its first one, as SQLite's
write transaction does (it holds the write lock throughout). Where that moment no longer
holds for a row the import writes (it updates a person, or adds a list to one, that another
transaction changed or deleted since), PostgreSQL refuses with a serialization failure (or,
for a key another transaction added since, such as the same email, a unique violation):
the import is rolled back whole and says so in one line (`ChangedMeanwhile`, a `TryAgain`:
the same command works when run again). An import that writes nothing commits as it is.

Not analysed: ANALYZE of the imported tables at the end of a 50,000-row import cost ~0.65 s
of server CPU (a third of the import's) and the re-import after it gained nothing (it reads
the account's snapshot, not look-ups the statistics would plan): docs/notes.md, branch imp.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection

from kith.store.errors import TryAgain

CHANGED_MESSAGE = (
    "the garden changed while this import read it (another write touched the same people);"
    " nothing was imported: run the import again"
)
_SERIALIZATION_FAILURE = "40001"  # SQLSTATE: another transaction changed or deleted the row
_UNIQUE_VIOLATION = "23505"
# A unique key another writer can add after the import's moment that the import adds too: a
# COPY reports that clash as a unique violation, not as 40001. The import's own dedup never
# writes an email it holds already; any other unique violation (a primary key) is a fault.
_KEYS_OTHERS_ADD = {"uq_person_emails_account_email"}


class ChangedMeanwhile(TryAgain):
    """A PostgreSQL import met a row another transaction changed after the import's moment."""

    def __init__(self) -> None:
        super().__init__(CHANGED_MESSAGE)


@contextmanager
def told_if_changed() -> Iterator[None]:
    """A serialization failure, or a clash on a key another writer added, raised in the
    block (a statement, a COPY, the commit) is `ChangedMeanwhile`; put it outside the
    transaction, so that it has rolled back."""
    try:
        yield
    except Exception as error:
        if _changed_meanwhile(error):
            raise ChangedMeanwhile() from None
        raise


@contextmanager
def one_moment(conn: Connection) -> Iterator[None]:
    """PostgreSQL: the transaction just begun reads one moment (REPEATABLE READ).

    Entered before the transaction's first statement; SQLite's write transaction already
    reads one moment.
    """
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
    yield


def _changed_meanwhile(error: BaseException) -> bool:
    """A driver error (raised as it is or wrapped by SQLAlchemy) that says another writer
    got there after the import's moment."""
    cause = getattr(error, "orig", None) or error
    state = getattr(cause, "sqlstate", None)
    if state == _SERIALIZATION_FAILURE:
        return True
    constraint = getattr(getattr(cause, "diag", None), "constraint_name", None)
    return state == _UNIQUE_VIOLATION and constraint in _KEYS_OTHERS_ADD
