"""Members logging in to the web app and API of a group server, each to their own garden.

A group server (PostgreSQL with a group) serves every member at once: a request acts as the
member its session cookie or API token names, and only as them. The account is never taken
from the request's path, query or body. Logins are checked with argon2 in constant work: an
unknown login is verified against a stand-in hash, so it costs what a wrong password costs.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from kith.app import community, credentials, sessions
from kith.app.errors import InvalidInput
from kith.app.garden import Garden, keep_facts_current
from kith.store import community as community_store
from kith.store import db
from kith.store import member_auth as store

# An argon2id hash (argon2-cffi's default parameters) of a password no one is told: checking
# a login that does not exist against it takes as long as checking a real one.
STAND_IN_HASH = (
    "$argon2id$v=19$m=65536,t=3,p=4$C2RzQ8hz+nGQfB6PF0XumQ$hjzOE6"
    "lTvBiEO6OqFe51lZhbegdLTS0io/4IAyegMus"
)


@dataclass(frozen=True)
class LoginOutcome:
    """A login's result: the member's account when the password is right and they may log in."""

    account_id: int | None
    suspended: bool = False  # told only after the right password


def is_group_server(garden: Garden) -> bool:
    """Whether the database is a group's server: PostgreSQL with its group made."""
    if not db.normalise_url(garden.url).startswith("postgresql"):
        return False
    with garden.reading() as conn:
        return community_store.the_group(conn) is not None


def serves_members(garden: Garden) -> bool:
    """Whether a server over this garden serves the group's members, each their own garden.

    So it does on a group server opened as no member (the operator's `kith serve`); opened as
    a member (`kith --as LOGIN serve`) it serves that member's garden alone, as on SQLite.
    """
    if not is_group_server(garden):
        return False
    with garden.reading() as conn:
        return community_store.member(conn, garden.account_id) is None


def check_login(garden: Garden, login: str, password: str) -> LoginOutcome:
    """The member `login` if `password` is theirs; the same work whether or not they exist."""
    try:
        who: str | None = community.login(login)
    except InvalidInput:
        who = None
    found = None
    if who is not None:
        with garden.reading() as conn:
            found = store.login_row(conn, who)
    stored = found.password_hash if found is not None and found.password_hash else STAND_IN_HASH
    right = _verify(stored, password)
    if found is None or found.password_hash is None or not right:
        return LoginOutcome(None)
    if found.suspended:
        return LoginOutcome(None, suspended=True)
    return LoginOutcome(found.account_id)


def _verify(stored: str, password: str) -> bool:
    try:
        return PasswordHasher().verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def as_member(garden: Garden, account_id: int) -> Garden:
    """The server's garden acting as one member's account."""
    return replace(garden, account_id=account_id)


def start_session(garden: Garden, account_id: int, now: datetime, seconds: int) -> str:
    """A new web session for a member who just logged in; the cookie's token."""
    mine = as_member(garden, account_id)
    keep_facts_current(mine.engine, account_id, mine.rules)  # a first login ever, or new rules
    return sessions.start(mine, now, seconds)


def session_account(garden: Garden, token: str | None, now: datetime) -> int | None:
    """The member a session cookie logs in, if it is live and they are not suspended."""
    if not token or len(token) > 200:
        return None
    with garden.reading() as conn:
        return store.session_account(conn, sessions.token_hash(token), sessions.naive_utc(now))


def token_account(garden: Garden, token: str) -> int | None:
    """The member an API token belongs to, if they are not suspended."""
    if len(token) > 200:
        return None
    with garden.reading() as conn:
        return store.token_account(conn, credentials.hash_token(token))


def keep_every_members_facts(garden: Garden) -> None:
    """At start-up: each member's kept facts under the rules in force (they may have changed)."""
    with garden.reading() as conn:
        accounts = store.member_accounts(conn)
    for account_id in accounts:
        keep_facts_current(garden.engine, account_id, garden.rules)
