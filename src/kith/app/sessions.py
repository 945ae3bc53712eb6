"""Web login sessions, kept on the server.

A session is started by a login and ended by a logout, by a password change (every
session at once) or by its expiry.

The browser holds a random 256-bit token; the database only its SHA-256, so a copy of the
database (a backup) yields no cookie that works. `now` is the caller's clock (UTC).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from kith.app.garden import Garden
from kith.store import sessions as store

SESSION_SECONDS = 12 * 3600  # a working day: a login lasts at most this long
TOKEN_BYTES = 32


def utc_now() -> datetime:
    """The clock, in UTC: read only by the shells that pass `now` in."""
    return datetime.now(UTC)


def naive_utc(moment: datetime) -> datetime:
    """UTC without a zone, as the database keeps it."""
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


def token_hash(token: str) -> str:
    """What is stored of a session's cookie token."""
    # The token is 256 random bits: a fast hash is safe, as for the API token.
    return hashlib.sha256(token.encode()).hexdigest()


def start(garden: Garden, now: datetime, seconds: int = SESSION_SECONDS) -> str:
    """A new session for the garden's owner; returns the token for the cookie."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    at = naive_utc(now)
    with garden.transaction() as conn:
        store.purge_sessions(conn, garden.account_id, at)  # keeps the table small
        store.insert_session(
            conn, garden.account_id, token_hash(token), at, at + timedelta(seconds=seconds)
        )
    return token


def is_live(garden: Garden, token: str | None, now: datetime) -> bool:
    """Whether this cookie's session is still live: not ended, not expired."""
    if not token or len(token) > 200:
        return False
    with garden.reading() as conn:
        return store.is_live(conn, garden.account_id, token_hash(token), naive_utc(now))


def end(garden: Garden, token: str | None, now: datetime) -> bool:
    """Log out: end this session; whether there was one to end."""
    if not token or len(token) > 200:
        return False
    with garden.transaction() as conn:
        return store.end_session(conn, garden.account_id, token_hash(token), naive_utc(now)) > 0


def live_count(garden: Garden, now: datetime) -> int:
    """How many sessions are live now."""
    with garden.reading() as conn:
        return store.count_live(conn, garden.account_id, naive_utc(now))
