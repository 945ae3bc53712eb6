"""Who a web request acts as on a group server: a member found by login, session or token.

Every lookup here joins `members` and refuses a suspended member, so suspending one ends
their live sessions and their API token at once (the next request finds no one). Secrets
are matched by their hashes only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, select

from kith.store.tables import accounts, members, web_sessions


@dataclass(frozen=True)
class LoginRow:
    """A member's account, password hash (if set) and whether suspended, by login."""

    account_id: int
    password_hash: str | None
    suspended: bool


def login_row(conn: Connection, login: str) -> LoginRow | None:
    """The member with this login, if there is one (an account that is no member: None)."""
    row = conn.execute(
        select(accounts.c.id, accounts.c.password_hash, members.c.suspended)
        .select_from(accounts.join(members, members.c.account_id == accounts.c.id))
        .where(accounts.c.name == login)
    ).first()
    return None if row is None else LoginRow(int(row.id), row.password_hash, bool(row.suspended))


def session_account(conn: Connection, token_hash: str, now: datetime) -> int | None:
    """The account of a live session (not ended, not expired) of a member not suspended."""
    found = conn.execute(
        select(web_sessions.c.account_id)
        .select_from(web_sessions.join(members, members.c.account_id == web_sessions.c.account_id))
        .where(
            web_sessions.c.token_hash == token_hash,
            web_sessions.c.ended_at.is_(None),
            web_sessions.c.expires_at > now,
            members.c.suspended.is_(False),
        )
    ).scalar()
    return None if found is None else int(found)


def token_account(conn: Connection, token_hash: str) -> int | None:
    """The account whose API token has this hash, if it is a member not suspended."""
    found = conn.execute(
        select(accounts.c.id)
        .select_from(accounts.join(members, members.c.account_id == accounts.c.id))
        .where(accounts.c.api_token_hash == token_hash, members.c.suspended.is_(False))
    ).scalar()
    return None if found is None else int(found)


def member_accounts(conn: Connection) -> list[int]:
    """Every member's account, suspended or not."""
    return [int(a) for a in conn.execute(select(members.c.account_id)).scalars()]
