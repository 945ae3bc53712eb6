"""`column IN (values)` for any number of values, as one statement.

An IN list of thousands of bound parameters costs more to convert than to run, and SQLite
refuses more than its limit (32,766): PostgreSQL takes the values as one array parameter,
SQLite past one list as one JSON array it unpacks itself (`json_each`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from kith.store.bulk import CHUNK


def one_of(conn: sa.Connection, column: Any, values: Sequence[int | str]) -> Any:
    """The condition `column IN values`, one parameter however many values (ints or strs)."""
    if conn.dialect.name == "postgresql":
        array = sa.bindparam(None, list(values), type_=postgresql.ARRAY(column.type))
        return column == sa.any_(array)
    if len(values) <= CHUNK:
        return column.in_(values)
    unpacked: sa.Select[tuple[Any]] = sa.select(sa.literal_column("value")).select_from(
        sa.func.json_each(sa.bindparam(None, json.dumps(list(values)), type_=sa.String))
    )
    return column.in_(unpacked.scalar_subquery())
