"""The store: SQLAlchemy tables and queries, Alembic migrations.

`Connection` (one transaction's handle) and `Engine` are named here so that the app layer
passes them from store function to store function without speaking SQL itself. They load on
first use: importing `kith.store.errors` (as the CLI does) must not load SQLAlchemy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine

__all__ = ["Connection", "Engine"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        import sqlalchemy  # noqa: PLC0415 - only when the app first names the type

        return getattr(sqlalchemy, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
