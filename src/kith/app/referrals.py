"""Referrals between members (givers gain) and the group's report.

The report also counts one-to-ones held and visitors brought (`app.one_to_ones`,
`app.visitors`).

A member passes a lead to another (`refer`); only the receiver moves its status, forward only
(`move`); a won referral's value is the thank-you for closed business, credited to the giver.
Anyone else's referral is "not found", never "not yours", so ids leak nothing. The report
(`report`) shows organisers every member's line and a member their own line and the totals.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import NoReturn

from kith.app import community, inputs
from kith.app.errors import InvalidInput, KithError, NotFound
from kith.app.garden import Garden
from kith.app.notifications import Link, notify
from kith.core import group_report
from kith.core.one_to_ones import CAME
from kith.core.referrals import UPDATES, can_move, parse_value
from kith.store import Connection
from kith.store import community as community_store
from kith.store import one_to_ones as one_to_ones_store
from kith.store import referrals as store
from kith.store import visitors as visitors_store


@dataclass(frozen=True)
class ReferralView:
    """A referral as its giver or receiver sees it."""

    id: int
    giver: str
    receiver: str
    what: str
    status: str
    value: float | None  # what the giver thought it worth, if they said
    created_on: date
    updated_on: date
    thanked_on: date | None
    thank_you_value: float | None  # the business closed, credited to the giver
    given_by_me: bool


@dataclass(frozen=True)
class ReferralsView:
    """Referrals I gave and received, newest first (`kith group referrals`, the API's list)."""

    referrals: list[ReferralView]


@dataclass(frozen=True)
class ReportLineView:
    """One member's line of the group report."""

    login: str
    given: int
    received: int
    closed_given: int
    closed_received: int
    thank_you_value: float
    balance: int
    standing: str
    words: str
    one_to_ones: int  # one-to-ones held (both confirmed)
    visitors: int  # guests brought who came
    no_shows: int  # one-to-ones they missed, as their partner recorded


@dataclass(frozen=True)
class ReportTotalsView:
    """The group's totals."""

    members: int
    referrals: int
    closed: int
    thank_you_value: float
    givers: int
    taking: int
    one_to_ones: int
    visitors: int
    no_shows: int


@dataclass(frozen=True)
class ReportView:
    """The group report as one member may see it: every line for organisers, else their own."""

    group: str
    everyone: bool  # whether every member's line is shown (organisers)
    lines: list[ReportLineView]
    totals: ReportTotalsView


def _amount(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _view(row: store.ReferralRow, me: int) -> ReferralView:
    return ReferralView(
        row.id,
        row.giver,
        row.receiver,
        row.what,
        row.status,
        _amount(row.value),
        row.created_on,
        row.updated_on,
        row.thanked_on,
        _amount(row.thank_you_value),
        row.giver_id == me,
    )


def _value(text: str | None) -> Decimal | None:
    if text is None:
        return None
    amount = parse_value(text)
    if amount is None:
        raise InvalidInput("value", f"{text!r} is not an amount above 0, such as 5000 or 1250.50")
    return amount


def refer(garden: Garden, receiver: str, what: str, value: str | None = None) -> ReferralView:
    """Pass a lead to another member of my group, optionally with what it may be worth."""
    lead = inputs.text("what", what)
    amount = _value(value)
    with garden.transaction() as conn:
        me = community.acting_member(conn, garden)
        found = community_store.member_by_login(conn, community.login(receiver))
        if found is None or found.group_id != me.group_id or found.suspended:
            raise NotFound(f"no member {receiver}")
        if found.account_id == me.account_id:
            raise KithError("refer a lead to another member, not to yourself")
        made = store.add(
            conn, me.account_id, found.account_id, what=lead, value=amount, today=garden.today
        )
        row = store.mine(conn, me.account_id, made)
        assert row is not None  # just made, in this transaction
        notify(
            conn,
            to=found.account_id,
            kind="referral_received",
            about=_link(row),
            parts={"what": row.what, **_worth("value", row.value)},
            actor=me.account_id,
            today=garden.today,
        )
    return _view(row, me.account_id)


def _link(row: store.ReferralRow) -> Link:
    return Link("referral", row.id, owner=row.giver_id)  # a referral is the giver's row


def _worth(name: str, amount: Decimal | None) -> dict[str, str]:
    return {} if amount is None else {name: f"{amount:,.2f}"}


def _tell_the_giver(conn: Connection, row: store.ReferralRow, today: date) -> None:
    """The giver hears of every move; a won one with a value is their thank-you."""
    thanked = row.status == "won" and row.thank_you_value is not None
    notify(
        conn,
        to=row.giver_id,
        kind="referral_thanked" if thanked else "referral_moved",
        about=_link(row),
        parts={"what": row.what, "status": row.status, **_worth("value", row.thank_you_value)},
        actor=row.receiver_id,
        today=today,
    )


def _referral_id(text: str) -> int:
    """A referral's id as typed: '12' or '#12'."""
    cleaned = text.strip().removeprefix("#")
    if not cleaned.isdigit() or len(cleaned) > 18:
        raise InvalidInput("referral_id", f"{text!r} is not a referral's id, such as 12")
    return int(cleaned)


def move(garden: Garden, reference: str, status: str, value: str | None = None) -> ReferralView:
    """Move a referral I received forward: contacted, won (with the thank-you value) or lost."""
    referral_id = _referral_id(reference)
    if status not in UPDATES:
        raise InvalidInput("status", f"must be {', '.join(UPDATES)}")
    if value is not None and status != "won":
        raise InvalidInput("value", "only a won referral has a value: the business closed")
    amount = _value(value)
    with garden.transaction() as conn:
        me = community.acting_member(conn, garden)
        current = store.received_for_update(conn, me.account_id, referral_id)
        if current is None:
            _refuse_as_giver_or_unknown(conn, me.account_id, referral_id)
        elif not can_move(current, status):
            raise KithError(
                f"referral #{referral_id} is {current}; a status only moves forward"
                " (new -> contacted -> won or lost)"
            )
        store.move(
            conn, me.account_id, referral_id, status=status, today=garden.today, thank_you=amount
        )
        row = store.mine(conn, me.account_id, referral_id)
        assert row is not None
        _tell_the_giver(conn, row, garden.today)
    return _view(row, me.account_id)


def _refuse_as_giver_or_unknown(conn: Connection, me: int, referral_id: int) -> NoReturn:
    """The giver is told only the receiver moves it; anyone else learns nothing."""
    if store.mine(conn, me, referral_id) is not None:
        raise KithError(f"only the member who received referral #{referral_id} moves its status")
    raise NotFound(f"referral #{referral_id} not found")


def mine(garden: Garden) -> list[ReferralView]:
    """Referrals I gave and received, newest first."""
    with garden.reading() as conn:
        me = community.acting_member(conn, garden)
        rows = store.given_or_received(conn, me.account_id)
    return [_view(r, me.account_id) for r in rows]


def listed(garden: Garden) -> ReferralsView:
    """`mine` as one document, as the CLI's --json and the API show it."""
    return ReferralsView(mine(garden))


def report(garden: Garden) -> ReportView:
    """The group report: organisers see every member's line, a member only their own."""
    with garden.reading() as conn:
        me = community.acting_member(conn, garden)
        everyone = community_store.members_of(conn, me.group_id)
        rows = store.of_group(conn, me.group_id)
        held = one_to_ones_store.held_in_group(conn, me.group_id)
        guests = visitors_store.of_group(conn, me.group_id)
        missed = one_to_ones_store.no_shows_in_group(conn, me.group_id)
    made = group_report.group_report(
        [m.login for m in everyone],
        [group_report.Referral(r.giver, r.receiver, r.status, r.thank_you_value) for r in rows],
        [group_report.OneToOne(a, b) for a, b in held],
        [group_report.Visitor(inviter, status == CAME) for inviter, status in guests],
        missed,
    )
    organiser = me.role == "organiser"
    shown = [line for line in made.lines if organiser or line.login == me.login]
    t = made.totals
    return ReportView(
        me.group_name,
        organiser,
        [_line(line) for line in shown],
        ReportTotalsView(
            t.members,
            t.referrals,
            t.closed,
            float(t.thank_you),
            t.givers,
            t.taking,
            t.one_to_ones,
            t.visitors,
            t.no_shows,
        ),
    )


def _line(line: group_report.MemberLine) -> ReportLineView:
    return ReportLineView(
        line.login,
        line.given,
        line.received,
        line.closed_given,
        line.closed_received,
        float(line.thank_you),
        line.balance,
        line.standing,
        line.words,
        line.one_to_ones,
        line.visitors,
        line.no_shows,
    )
