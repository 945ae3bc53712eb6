"""One-to-one rounds (core/one_to_ones.py): who is paired, repeats only when unavoidable."""

from __future__ import annotations

from functools import cache

from hypothesis import given, settings
from hypothesis import strategies as st

from kith.core.group_report import OneToOne, Visitor, group_report
from kith.core.one_to_ones import (
    CAME,
    INVITED,
    MET,
    NO_SHOW,
    PENDING,
    Candidate,
    RoundPlan,
    can_record,
    held,
    plan_round,
    taking_part,
    visitor_can_be_marked,
)
from kith.core.pairing import Member
from kith.core.tags import Vocabulary, load_vocabulary

TAGS = ("climbing", "chess", "fundraising", "hiring", "design", "sailing")


@cache
def _vocab() -> Vocabulary:
    return load_vocabulary()


members_st = st.lists(
    st.builds(
        Member,
        id=st.just(""),
        name=st.just(""),
        interests=st.lists(st.sampled_from(TAGS), max_size=3).map(tuple),
        needs=st.lists(st.sampled_from(TAGS), max_size=2).map(tuple),
        offers=st.lists(st.sampled_from(TAGS), max_size=2).map(tuple),
    ),
    min_size=2,
    max_size=9,
).map(
    lambda ms: [Member(f"m{i}", f"m{i}", m.interests, m.needs, m.offers) for i, m in enumerate(ms)]
)


def _pairs(plan: RoundPlan) -> list[frozenset[str]]:
    return [p for meeting in plan.meetings for p in meeting.pairs()]


def _can_avoid_repeats(ids: list[str], earlier: set[frozenset[str]]) -> bool:
    """Brute force: is there a matching of len(ids) // 2 pairs, none met before?"""
    if len(ids) < 2:
        return True
    if len(ids) % 2:  # someone may be the one left over
        return any(_can_avoid_repeats(ids[:k] + ids[k + 1 :], earlier) for k in range(len(ids)))
    first, rest = ids[0], ids[1:]
    return any(
        frozenset((first, other)) not in earlier
        and _can_avoid_repeats([x for x in rest if x != other], earlier)
        for other in rest
    )


def _assert_each_member_once(plan: RoundPlan, members: list[Member]) -> None:
    seen = [m for meeting in plan.meetings for m in meeting.members]
    assert len(seen) == len(set(seen))  # paired at most once a round
    assert all(len(meeting.members) in (2, 3) for meeting in plan.meetings)
    assert sum(len(meeting.members) == 3 for meeting in plan.meetings) <= 1
    everyone = sorted([*seen, *([plan.sits_out] if plan.sits_out else [])])
    assert everyone == sorted(m.id for m in members)  # nobody forgotten, nobody invented
    assert (plan.sits_out is None) or len(members) % 2 == 1


@settings(max_examples=40, deadline=None)
@given(members_st, st.integers(min_value=1, max_value=8), st.integers(0, 2**32 - 1))
def test_rounds_repeat_no_pair_while_another_pairing_exists(
    members: list[Member], rounds: int, seed: int
) -> None:
    earlier: set[frozenset[str]] = set()
    ids = [m.id for m in members]
    sat_out = None
    for k in range(rounds):
        plan = plan_round(members, earlier, _vocab(), seed=seed + k, sat_out_last=sat_out)
        _assert_each_member_once(plan, members)
        if _can_avoid_repeats(ids, earlier):
            assert not set(_pairs(plan)) & earlier, f"round {k + 1} repeated a pair"
        earlier |= set(_pairs(plan))
        sat_out = plan.sits_out


@settings(max_examples=40, deadline=None)
@given(members_st, st.data())
def test_a_trio_never_repeats_a_pair_and_sits_out_only_when_every_trio_would(
    members: list[Member], data: st.DataObject
) -> None:
    ids = [m.id for m in members]
    earlier = set(
        data.draw(
            st.lists(
                st.tuples(st.sampled_from(ids), st.sampled_from(ids))
                .filter(lambda p: p[0] != p[1])
                .map(frozenset),
                max_size=12,
            )
        )
    )
    plan = plan_round(members, earlier, _vocab(), seed=1)
    _assert_each_member_once(plan, members)
    trios = [m for m in plan.meetings if len(m.members) == 3]
    for trio in trios:
        odd = trio.members[2]
        assert frozenset((odd, trio.members[0])) not in earlier
        assert frozenset((odd, trio.members[1])) not in earlier
    if plan.sits_out is not None:
        odd = plan.sits_out
        assert all(
            any(frozenset((odd, m)) in earlier for m in meeting.members)
            for meeting in plan.meetings
        )


