"""A group's one-to-one rounds: who meets whom, and when a meeting counts as held.

A round pairs the opted-in members with `core.pairing` (shared interests, need/offer fit,
greedy, no earlier pair repeated while another choice exists). An odd group makes one trio:
the member left over joins the best pair with which both of their pairs are new, so nobody
sits out needlessly; if every pair would repeat an earlier meeting, they sit out this round
(the round says so), and someone else does when they sat out the round before. Each
meeting is a set of pairs, every pair confirmed by both sides.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from kith.core.pairing import Member, pair_round
from kith.core.tags import Vocabulary

PENDING, MET, NO_SHOW = "pending", "met", "no-show"
# Members tried as the one to sit out instead of last round's: each try is a pairing, and a
# group needs a sitter only when it is odd and no trio is new to all three (small groups).
ROTATE_TRIES = 8
STATUSES = (PENDING, MET, NO_SHOW)


@dataclass(frozen=True)
class Meeting:
    """Two members (three in an odd round's trio) meeting, and the interests they share."""

    members: tuple[str, ...]  # member ids, 2 or 3
    shared: tuple[str, ...]
    score: float

    def pairs(self) -> list[frozenset[str]]:
        """Every pair in the meeting: one for two members, three for a trio."""
        ms = self.members
        return [frozenset((a, b)) for i, a in enumerate(ms) for b in ms[i + 1 :]]


@dataclass(frozen=True)
class Candidate:
    """A member of the group as a round sees them before pairing."""

    id: str
    opted_in: bool
    suspended: bool


def taking_part(members: Sequence[Candidate]) -> list[str]:
    """The ids a round pairs: opted in and not suspended, nobody else ever."""
    return [m.id for m in members if m.opted_in and not m.suspended]


@dataclass(frozen=True)
class RoundPlan:
    """A round's meetings, and who sits it out (only when a trio would repeat a pair)."""

    meetings: tuple[Meeting, ...]
    sits_out: str | None


def plan_round(
    members: Sequence[Member],
    previous_pairs: Collection[frozenset[str]],
    vocab: Vocabulary,
    seed: int | None = None,
    sat_out_last: str | None = None,
) -> RoundPlan:
    """The round's meetings over the opted-in members (the caller leaves others out).

    `sat_out_last`: who sat out the round before; they do not sit out twice running when
    another member can sit out instead without one more pair repeated.
    """
    plan = _plan(members, previous_pairs, vocab, seed)
    if plan.sits_out is None or plan.sits_out != sat_out_last:
        return plan
    repeats = _repeats(plan, previous_pairs)
    for other in [m for m in members if m.id != sat_out_last][:ROTATE_TRIES]:
        rest = [m for m in members if m.id != other.id]
        instead = _plan(rest, previous_pairs, vocab, seed)
        if instead.sits_out is None and _repeats(instead, previous_pairs) <= repeats:
            return RoundPlan(instead.meetings, other.id)
    return plan


def _repeats(plan: RoundPlan, previous_pairs: Collection[frozenset[str]]) -> int:
    earlier = set(previous_pairs)
    return sum(p in earlier for meeting in plan.meetings for p in meeting.pairs())


def _plan(
    members: Sequence[Member],
    previous_pairs: Collection[frozenset[str]],
    vocab: Vocabulary,
    seed: int | None,
) -> RoundPlan:
    if len(members) < 2:
        return RoundPlan((), members[0].id if members else None)
    made = pair_round(members, previous_pairs, vocab, seed=seed)
    meetings = [Meeting((p.a, p.b), tuple(p.shared), p.score) for p in made.pairs]
    odd = made.odd_one_out
    if odd is None:
        return RoundPlan(tuple(meetings), None)
    earlier = set(previous_pairs)
    for k, meeting in enumerate(meetings):  # best pair first: pair_round sorts by score
        if all(frozenset((odd, m)) not in earlier for m in meeting.members):
            meetings[k] = Meeting((*meeting.members, odd), meeting.shared, meeting.score)
            return RoundPlan(tuple(meetings), None)
    return RoundPlan(tuple(meetings), odd)


def held(mine: str, theirs: str) -> bool:
    """A meeting counts as held when both sides confirmed it."""
    return mine == MET and theirs == MET


def can_record(status: str) -> bool:
    """Only a pending meeting is confirmed or marked a no-show: each side says it once."""
    return status == PENDING


INVITED, CAME = "invited", "came"
VISITOR_STATUSES = (INVITED, CAME, NO_SHOW)


def visitor_can_be_marked(status: str) -> bool:
    """A guest's attendance is marked once, after the invitation."""
    return status == INVITED


def how_a_visitor_met(group: str) -> str:
    """How a guest who came met their inviter, as the seed's "met" says it."""
    return f"my guest at a {group} meeting"


def how_a_partner_met(group: str) -> str:
    """How two members met in a one-to-one, as each one's garden says it."""
    return f"a {group} one-to-one"
