"""The store's error, in a module of its own so that catching it loads no database driver."""

from __future__ import annotations


class StoreError(RuntimeError):
    """The database cannot be opened or used; the message says which and why."""
