"""Web login sessions, the login password and the API token, as rows.

Every query on `web_sessions`, and on the account's two secrets (stored as hashes only).

Times are naive UTC datetimes (SQLite keeps no zone; PostgreSQL's `timestamp` the same).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, delete, insert, or_, select, update

from kith.store.tables import accounts, web_sessions


def insert_session(
    conn: Connection, account_id: int, token_hash: str, now: datetime, expires: datetime
) -> None:
    conn.execute(
        insert(web_sessions).values(
            account_id=account_id, token_hash=token_hash, created_at=now, expires_at=expires
        )
    )


def is_live(conn: Connection, account_id: int, token_hash: str, now: datetime) -> bool:
    """Whether the session exists for this account, has not ended and has not expired."""
    found = conn.execute(
        select(web_sessions.c.id).where(
            web_sessions.c.account_id == account_id,
            web_sessions.c.token_hash == token_hash,
            web_sessions.c.ended_at.is_(None),
            web_sessions.c.expires_at > now,
        )
    ).first()
    return found is not None


def end_session(conn: Connection, account_id: int, token_hash: str, now: datetime) -> int:
    """End one session (logout); how many rows it ended (0 or 1)."""
    return conn.execute(
        update(web_sessions)
        .where(
            web_sessions.c.account_id == account_id,
            web_sessions.c.token_hash == token_hash,
            web_sessions.c.ended_at.is_(None),
        )
        .values(ended_at=now)
    ).rowcount


def end_all_sessions(conn: Connection, account_id: int, now: datetime) -> int:
    """End every open session of the account (a password change); how many ended."""
    return conn.execute(
        update(web_sessions)
        .where(web_sessions.c.account_id == account_id, web_sessions.c.ended_at.is_(None))
        .values(ended_at=now)
    ).rowcount


def purge_sessions(conn: Connection, account_id: int, before: datetime) -> int:
    """Forget the account's sessions that expired or ended before `before`."""
    return conn.execute(
        delete(web_sessions).where(
            web_sessions.c.account_id == account_id,
            or_(web_sessions.c.expires_at < before, web_sessions.c.ended_at < before),
        )
    ).rowcount


def count_live(conn: Connection, account_id: int, now: datetime) -> int:
    rows = conn.execute(
        select(web_sessions.c.id).where(
            web_sessions.c.account_id == account_id,
            web_sessions.c.ended_at.is_(None),
            web_sessions.c.expires_at > now,
        )
    ).all()
    return len(rows)


def replace_password(conn: Connection, account_id: int, password_hash: str, now: datetime) -> int:
    """Store a new password hash and end every session made with the old one."""
    conn.execute(
        update(accounts).where(accounts.c.id == account_id).values(password_hash=password_hash)
    )
    return end_all_sessions(conn, account_id, now)


def password_hash(conn: Connection, account_id: int) -> str | None:
    """The account's login password hash, if it has one."""
    return _secret(conn, account_id, "password_hash")


def api_token_hash(conn: Connection, account_id: int) -> str | None:
    """The account's API token hash, if it has one."""
    return _secret(conn, account_id, "api_token_hash")


def set_api_token_hash(conn: Connection, account_id: int, token_hash: str) -> None:
    """Store a new API token hash; the old token stops working."""
    conn.execute(
        update(accounts).where(accounts.c.id == account_id).values(api_token_hash=token_hash)
    )


def _secret(conn: Connection, account_id: int, column: str) -> str | None:
    query = select(accounts.c[column]).where(accounts.c.id == account_id)
    value = conn.execute(query).scalar_one_or_none()
    return None if value is None else str(value)
