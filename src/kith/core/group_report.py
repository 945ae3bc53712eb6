"""The group's report per member and in all: referrals, one-to-ones held, visitors brought.

Referrals given, received, closed and thanked.

With the givers-and-takers view of the garden's reciprocity rules, at group level.

Pure: plain rows in, plain lines out. Who may see which lines is the app's to decide.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from kith.core.wording import plural, signed


@dataclass(frozen=True)
class Referral:
    """One referral as the report needs it: who gave it, who received it, how it went."""

    giver: str
    receiver: str
    status: str  # new | contacted | won | lost
    thank_you: Decimal | None  # the value of the business closed, credited to the giver


@dataclass(frozen=True)
class OneToOne:
    """A one-to-one held: two members who both confirmed meeting (a trio is three of these)."""

    a: str
    b: str


@dataclass(frozen=True)
class Visitor:
    """A guest a member invited to a meeting, and whether they came."""

    inviter: str
    came: bool


@dataclass(frozen=True)
class MemberLine:
    """One member's line of the report."""

    login: str
    given: int
    received: int
    closed_given: int  # referrals they gave that were won
    closed_received: int  # referrals they received and won
    thank_you: Decimal  # thank-you value credited to them as giver
    balance: int  # given - received
    standing: str  # giver | even | receiving | taking | quiet
    words: str  # how referrals have flowed, in words
    one_to_ones: int = 0  # one-to-ones held with them (both confirmed)
    visitors: int = 0  # guests they brought who came
    no_shows: int = 0  # one-to-ones their partner says they missed


@dataclass(frozen=True)
class Totals:
    """The whole group's totals."""

    members: int
    referrals: int
    closed: int
    thank_you: Decimal
    givers: int
    taking: int
    one_to_ones: int = 0  # one-to-ones held between members
    visitors: int = 0  # guests who came
    no_shows: int = 0  # one-to-ones a member missed, as their partner recorded


@dataclass(frozen=True)
class Report:
    """Every member's line, by login, and the group's totals."""

    lines: tuple[MemberLine, ...]
    totals: Totals


def standing(given: int, received: int) -> str:
    """Where a member stands: giver, even, receiving, taking or quiet.

    A giver gives more than they receive; one who has received referrals and given none is
    taking (the garden's one-sided taker, at group level).
    """
    if given == 0 and received == 0:
        return "quiet"
    if given == 0:
        return "taking"
    if given > received:
        return "giver"
    return "even" if given == received else "receiving"


def flow_words(given: int, received: int) -> str:
    """How referrals have flowed, like a garden's reciprocity line."""
    balance = f"balance {signed(given - received)}"
    if standing(given, received) == "taking":
        return f"taking: received {plural(received, 'referral')} and gave none ({balance})"
    gave = f"gave {plural(given, 'referral')}" if given else "gave none"
    got = f"received {plural(received, 'referral')}" if received else "received none"
    return f"{gave} and {got} ({balance})"


def member_line(login: str, referrals: Iterable[Referral]) -> MemberLine:
    """One member's line from the group's referrals (only theirs count)."""
    given = received = closed_given = closed_received = 0
    thank_you = Decimal(0)
    for r in referrals:
        won = r.status == "won"
        if r.giver == login:
            given += 1
            closed_given += won
            if won and r.thank_you is not None:
                thank_you += r.thank_you
        if r.receiver == login:
            received += 1
            closed_received += won
    return MemberLine(
        login,
        given,
        received,
        closed_given,
        closed_received,
        thank_you,
        given - received,
        standing(given, received),
        flow_words(given, received),
    )


def _by_member(referrals: Iterable[Referral]) -> dict[str, list[Referral]]:
    """Each login's referrals, given or received (one to oneself listed once)."""
    found: dict[str, list[Referral]] = {}
    for r in referrals:
        found.setdefault(r.giver, []).append(r)
        if r.receiver != r.giver:
            found.setdefault(r.receiver, []).append(r)
    return found


def group_report(
    members: Sequence[str],
    referrals: Sequence[Referral],
    one_to_ones: Sequence[OneToOne] = (),
    visitors: Sequence[Visitor] = (),
    no_shows: Sequence[str] = (),  # the login of the member missing, once per missed meeting
) -> Report:
    """The report over the group's members, their referrals, one-to-ones and visitors."""
    current = set(members)
    # Only between current members: one with someone who left counts for no one, like a
    # referral (the store reads only members' rows; this keeps the rule in one place).
    between = [o for o in one_to_ones if o.a != o.b and {o.a, o.b} <= current]
    held = Counter(login for o in between for login in (o.a, o.b))
    brought = Counter(v.inviter for v in visitors if v.came)
    missed = Counter(no_shows)
    theirs = _by_member(referrals)  # each line reads its own: linear, not members × referrals
    lines = tuple(
        replace(
            member_line(login, theirs.get(login, ())),
            one_to_ones=held[login],
            visitors=brought[login],
            no_shows=missed[login],
        )
        for login in sorted(members)
    )
    # From the lines: a referral of someone no longer a member counts for no one.
    totals = Totals(
        members=len(lines),
        referrals=sum(line.given for line in lines),
        closed=sum(line.closed_given for line in lines),
        thank_you=sum((line.thank_you for line in lines), Decimal(0)),
        givers=sum(line.standing == "giver" for line in lines),
        taking=sum(line.standing == "taking" for line in lines),
        one_to_ones=len(between),  # each once, though it is on two members' lines
        visitors=sum(line.visitors for line in lines),
        no_shows=sum(line.no_shows for line in lines),
    )
    return Report(lines, totals)
