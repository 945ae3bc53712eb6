"""The store's error, in a module of its own so that catching it loads no database driver."""

from __future__ import annotations


class StoreError(RuntimeError):
    """The database cannot be opened or used; the message says which and why."""


BUSY_MESSAGE = "the garden is busy with another write; try again in a moment"


DISK_FULL_MESSAGE = "the disk is full: nothing was written; free some space and try again"


class DiskFull(StoreError):
    """The database could not grow: its disk (or quota) is full; the action was rolled back."""

    def __init__(self) -> None:
        super().__init__(DISK_FULL_MESSAGE)


class TryAgain(StoreError):
    """The garden cannot be reached or written just now; the same request may work soon."""

    retry_after = 5  # seconds: what the web tells a client to wait (Retry-After)


class GardenBusy(TryAgain):
    """Another write held the garden for longer than a write waits (SQLite only)."""

    def __init__(self) -> None:
        super().__init__(BUSY_MESSAGE)


UNAVAILABLE_MESSAGE = "the database is not answering (restarting or unreachable); try again soon"


class DatabaseUnavailable(TryAgain):
    """The database server went away mid-request or refuses connections (PostgreSQL)."""

    def __init__(self) -> None:
        super().__init__(UNAVAILABLE_MESSAGE)
