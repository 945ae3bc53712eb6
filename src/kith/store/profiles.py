"""Profiles' SQL: which fields a member publishes, and the directory's published values.

The values are read live from each member's own "me" (tags with no person, `my_emails`),
and only for fields the member published: the SQL itself never reads a hidden field, so no
later step can leak one.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

from sqlalchemy import Connection, ScalarSelect, and_, delete, or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert

from kith.store.tables import accounts, members, my_emails, profile_fields, tags

# The tag kind each profile field is read from (emails are read from my_emails).
_TAG_FIELDS = {"interest": "interests", "offer": "offers", "need": "needs"}
ALL_FIELDS = (*_TAG_FIELDS.values(), "emails")


@dataclass
class ProfileRow:
    """A member's published profile as read: their login, "me" name and published values."""

    account_id: int
    login: str
    me_name: str
    published: set[str] = field(default_factory=set)
    values: dict[str, list[str]] = field(default_factory=dict)  # field -> values, as written


def published(conn: Connection, account_id: int) -> set[str]:
    """The fields a member publishes."""
    rows = conn.execute(
        select(profile_fields.c.field).where(profile_fields.c.account_id == account_id)
    )
    return set(rows.scalars())


def publish(conn: Connection, account_id: int, fields: Iterable[str]) -> None:
    """Publish fields (publishing one already published changes nothing)."""
    rows = [{"account_id": account_id, "field": f} for f in sorted(set(fields))]
    if rows:
        conn.execute(pg_insert(profile_fields).values(rows).on_conflict_do_nothing())


def hide(conn: Connection, account_id: int, fields: Iterable[str]) -> None:
    """Hide fields: from the next read on, no one sees them."""
    conn.execute(
        delete(profile_fields).where(
            profile_fields.c.account_id == account_id, profile_fields.c.field.in_(list(fields))
        )
    )


def profiles(
    conn: Connection,
    group_id: int,
    only: int | None = None,
    fields: Collection[str] = ALL_FIELDS,
) -> list[ProfileRow]:
    """Every member of the group who is not suspended (or only the member `only`), published.

    Only the values of `fields` are read (help matching needs only offers, or only needs).
    Members are picked by a subquery, not a list of ids: a group of 100,000 would overflow
    the driver's bind parameters.
    """
    who = select(members.c.account_id).where(
        members.c.group_id == group_id, members.c.suspended.is_(False)
    )
    if only is not None:
        who = who.where(members.c.account_id == only)
    picked = who.scalar_subquery()
    found = {
        r.id: ProfileRow(r.id, r.name, r.me_name)
        for r in conn.execute(
            select(accounts.c.id, accounts.c.name, accounts.c.me_name)
            .where(accounts.c.id.in_(picked))
            .order_by(accounts.c.name)
        )
    }
    for row in conn.execute(
        select(profile_fields.c.account_id, profile_fields.c.field).where(
            profile_fields.c.account_id.in_(picked)
        )
    ):
        found[row.account_id].published.add(row.field)
    for account_id, name, value in _published_values(conn, picked, fields):
        found[account_id].values.setdefault(name, []).append(value)
    return list(found.values())


def _published_values(
    conn: Connection, picked: ScalarSelect[int], fields: Collection[str]
) -> list[tuple[int, str, str]]:
    """(account, field, value) of the published `fields` only, in the order they were written."""
    wanted = [(kind, name) for kind, name in _TAG_FIELDS.items() if name in fields]
    found = _tag_values(conn, picked, wanted) if wanted else []
    if "emails" in fields:
        found += _email_values(conn, picked)
    return found


def _tag_values(
    conn: Connection, picked: ScalarSelect[int], wanted: list[tuple[str, str]]
) -> list[tuple[int, str, str]]:
    published = or_(
        *(and_(tags.c.kind == kind, profile_fields.c.field == name) for kind, name in wanted)
    )
    rows = conn.execute(
        select(tags.c.account_id, profile_fields.c.field, tags.c.value)
        .join(profile_fields, profile_fields.c.account_id == tags.c.account_id)
        .where(tags.c.account_id.in_(picked), tags.c.person_id.is_(None), published)
        .order_by(tags.c.account_id, tags.c.id)
    )
    return [(int(a), str(f), str(v)) for a, f, v in rows]


def _email_values(conn: Connection, picked: ScalarSelect[int]) -> list[tuple[int, str, str]]:
    rows = conn.execute(
        select(my_emails.c.account_id, profile_fields.c.field, my_emails.c.email)
        .join(profile_fields, profile_fields.c.account_id == my_emails.c.account_id)
        .where(my_emails.c.account_id.in_(picked), profile_fields.c.field == "emails")
        .order_by(my_emails.c.account_id, my_emails.c.id)
    )
    return [(int(a), str(f), str(v)) for a, f, v in rows]
