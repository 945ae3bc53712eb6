"""PostgreSQL: an import's COPYs run behind it, while it reads and judges the next batch.

An import alternates: the client parses and judges a batch (Python), then the server inserts
it (indexes, foreign-key checks, the change log's triggers), each waiting for the other: a
fresh import of 50,000 rows spends ~1.2 s on each side, one after the other. Inside
`behind(conn)` the COPYs go to one thread of their own, in the order they were asked for,
on the same connection (so the same transaction), and the caller goes on at once. Every
other statement on the connection first waits for them (a `before_cursor_execute`
listener), and so does leaving the block, so nothing is read or committed that a COPY has
not finished writing. The rows written, their order and the transaction are those of the
synchronous COPYs; only the waiting moves. A COPY's failure leaves the block as the
driver's own error, as a COPY waited for raises it (not wrapped by SQLAlchemy, whose
statement it interrupted).

SQLite and other databases: nothing changes (their inserts are not COPYs).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor, wait
from contextlib import contextmanager, suppress
from typing import Any

from sqlalchemy import Connection, event

_KEY = "kith_copy_behind"  # in Connection.info, while a block runs


class CopyFailed(Exception):
    """A COPY behind failed: raised through the statement that waited for it (SQLAlchemy
    passes a non-driver error on as it is), turned back into the driver's error as the block
    is left."""

    def __init__(self, error: BaseException) -> None:
        super().__init__(str(error))
        self.error = error


class _Behind:
    """The COPYs asked for and not yet waited for, on a thread of their own."""

    def __init__(self, driver: Any) -> None:
        self.driver = driver  # psycopg's connection: to cancel a COPY on the server
        self.thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kith-copy")
        self.pending: list[Future[None]] = []
        self.failed: BaseException | None = None

    def submit(self, copy: Callable[[], None]) -> None:
        self.pending.append(self.thread.submit(copy))

    def drain(self) -> None:
        """Wait for every COPY asked for; raise the first failure as CopyFailed, at this
        wait and at every later one (the rest fail too, in a transaction already aborted):
        a caller that went on past it must not reach a commit that would silently roll back.

        Interrupted while waiting (Ctrl-C), the COPY is cancelled on the server and waited
        for first: SQLAlchemy then closes the connection, which must not be in use.
        """
        try:
            wait(self.pending)
        except BaseException:
            self.stop(cancel=True)
            raise
        done, self.pending = self.pending, []
        for future in done:
            error = future.exception()
            if error is not None and self.failed is None:
                self.failed = error
        if self.failed is not None:
            raise CopyFailed(self.failed)

    def stop(self, *, cancel: bool) -> None:
        """Nothing left running: COPYs not begun never run, a running one is cancelled
        on the server (`cancel`) or finished, and the thread ends."""
        for future in self.pending:
            future.cancel()  # not begun: never begins
        if cancel and not all(future.done() for future in self.pending):
            with suppress(Exception):  # the COPY ends either way, failed or done
                self.driver.cancel_safe()
        wait(self.pending)
        self.thread.shutdown()


def submit(conn: Connection, copy: Callable[[], None]) -> bool:
    """Run `copy` behind the caller if a `behind` block is open on `conn`; whether it is."""
    running: _Behind | None = conn.info.get(_KEY)
    if running is None:
        return False
    running.submit(copy)
    return True


@contextmanager
def behind(conn: Connection) -> Iterator[None]:
    """COPYs on `conn` (PostgreSQL) run behind the block's other work (see above)."""
    if conn.dialect.name != "postgresql" or _KEY in conn.info:
        yield
        return
    # Both kept now: after an interrupt SQLAlchemy hands neither out again.
    info = conn.info
    running = _Behind(conn.connection.dbapi_connection)

    def first_wait(*_: Any) -> None:
        running.drain()

    info[_KEY] = running
    event.listen(conn, "before_cursor_execute", first_wait)
    try:
        yield
        running.drain()
    except CopyFailed as failed:
        raise failed.error from None
    except BaseException:
        running.stop(cancel=True)  # the transaction rolls back: stop what still writes
        raise
    finally:
        event.remove(conn, "before_cursor_execute", first_wait)
        info.pop(_KEY, None)
        running.stop(cancel=False)  # after a failure of the block's own: nothing left running
