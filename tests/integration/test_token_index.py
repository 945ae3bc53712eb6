"""An API call finds its account by the token's hash through an index (migration 0018)."""

from __future__ import annotations

import pytest
from sqlalchemy import Connection, select
from sqlalchemy.exc import IntegrityError

from kith.app import credentials
from kith.app.garden import Garden
from kith.store import sessions
from kith.store.people import ensure_account
from kith.store.tables import accounts, members

INDEX = "ix_accounts_api_token_hash"


def _plan(conn: Connection, token_hash: str) -> str:
    # The lookup of store/member_auth.token_account, as the database would run it.
    query = (
        select(accounts.c.id)
        .select_from(accounts.join(members, members.c.account_id == accounts.c.id))
        .where(accounts.c.api_token_hash == token_hash, members.c.suspended.is_(False))
    )
    compiled = query.compile(conn, compile_kwargs={"literal_binds": True})
    if conn.dialect.name == "sqlite":
        rows = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}").all()
        return "\n".join(str(row[-1]) for row in rows)
    # A garden of a few accounts is read whole anyway: ask whether the index can serve.
    conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
    return "\n".join(str(row[0]) for row in conn.exec_driver_sql(f"EXPLAIN {compiled}").all())


def test_an_api_token_is_looked_up_by_the_index(garden: Garden) -> None:
    token = credentials.rotate_token(garden)
    with garden.reading() as conn:
        plan = _plan(conn, credentials.hash_token(token))
    assert INDEX in plan, plan


def test_two_accounts_cannot_hold_the_same_token_hash(garden: Garden) -> None:
    with garden.transaction() as conn:
        other = ensure_account(conn, "other")
        for account in (garden.account_id, other):
            assert sessions.api_token_hash(conn, account) is None  # NULLs may repeat
    same = credentials.hash_token("kith_the-same-token")
    with garden.transaction() as conn:
        sessions.set_api_token_hash(conn, garden.account_id, same)
    with pytest.raises(IntegrityError), garden.transaction() as conn:
        sessions.set_api_token_hash(conn, other, same)