@given(
    st.lists(
        st.builds(
            Candidate,
            id=st.text(min_size=1, max_size=4),
            opted_in=st.booleans(),
            suspended=st.booleans(),
        ),
        max_size=12,
        unique_by=lambda c: c.id,
    )
)
def test_suspended_and_opted_out_members_are_never_paired(candidates: list[Candidate]) -> None:
    chosen = taking_part(candidates)
    assert chosen == [c.id for c in candidates if c.opted_in and not c.suspended]
    plan = plan_round([Member(i, i) for i in chosen], set(), _vocab(), seed=0)
    paired = {m for meeting in plan.meetings for m in meeting.members}
    assert not paired & {c.id for c in candidates if c.suspended or not c.opted_in}


def test_who_sat_out_last_round_does_not_sit_out_again_when_another_can() -> None:
    five = [Member(x, x) for x in "abcde"]
    # No trio of any pairing of these five is new to all three (checked by hand: b's new
    # partners are a and c only, d's a and c, e's a and c).
    earlier = {frozenset(p) for p in ("bd", "be", "de", "ac")}
    first = plan_round(five, earlier, _vocab(), seed=0)
    assert first.sits_out is not None and not set(_pairs(first)) & earlier
    second = plan_round(five, earlier, _vocab(), seed=0, sat_out_last=first.sits_out)
    assert second.sits_out not in (None, first.sits_out)
    assert not set(_pairs(second)) & earlier
    _assert_each_member_once(second, five)


def test_a_two_member_group_meets_again_only_because_nothing_else_exists() -> None:
    pair = [Member("a", "a"), Member("b", "b")]
    plan = plan_round(pair, {frozenset(("a", "b"))}, _vocab(), seed=0)
    assert [m.members for m in plan.meetings] == [("a", "b")]


def test_one_member_sits_out_alone() -> None:
    assert plan_round([Member("a", "a")], set(), _vocab()) == RoundPlan((), "a")


def test_a_meeting_is_held_only_when_both_sides_say_met() -> None:
    assert held(MET, MET)
    assert not held(MET, PENDING) and not held(MET, NO_SHOW) and not held(PENDING, MET)
    assert can_record(PENDING) and not can_record(MET) and not can_record(NO_SHOW)
    assert visitor_can_be_marked(INVITED)
    assert not visitor_can_be_marked(CAME) and not visitor_can_be_marked(NO_SHOW)


LOGINS = ("ana", "bob", "cleo")


@given(
    st.lists(st.tuples(st.sampled_from(LOGINS), st.sampled_from(LOGINS)), max_size=10),
    st.lists(st.tuples(st.sampled_from(LOGINS), st.booleans()), max_size=10),
)
def test_the_report_counts_each_one_to_one_once_for_the_group_and_once_per_member_in_it(
    pairs: list[tuple[str, str]], guests: list[tuple[str, bool]]
) -> None:
    held_ = [OneToOne(a, b) for a, b in pairs if a != b]
    report = group_report(LOGINS, [], held_, [Visitor(i, c) for i, c in guests])
    assert report.totals.one_to_ones == len(held_)
    assert sum(line.one_to_ones for line in report.lines) == 2 * len(held_)
    assert report.totals.visitors == sum(line.visitors for line in report.lines)
    assert report.totals.visitors == sum(came for _, came in guests)
    missed = group_report(LOGINS, [], [], [], [a for a, _ in pairs])
    assert missed.totals.no_shows == len(pairs) == sum(line.no_shows for line in missed.lines)


def test_a_former_members_one_to_ones_and_guests_count_for_no_one() -> None:
    report = group_report(
        ["ana", "bob"],
        [],
        [OneToOne("ana", "bob"), OneToOne("ana", "zed")],
        [Visitor("zed", True), Visitor("bob", True), Visitor("bob", False)],
    )
    assert [(x.login, x.one_to_ones, x.visitors) for x in report.lines] == [
        ("ana", 1, 0),
        ("bob", 1, 1),
    ]
    assert (report.totals.one_to_ones, report.totals.visitors) == (1, 1)
