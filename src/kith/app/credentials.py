"""The garden's API token and web login password: made, checked, replaced.

Only hashes are stored (`kith.store.sessions`): the token is shown once when made.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from kith.app import sessions
from kith.app.errors import InvalidInput
from kith.app.garden import Garden
from kith.store import sessions as sessions_store

PASSWORD_MIN_LENGTH = 10
TOKEN_BYTES = 32  # 256 bits of randomness: a plain SHA-256 of it cannot be brute-forced


def hash_token(token: str) -> str:
    """What is stored of an API token."""
    # The token is 256 random bits, so a fast hash is safe and keeps each API call cheap;
    # argon2 is for passwords, which people choose and attackers can guess.
    return "sha256:" + hashlib.sha256(token.encode()).hexdigest()


def has_token(garden: Garden) -> bool:
    """Whether the garden has an API token."""
    with garden.reading() as conn:
        return sessions_store.api_token_hash(conn, garden.account_id) is not None


def rotate_token(garden: Garden) -> str:
    """A new API token for this garden; only its hash is kept, so show it once."""
    token = "kith_" + secrets.token_urlsafe(TOKEN_BYTES)
    with garden.transaction() as conn:
        sessions_store.set_api_token_hash(conn, garden.account_id, hash_token(token))
    return token


def check_token(garden: Garden, token: str) -> bool:
    """Whether `token` is the garden's API token (compared in constant time)."""
    with garden.reading() as conn:
        stored = sessions_store.api_token_hash(conn, garden.account_id)
    return stored is not None and hmac.compare_digest(stored, hash_token(token))


def has_password(garden: Garden) -> bool:
    """Whether the garden has a login password."""
    with garden.reading() as conn:
        return sessions_store.password_hash(conn, garden.account_id) is not None


def set_password(garden: Garden, password: str, now: datetime | None = None) -> int:
    """Set the login password and end every web session at once; how many it ended."""
    if len(password) < PASSWORD_MIN_LENGTH:
        raise InvalidInput("password", f"use at least {PASSWORD_MIN_LENGTH} characters")
    hashed = PasswordHasher().hash(password)
    at = sessions.naive_utc(now or sessions.utc_now())
    with garden.transaction() as conn:
        return sessions_store.replace_password(conn, garden.account_id, hashed, at)


def check_password(garden: Garden, password: str) -> bool:
    """Whether `password` is the garden's login password."""
    with garden.reading() as conn:
        stored = sessions_store.password_hash(conn, garden.account_id)
    if stored is None:
        return False
    try:
        return PasswordHasher().verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False
