"""One-to-ones in the group: opting in, an organiser's pairing round, confirming a meeting.

A round pairs the opted-in members who are not suspended on their own "me" interests, needs
and offers (`kith me`), never repeating an earlier round's pair while another choice exists;
an odd group makes one trio (see `core.one_to_ones`). Each member confirms their side
(`met`) or records a no-show; when both sides said met, the meeting is logged as an
interaction in both gardens, in the transaction of the second confirmation, the partner
planted as a seed where the garden has nobody of that name. Feedback stays with its writer:
on their side of the meeting and as the note of the interaction in their own garden.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kith.app import community, inputs
from kith.app.errors import InvalidInput, KithError, NotFound
from kith.app.garden import Garden
from kith.core import one_to_ones as rules
from kith.core.model import Interaction, InteractionKind, PersonDraft, TagKind
from kith.core.pairing import Member
from kith.core.tags import load_vocabulary
from kith.store import Connection
from kith.store import history as history_store
from kith.store import one_to_ones as store
from kith.store import people as people_store


@dataclass(frozen=True)
class OptInView:
    """Whether a member takes part in one-to-one rounds."""

    login: str
    opted_in: bool


@dataclass(frozen=True)
class MeetingView:
    """One meeting of a round: its members' logins (three for the trio) and what they share."""

    members: list[str]
    shared: list[str]


@dataclass(frozen=True)
class RoundView:
    """A round just made."""

    id: int
    held_on: date
    opted_in: int  # members paired over (opted in, not suspended)
    meetings: list[MeetingView]
    sits_out: str | None  # the odd one out, only when every trio would repeat a pair
    repeats: int  # pairs met in an earlier round again: 0 unless no other choice existed


@dataclass(frozen=True)
class SideView:
    """My side of a one-to-one: with whom, from which round, and where it stands."""

    id: int
    round_id: int
    round_on: date
    partner: str
    shared: list[str]
    status: str  # pending | met | no-show
    partner_status: str | None
    met_on: date | None
    feedback: str | None  # mine, private
    held: bool  # both confirmed: logged in both gardens


@dataclass(frozen=True)
class MeetingsView:
    """My one-to-ones, newest round first (`kith group meetings`, the API's list)."""

    meetings: list[SideView]


@dataclass(frozen=True)
class MyRoundsView:
    """Where I stand in the one-to-ones: opted in or not, my meetings, whether I run rounds."""

    login: str
    group: str
    opted_in: bool
    organiser: bool  # organisers run the pairing rounds
    meetings: list[SideView]


def opt(garden: Garden, *, opted_in: bool) -> OptInView:
    """Opt in to the group's one-to-one rounds, or out (from the next round on)."""
    with garden.transaction() as conn:
        me = community.acting_member(conn, garden)
        store.set_opted_in(conn, me.account_id, opted_in)
    return OptInView(me.login, opted_in)


def run_round(garden: Garden, on: str | None = None, seed: int | None = None) -> RoundView:
    """Pair the opted-in members for a round (organisers only), on a day (default today)."""
    held_on = garden.today if on is None else inputs.day("on", on, garden.today)
    with garden.transaction() as conn:
        me = community.acting_member(conn, garden)
        if me.role != "organiser":
            raise KithError(f"only an organiser of {me.group_name} runs a pairing round")
        store.lock_rounds(conn, me.group_id)  # two organisers at once: one round after the other
        taking_part = _taking_part(conn, me.group_id)
        if len(taking_part) < 2:
            raise KithError(
                f"a round needs two members opted in to one-to-ones; {len(taking_part)} of"
                f" {me.group_name} are"
            )
        own = store.own_tags(conn, list(taking_part))
        profiles = [_member(a, login, own[a]) for a, login in taking_part.items()]
        earlier = {frozenset(map(str, pair)) for pair in store.earlier_pairs(conn, me.group_id)}
        last = store.sat_out_last(conn, me.group_id)
        plan = rules.plan_round(
            profiles, earlier, load_vocabulary(), seed, None if last is None else str(last)
        )
        sitter = None if plan.sits_out is None else int(plan.sits_out)
        round_id = store.add_round(conn, me.group_id, held_on, me.account_id, sitter)
        store.add_sides(conn, round_id, _pairs_to_store(plan))
    login_of = {str(account): login for account, login in taking_part.items()}
    return RoundView(
        round_id,
        held_on,
        len(taking_part),
        [MeetingView([login_of[m] for m in x.members], list(x.shared)) for x in plan.meetings],
        None if plan.sits_out is None else login_of[plan.sits_out],
        sum(p in earlier for x in plan.meetings for p in x.pairs()),
    )


def _taking_part(conn: Connection, group_id: int) -> dict[int, str]:
    """Account -> login of the members a round pairs (core's rule: opted in, not suspended)."""
    everyone = store.pairing_rows(conn, group_id)
    chosen = set(
        rules.taking_part(
            [rules.Candidate(str(m.account_id), m.opted_in, m.suspended) for m in everyone]
        )
    )
    return {m.account_id: m.login for m in everyone if str(m.account_id) in chosen}


def _pairs_to_store(plan: rules.RoundPlan) -> list[tuple[int, int, list[str]]]:
    """Every pair of the round's meetings (a trio's three), with what its meeting shares."""
    return [
        (int(a), int(b), list(meeting.shared))
        for meeting in plan.meetings
        for a, b in (sorted(p) for p in meeting.pairs())
    ]


