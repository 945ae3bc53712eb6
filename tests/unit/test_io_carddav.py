"""Planning a two-way CardDAV sync: pure decisions from ETags and change flags."""

from __future__ import annotations

from datetime import UTC, datetime

from kith.io.carddav import Conflict, LocalCard, SyncPlan, card_uid, plan_sync

EARLY = datetime(2024, 1, 1, tzinfo=UTC)
LATE = datetime(2024, 2, 1, tzinfo=UTC)


def test_new_cards_flow_both_ways_and_unchanged_ones_stay() -> None:
    local = {"mine": LocalCard(None, True), "same": LocalCard("e1", False)}
    remote = {"same": "e1", "theirs": "e9"}
    assert plan_sync(local, remote) == SyncPlan(create_remote=("mine",), pull=("theirs",))


def test_one_sided_changes() -> None:
    local = {"pushed": LocalCard("e1", True), "pulled": LocalCard("e2", False)}
    plan = plan_sync(local, {"pushed": "e1", "pulled": "e3"})
    assert plan.update_remote == {"pushed": "e1"}
    assert plan.pull == ("pulled",)
    assert plan.conflicts == ()


def test_both_changed_the_most_recent_wins_and_is_reported() -> None:
    local = {"a": LocalCard("e1", True, LATE), "b": LocalCard("e1", True, EARLY)}
    remote = {"a": "e2", "b": "e2"}
    plan = plan_sync(local, remote, {"a": EARLY, "b": LATE})
    assert plan.update_remote == {"a": "e2"}
    assert plan.pull == ("b",)
    assert plan.conflicts == (
        Conflict("a", "local", "both changed; ours is more recent"),
        Conflict("b", "remote", "both changed; the server's is more recent"),
    )


def test_unknown_change_times_let_the_server_win() -> None:
    plan = plan_sync({"a": LocalCard("e1", True)}, {"a": "e2"})
    assert plan.pull == ("a",)
    assert plan.conflicts[0].winner == "remote"


def test_a_card_gone_from_the_server_is_reported_not_recreated() -> None:
    assert plan_sync({"a": LocalCard("e1", False)}, {}).gone_remote == ("a",)


def test_card_uid_reads_folded_and_grouped_uids() -> None:
    assert card_uid("BEGIN:VCARD\r\nUID:abc-\r\n def\r\nEND:VCARD\r\n") == "abc-def"
    assert card_uid("BEGIN:VCARD\nitem1.uid;VALUE=text:x1\nEND:VCARD\n") == "x1"
    assert card_uid("BEGIN:VCARD\nFN:No Uid\nEND:VCARD\n") is None
