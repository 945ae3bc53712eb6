"""Whom a warm path is for (core/path_targets); how an intro request travels (intro_requests)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kith.core import intro_requests as rules
from kith.core.path_targets import Described, matching, parse
from kith.core.tags import load_vocabulary

VOCAB = load_vocabulary()
NODES = [
    Described(0, "ana", member=True),
    Described(1, "lea", member=True),
    Described(2, "Maya Okafor", False, "Acme Ventures", ("fundraising advice",), ("climbing",)),
    Described(3, "Omar Haddad", False, "Beta Labs", ("raising money",), ("bouldering",)),
    Described(4, "Maya Lind", False, None, ("design",), ()),
]


def chosen(text: str) -> set[int]:
    found = matching(parse(text), NODES, VOCAB)
    return {found.person_id} if found.person_id is not None else {c.id for c in found.candidates}


def test_targets_by_prefix_follow_the_tag_rules() -> None:
    assert chosen("offers:fundraising") == {2, 3}  # a phrase containing it, and a synonym
    assert chosen("offer: Fundraising") == {2, 3}
    assert chosen("interests:climbing") == {2, 3}  # bouldering is a kind of climbing
    assert chosen("at:acme") == {2} and chosen("company:Beta") == {3}
    assert chosen("offers:tax law") == set()


def test_a_name_is_a_login_or_a_contact_named_as_any_person_is() -> None:
    assert chosen("lea") == {1}
    assert chosen("omar") == {3}
    assert chosen("Maya Okafor") == {2}
    assert chosen("maya") == {2, 4}  # ambiguous: both candidates, for the app to list
    assert chosen("Nobody Here") == set()


@pytest.mark.parametrize("text", ["", "   ", "offers:", "at: "])
def test_an_empty_target_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match=r"name a member|say what after"):
        parse(text)


def test_the_words_of_a_target() -> None:
    assert parse("offers:fundraising").words == "someone who offers fundraising"
    assert parse("at:Acme").words == "someone at Acme"
    assert parse("interests:chess").words == "someone interested in chess"
    assert parse("Omar").words == "Omar"


def node(key: str, member: bool = True) -> rules.PathNode:
    return rules.PathNode(key, key, member)


def test_introducers_are_asked_in_turn_and_a_member_target_last() -> None:
    turns = rules.steps([node("ana"), node("lea"), node("omar")])
    assert [(t.key, t.role, t.next_key) for t in turns] == [
        ("lea", rules.Role.INTRODUCE, "omar"),
        ("omar", rules.Role.TARGET, "omar"),
    ]


def test_a_contact_target_is_asked_by_the_member_who_knows_them() -> None:
    turns = rules.steps([node("ana"), node("lea"), node("omar"), node("Maya", member=False)])
    assert [(t.key, t.role) for t in turns] == [
        ("lea", rules.Role.INTRODUCE),
        ("omar", rules.Role.ASK_CONTACT),
    ]
    assert turns[-1].next_name == "Maya"
    with pytest.raises(ValueError, match="ask them directly"):
        rules.steps([node("ana"), node("Maya", member=False)])


@given(st.integers(min_value=1, max_value=3), st.booleans())
def test_every_path_ends_with_the_target_asked_once(hops: int, member: bool) -> None:
    path = [node(f"n{i}") for i in range(hops)] + [node("t", member)]
    if not member and hops == 1:
        return  # a contact of my own: nobody to ask
    turns = rules.steps(path)
    assert sum(t.role is not rules.Role.INTRODUCE for t in turns) == 1
    assert turns[-1].role is not rules.Role.INTRODUCE and turns[-1].next_key == "t"
    assert all(t.key != "n0" for t in turns)  # the requester is never asked


def test_requests_expire_after_a_fortnight_and_are_limited() -> None:
    made = date(2026, 11, 1)
    last = rules.expires_on(made)
    assert rules.status("open", last, last) is rules.Status.OPEN
    assert rules.status("open", last, date(2026, 11, 16)) is rules.Status.EXPIRED
    assert rules.status("made", last, date(2027, 1, 1)) is rules.Status.MADE
    assert rules.may_open(rules.MAX_OPEN_REQUESTS - 1)
    assert not rules.may_open(rules.MAX_OPEN_REQUESTS)
    assert rules.after_accept(0, 2) == 1 and rules.after_accept(1, 2) is None