def _member(account_id: int, login: str, own: dict[str, list[str]]) -> Member:
    """A member as the pairing sees them: their own "me" tags."""
    return Member(
        str(account_id),
        login,
        tuple(own.get(TagKind.INTEREST, ())),
        tuple(own.get(TagKind.NEED, ())),
        tuple(own.get(TagKind.OFFER, ())),
    )


def meetings(garden: Garden) -> list[SideView]:
    """My one-to-ones, newest round first."""
    with garden.reading() as conn:
        me = community.acting_member(conn, garden)
        sides = store.sides_of(conn, me.account_id)
    return [_view(s) for s in sides]


def listed(garden: Garden) -> MeetingsView:
    """`meetings` as one document, as the CLI's --json and the API show it."""
    return MeetingsView(meetings(garden))


def _view(row: store.SideRow) -> SideView:
    return SideView(
        row.id,
        row.round_id,
        row.held_on,
        row.partner,
        row.shared,
        row.status,
        row.partner_status,
        row.met_on,
        row.feedback,
        rules.held(row.status, row.partner_status or ""),
    )


def _side_id(text: str) -> int:
    """A meeting's id as typed: '12' or '#12'."""
    cleaned = text.strip().removeprefix("#")
    if not cleaned.isdigit() or len(cleaned) > 18:
        raise InvalidInput("meeting_id", f"{text!r} is not a meeting's id, such as 12")
    return int(cleaned)


def met(
    garden: Garden, reference: str, on: str | None = None, feedback: str | None = None
) -> SideView:
    """Confirm a one-to-one happened; when the partner has too, it goes into both gardens."""
    return _record(garden, reference, rules.MET, on, feedback)


def no_show(garden: Garden, reference: str, feedback: str | None = None) -> SideView:
    """Record that my partner did not come to our one-to-one."""
    return _record(garden, reference, rules.NO_SHOW, None, feedback)


def _record(
    garden: Garden, reference: str, status: str, on: str | None, feedback: str | None
) -> SideView:
    side_id = _side_id(reference)
    met_on = inputs.date_or_today("on", on, garden.today) if status == rules.MET else None
    note = inputs.optional_text("feedback", feedback, one_line=False)
    with garden.transaction() as conn:
        me = community.acting_member(conn, garden)
        mine = store.side(conn, me.account_id, side_id)
        if mine is None:
            raise NotFound(f"meeting #{side_id} not found")
        statuses = store.lock_both_sides(conn, me.account_id, mine.partner_id, mine.round_id)
        current = statuses.get(me.account_id, mine.status)
        if not rules.can_record(current):
            raise KithError(
                f"meeting #{side_id} with {mine.partner} is already recorded: {current}"
            )
        if met_on is not None and met_on < mine.held_on:
            raise InvalidInput("on", f"{met_on.isoformat()} is before the round ({mine.held_on})")
        store.record(
            conn,
            me.account_id,
            side_id,
            status=status,
            met_on=met_on,
            feedback=note,
            today=garden.today,
        )
        if rules.held(status, statuses.get(mine.partner_id, "")):
            meeting = _Held(mine.round_id, me.group_name, garden.today)
            _log_in_garden(conn, meeting, me.account_id, mine.partner_id, mine.partner)
            _log_in_garden(conn, meeting, mine.partner_id, me.account_id, me.login)
        found = store.side(conn, me.account_id, side_id)
    assert found is not None  # just recorded, in this transaction
    return _view(found)


@dataclass(frozen=True)
class _Held:
    """A meeting both sides confirmed: its round, the group's name, the day it was confirmed."""

    round_id: int
    group: str
    today: date


def _log_in_garden(
    conn: Connection, held: _Held, account_id: int, partner_id: int, partner: str
) -> None:
    """The held meeting as an interaction in one member's garden, with their own feedback."""
    met_on, feedback, shared = store.met_on_and_feedback(
        conn, account_id, partner_id, held.round_id
    )
    assert met_on is not None  # a side confirmed as met has its day
    person_id = _partner_in_garden(conn, account_id, partner, held, met_on)
    history_store.add_interaction(
        conn,
        account_id,
        Interaction(
            person_id=person_id,
            on=met_on,
            kind=InteractionKind.MEETING,
            topics=tuple(shared),
            note=feedback,
        ),
    )
    store.mark_logged(conn, account_id, partner_id, held.round_id)


def _partner_in_garden(
    conn: Connection, account_id: int, partner: str, held: _Held, met_on: date
) -> int:
    """The partner (by their login) as a person in the garden: the one there, else a new seed."""
    there = people_store.namesakes_and_email_owners(conn, account_id, partner, ())
    if there:
        return there[0].id
    draft = PersonDraft(partner, met_where=rules.how_a_partner_met(held.group), met_on=met_on)
    return people_store.insert_person(conn, account_id, draft, created_on=held.today)


def status(garden: Garden) -> OptInView:
    """Whether I take part in one-to-one rounds."""
    with garden.reading() as conn:
        me = community.acting_member(conn, garden)
        return OptInView(me.login, store.opted_in(conn, me.account_id))


def mine(garden: Garden) -> MyRoundsView:
    """My standing in the rounds and my meetings, newest round first, read at once."""
    with garden.reading() as conn:
        me = community.acting_member(conn, garden)
        opted_in = store.opted_in(conn, me.account_id)
        sides = store.sides_of(conn, me.account_id)
    return MyRoundsView(
        me.login, me.group_name, opted_in, me.role == "organiser", [_view(s) for s in sides]
    )
