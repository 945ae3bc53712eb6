"""The community: one group per server on PostgreSQL, its members and their invitations.

A member is an account: its login is the account's name, its password an argon2id hash. Each
member keeps their own garden (`kith --as LOGIN ...`); the group adds only what members share
on purpose (`kith.app.community_shares`). SQLite keeps one person's garden and refuses all of
this with one line.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass, replace
from datetime import date, timedelta

from argon2 import PasswordHasher

from kith.app import inputs, sessions
from kith.app.credentials import PASSWORD_MIN_LENGTH
from kith.app.errors import InvalidInput, KithError, NotFound
from kith.app.garden import Garden, open_garden
from kith.settings import Settings
from kith.store import Connection, Engine, db
from kith.store import community as store
from kith.store import people as people_store
from kith.store import sessions as sessions_store

ROLES = ("member", "organiser")
INVITE_DAYS = 14  # long enough for a fortnightly meeting
MAX_INVITE_DAYS = 365
_LOGIN = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")


class NeedsPostgres(KithError):
    """A group command on a SQLite garden: the community runs on one PostgreSQL server."""

    def __init__(self) -> None:
        super().__init__(
            "group commands need a PostgreSQL database (postgresql://...);"
            " a SQLite file holds one person's garden"
        )


class NotInAGroup(NotFound):
    """The group's pages or API where no group is: a single garden, or an account of none."""

    def __init__(self) -> None:
        super().__init__(
            "not in a group: the group's pages need a member of a group"
            " on its PostgreSQL server (kith group join)"
        )


@dataclass(frozen=True)
class Server:
    """The group's server database, opened without acting as anyone."""

    engine: Engine
    today: date


@dataclass(frozen=True)
class GroupView:
    """A group just made, and its first organiser."""

    id: int
    name: str
    organiser: str
    invitation: InvitationView  # a first member invitation, for no one in particular


@dataclass(frozen=True)
class InvitationView:
    """An invitation just made: its code is shown once (only its hash is kept)."""

    id: int
    code: str
    role: str
    expires_on: date
    group: str


@dataclass(frozen=True)
class JoinedView:
    """A new member: their login, role and group."""

    login: str
    role: str
    group: str


def require_postgres(url: str) -> None:
    """Refuse a database that is not PostgreSQL, before anything is made on it."""
    if not db.normalise_url(url).startswith("postgresql"):
        raise NeedsPostgres


def open_server(settings: Settings, today: date) -> Server:
    """The server's database, upgraded; refused on SQLite."""
    require_postgres(settings.database_url)
    engine = db.create(settings.database_url, write_wait=settings.write_wait)
    db.migrate(engine)
    return Server(engine, settings.today or today)


def open_member_garden(settings: Settings, today: date, who: str) -> Garden:
    """The garden of the member `who` (`kith --as LOGIN`): only a member's, only on PostgreSQL.

    Anyone who is not a member of the group is "not found", like anything else not theirs.
    """
    require_postgres(settings.database_url)
    garden = open_garden(replace(settings, account=who.strip().lower()), today, existing=True)
    with garden.reading() as conn:
        found = store.member(conn, garden.account_id)
    if found is None:
        garden.engine.dispose()
        raise NotFound(f"no member {who}")
    return garden


def acting_member(conn: Connection, garden: Garden) -> store.MemberRow:
    """The member a garden belongs to, for a group command: refused if none or suspended."""
    require_postgres(garden.url)
    found = store.member(conn, garden.account_id)
    if found is None:
        raise KithError("this garden's account is not a member of a group; act as a member of one")
    if found.suspended:
        raise KithError(f"{found.login} is suspended from {found.group_name}")
    return found


def require_membership(garden: Garden) -> None:
    """Refuse (as not found) a garden that is no group member's: SQLite, or no member's account.

    The web's group routes ask this first, so a single garden answers one clear 404.
    """
    if not db.normalise_url(garden.url).startswith("postgresql"):
        raise NotInAGroup
    with garden.reading() as conn:
        if store.member(conn, garden.account_id) is None:
            raise NotInAGroup


def login(text: str) -> str:
    """A member's login: lower-case letters, digits, '.', '_' or '-', at most 64."""
    cleaned = text.strip().lower()
    if not _LOGIN.fullmatch(cleaned):
        raise InvalidInput("login", "use 1-64 letters, digits, '.', '_' or '-'")
    return cleaned


def _hash_password(password: str) -> str:
    if len(password) < PASSWORD_MIN_LENGTH:
        raise InvalidInput("password", f"use at least {PASSWORD_MIN_LENGTH} characters")
    return PasswordHasher().hash(password)  # argon2id, argon2-cffi's default


def _hash_code(code: str) -> str:
    # The code is 144 random bits: a fast hash cannot be brute-forced, argon2 is for passwords.
    return "sha256:" + hashlib.sha256(code.strip().encode()).hexdigest()


