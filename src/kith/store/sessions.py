"""Web login sessions and the login password, as rows: every query on `web_sessions`.

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
