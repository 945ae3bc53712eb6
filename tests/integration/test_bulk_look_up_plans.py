"""SQLite look-ups of people by a key column take that column's index (issue 11).

Asked for rows in id order, SQLite would rather read the whole account through the
`(account_id, id)` key than sort the few rows an index finds: `rows_with` keeps the order
off the plan. The rows and their order are the same (`rows_with` against SQLAlchemy).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any, cast

import pytest
from sqlalchemy import Column, select

from kith.app import importing
from kith.app.garden import Garden
from kith.store import bulk
from kith.store.tables import people
from tests.integration.test_import_fast_paths import linkedin

LINES: list[tuple[str, ...]] = [
    ("Ana", "Ruiz", "https://www.linkedin.com/in/a", "", "Acme", "CTO", ""),
    ("Jon", "Smith", "", "", "Acme", "", ""),
    ("Joan", "Kim", "", "", "Initech", "", ""),
]
BY_INDEX = [
    (people.c.name_key, ["jon smith", "ana ruiz"], "ix_people_account_name_key"),
    (people.c.company, ["Acme", "Initech"], "ix_people_account_company"),
    (people.c.vcard_uid, ["u1"], "ix_people_account_vcard_uid"),
]


@pytest.mark.parametrize(("column", "values", "index"), BY_INDEX)
def test_a_look_up_of_people_by_a_key_column_takes_its_index_and_keeps_id_order(
    sqlite_garden: Garden, tmp_path: Path, column: Column[Any], values: list[str], index: str
) -> None:
    importing.import_file(sqlite_garden, "linkedin", linkedin(tmp_path / "c.csv", LINES))
    account = sqlite_garden.account_id
    with sqlite_garden.engine.connect() as conn:
        driver = cast("sqlite3.Connection", conn.connection.dbapi_connection)
        statements: list[str] = []
        driver.set_trace_callback(statements.append)
        try:
            found = list(bulk.rows_with(conn, account, column, values, (people.c.id, column)))
        finally:
            driver.set_trace_callback(None)
        (sql,) = [s for s in statements if s.startswith("SELECT")]
        plan = " ".join(str(row[3]) for row in driver.execute(f"EXPLAIN QUERY PLAN {sql}"))
        expected = conn.execute(
            select(people.c.id, column)
            .where(people.c.account_id == account, column.in_(values))
            .order_by(people.c.id)
        ).all()
    assert index in plan
    assert [tuple(row) for row in found] == [tuple(row) for row in expected]
