"""Visitors: guests a member brings to a group meeting.

A member invites a guest to a meeting on a day; after the meeting they mark whether the
guest came. A guest who came is planted in the inviter's garden as a seed, met at that
meeting (the same transaction as the mark); one already there (by name or email) is kept as
is. Only the inviter sees or marks their guests; the report counts the guests who came.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kith.app import community, inputs
from kith.app.errors import InvalidInput, KithError, NotFound
from kith.app.garden import Garden
from kith.core import one_to_ones as rules
from kith.core.model import PersonDraft
from kith.store import Connection
from kith.store import people as people_store
from kith.store import visitors as store


@dataclass(frozen=True)
class VisitorView:
    """A guest I invited, and where they stand."""

    id: int
    name: str
    email: str | None
    meeting_on: date
    status: str  # invited | came | no-show
    person_id: int | None = None  # in my garden, once they came


@dataclass(frozen=True)
class VisitorsView:
    """The guests I invited, newest meeting first (`kith group visitors`, the API's list)."""

    visitors: list[VisitorView]


def invite(garden: Garden, name: str, meeting: str, email: str | None = None) -> VisitorView:
    """Invite a guest to the group's meeting on a day (past or to come)."""
    guest = inputs.name(name)
    emails = inputs.emails([email] if email else [])
    meeting_on = inputs.day("meeting", meeting, garden.today)
    with garden.transaction() as conn:
        me = community.acting_member(conn, garden)
        made = store.add(
            conn,
            me.account_id,
            name=guest,
            email=emails[0] if emails else None,
            meeting_on=meeting_on,
            today=garden.today,
        )
    return VisitorView(made, guest, emails[0] if emails else None, meeting_on, rules.INVITED)


def _visitor_id(text: str) -> int:
    cleaned = text.strip().removeprefix("#")
    if not cleaned.isdigit() or len(cleaned) > 18:
        raise InvalidInput("visitor_id", f"{text!r} is not a visitor's id, such as 12")
    return int(cleaned)


def mark(garden: Garden, reference: str, *, came: bool) -> VisitorView:
    """Mark whether my guest came; one who came becomes a seed in my garden."""
    visitor_id = _visitor_id(reference)
    with garden.transaction() as conn:
        me = community.acting_member(conn, garden)
        found = store.mine_for_update(conn, me.account_id, visitor_id)
        if found is None:
            raise NotFound(f"visitor #{visitor_id} not found")
        if not rules.visitor_can_be_marked(found.status):
            raise KithError(
                f"visitor #{visitor_id} ({found.name}) is already marked: {found.status}"
            )
        if found.meeting_on > garden.today:
            raise KithError(
                f"the meeting {found.name} is invited to is on {found.meeting_on.isoformat()};"
                " mark them after it"
            )
        status = rules.CAME if came else rules.NO_SHOW
        store.mark(conn, me.account_id, visitor_id, status, garden.today)
        planted = _plant(conn, me.account_id, found, me.group_name, garden.today) if came else None
    return VisitorView(found.id, found.name, found.email, found.meeting_on, status, planted)


def _plant(
    conn: Connection, account_id: int, guest: store.VisitorRow, group: str, today: date
) -> int:
    """The guest as a seed in my garden, met at the meeting; or the person already there."""
    emails = (guest.email,) if guest.email else ()
    there = people_store.namesakes_and_email_owners(conn, account_id, guest.name, emails)
    if there:
        return there[0].id
    draft = PersonDraft(
        guest.name, emails=emails, met_where=rules.how_a_visitor_met(group), met_on=guest.meeting_on
    )
    return people_store.insert_person(conn, account_id, draft, created_on=today)


def mine(garden: Garden) -> list[VisitorView]:
    """The guests I invited, newest meeting first."""
    with garden.reading() as conn:
        me = community.acting_member(conn, garden)
        rows = store.of_member(conn, me.account_id)
    return [VisitorView(r.id, r.name, r.email, r.meeting_on, r.status) for r in rows]


def listed(garden: Garden) -> VisitorsView:
    """`mine` as one document, as the CLI's --json and the API show it."""
    return VisitorsView(mine(garden))