def create_group(server: Server, name: str, organiser: str, password: str) -> GroupView:
    """Make the server's one group with its first organiser (an account, made if new)."""
    title = inputs.name(name)
    who = login(organiser)
    hashed = _hash_password(password)
    with db.writing(server.engine) as conn:
        group_id = store.create_group(conn, title, server.today)
        if group_id is None:
            existing = store.the_group(conn)
            raise KithError(f"this server already has a group: {existing[1] if existing else ''}")
        account_id = people_store.ensure_account(conn, who)
        store.add_member(conn, group_id, account_id, "organiser", server.today)
        sessions_store.replace_password(
            conn, account_id, hashed, sessions.naive_utc(sessions.utc_now())
        )
        first = _new_invitation(
            conn, group_id, group_name=title, made_by=account_id, role="member", today=server.today
        )
    return GroupView(group_id, title, who, first)


def invite(garden: Garden, role: str = "member", days: int = INVITE_DAYS) -> InvitationView:
    """A single-use invitation to the group, valid `days` days; only organisers make them."""
    if role not in ROLES:
        raise InvalidInput("role", f"must be {' or '.join(ROLES)}")
    if not 1 <= days <= MAX_INVITE_DAYS:
        raise InvalidInput("days", f"must be from 1 to {MAX_INVITE_DAYS}")
    with garden.transaction() as conn:
        me = acting_member(conn, garden)
        if me.role != "organiser":
            raise KithError(f"only an organiser of {me.group_name} can invite")
        return _new_invitation(
            conn,
            me.group_id,
            group_name=me.group_name,
            made_by=me.account_id,
            role=role,
            today=garden.today,
            days=days,
        )


def _new_invitation(
    conn: Connection,
    group_id: int,
    *,
    group_name: str,
    made_by: int,
    role: str,
    today: date,
    days: int = INVITE_DAYS,
) -> InvitationView:
    code = "kith-" + secrets.token_urlsafe(18)
    expires_on = today + timedelta(days=days)
    made = store.add_invitation(
        conn,
        group_id,
        code_hash=_hash_code(code),
        role=role,
        made_by=made_by,
        made_on=today,
        expires_on=expires_on,
    )
    return InvitationView(made, code, role, expires_on, group_name)


def join(server: Server, code: str, new_login: str, password: str) -> JoinedView:
    """Join the group with an invitation's code as a new member: once, before it expires."""
    who = login(new_login)
    hashed = _hash_password(password)  # before the transaction: argon2 takes a while
    code_hash = _hash_code(code)
    with db.writing(server.engine) as conn:
        found = store.invitation(conn, code_hash)
        if found is None:
            raise NotFound("no such invitation; check the code")
        if found.used:
            raise KithError("this invitation has already been used")
        if found.expires_on < server.today:
            raise KithError(f"this invitation expired on {found.expires_on.isoformat()}")
        account_id = store.new_account(conn, who)
        if account_id is None:
            raise InvalidInput("login", f"{who} is taken")
        if not store.claim_invitation(conn, code_hash, account_id, server.today):
            raise KithError("this invitation has already been used")  # by a join racing ours
        store.add_member(conn, found.group_id, account_id, found.role, server.today)
        sessions_store.replace_password(
            conn, account_id, hashed, sessions.naive_utc(sessions.utc_now())
        )
        group = store.the_group(conn)
    return JoinedView(who, found.role, group[1] if group else "")


@dataclass(frozen=True)
class MemberView:
    """A member as the group sees them."""

    login: str
    role: str
    suspended: bool


def members(garden: Garden) -> list[MemberView]:
    """The group's members; only organisers see the suspended ones."""
    with garden.reading() as conn:
        me = acting_member(conn, garden)
        everyone = store.members_of(conn, me.group_id)
    shown = [m for m in everyone if me.role == "organiser" or not m.suspended]
    return [MemberView(m.login, m.role, m.suspended) for m in shown]


def suspend(garden: Garden, who: str, *, suspended: bool = True) -> MemberView:
    """Suspend a member, or reinstate them (organisers only).

    A suspended member's shares disappear from everyone's view at once and they can use no
    group command; their garden stays theirs.
    """
    with garden.transaction() as conn:
        me = acting_member(conn, garden)
        if me.role != "organiser":
            raise KithError(f"only an organiser of {me.group_name} can suspend or reinstate")
        found = store.member_by_login(conn, login(who))
        if found is None or found.group_id != me.group_id:
            raise NotFound(f"no member {who}")
        if found.account_id == me.account_id:
            raise KithError("an organiser cannot suspend themselves")
        store.set_suspended(conn, found.account_id, suspended)
    return MemberView(found.login, found.role, suspended)
