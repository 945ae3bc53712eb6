"""One-to-one rounds and visitors through the CLI (issue 14), on PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.conftest import TODAY, Kith
from tests.e2e.test_cli_group import PASSWORD, Member, _one_error_line, make_group
from tests.e2e.test_cli_judgement import ago


def _opt_in(*members: Member) -> None:
    for m in members:
        m.ok("group", "one-to-ones", "--opt-in")


def _only_meeting(member: Member) -> dict[str, Any]:
    (side,) = member.ok("group", "meetings", "--json").json()["meetings"]
    return dict(side)


def _timeline(member: Member, name: str) -> list[dict[str, Any]]:
    shown = member.ok("show", name, "--json").json()
    return [e for e in shown["timeline"] if e.get("kind") == "meeting"]


def test_two_members_meet_and_both_gardens_hold_the_meeting_once_both_confirm(
    community_db_url: str, tmp_path: Path
) -> None:
    kith = Kith(community_db_url, tmp_path)
    ana, bob = make_group(kith, tmp_path, "ana", "bob")
    ana.ok("me", "--interest", "climbing")
    bob.ok("me", "--interest", "Climbing", "--need", "fundraising")
    ana.ok("seed", "Bob", "--met", "PyCon")  # ana knows bob already; bob does not know her
    assert "only an organiser" in _one_error_line(bob("group", "round"))
    assert "two members opted in to one-to-ones; 0 of" in _one_error_line(ana("group", "round"))
    _opt_in(ana, bob)
    assert bob.ok("group", "one-to-ones", "--json").json() == {"login": "bob", "opted_in": True}

    made = ana.ok("group", "round", "--on", ago(7), "--json").json()
    assert [sorted(m["members"]) for m in made["meetings"]] == [["ana", "bob"]]
    assert made["meetings"][0]["shared"] and made["sits_out"] is None and made["repeats"] == 0
    side = _only_meeting(bob)
    assert (side["partner"], side["status"], side["held"]) == ("ana", "pending", False)

    first = bob.ok(
        "group", "met", str(side["id"]), "--on", ago(2), "--feedback", "great chat", "--json"
    )
    assert first.json()["held"] is False  # ana has not confirmed yet
    assert bob.ok("list", "--json").json() == []  # nothing in a garden until both say so
    ana_side = _only_meeting(ana)
    assert ana_side["partner_status"] == "met" and ana_side["feedback"] is None  # bob's is his
    assert "they confirmed" in ana.ok("group", "meetings").stdout
    assert "you confirmed; waiting for ana" in bob.ok("group", "meetings").stdout

    second = ana.ok("group", "met", f"#{ana_side['id']}", "--json").json()
    assert second["held"] is True
    (in_bobs,) = _timeline(bob, "ana")
    (in_anas,) = _timeline(ana, "bob")
    assert in_bobs["on"] == ago(2) and in_anas["on"] == TODAY.isoformat()
    assert "great chat" in str(in_bobs) and "great chat" not in str(ana.ok("show", "bob").stdout)
    assert [p["name"] for p in ana.ok("list", "--json").json()] == ["Bob"]  # the same Bob
    assert ana.ok("show", "bob", "--json").json()["met_where"] == "PyCon"
    ana_in_bobs = bob.ok("show", "ana", "--json").json()
    assert ana_in_bobs["met_where"] == "a Lisbon Founders one-to-one"
    assert ana_in_bobs["stage"] == "seed"
    assert "already recorded: met" in _one_error_line(bob("group", "met", str(side["id"])))
    assert "meeting #999999 not found" in _one_error_line(bob("group", "met", "999999"))
    assert "not a meeting's id" in _one_error_line(bob("group", "met", "abc"))

    again = ana.ok("group", "round", "--json").json()  # two members: only the old pair left
    assert again["repeats"] == 1
    report = ana.ok("group", "report", "--json").json()
    assert [(x["login"], x["one_to_ones"]) for x in report["lines"]] == [("ana", 1), ("bob", 1)]
    assert report["totals"]["one_to_ones"] == 1
    assert "1 one-to-one held" in ana.ok("group", "report").stdout


def test_an_odd_round_makes_a_trio_and_the_next_round_repeats_no_pair(
    community_db_url: str, tmp_path: Path
) -> None:
    kith = Kith(community_db_url, tmp_path)
    ana, bob, cleo, dan, eve = make_group(kith, tmp_path, "ana", "bob", "cleo", "dan", "eve")
    _opt_in(ana, bob, cleo, dan)  # eve stays out
    ana.ok("group", "suspend", "dan")
    first = ana.ok("group", "round", "--json").json()
    assert [sorted(m["members"]) for m in first["meetings"]] == [["ana", "bob", "cleo"]]
    assert first["opted_in"] == 3 and first["sits_out"] is None
    assert len(cleo.ok("group", "meetings", "--json").json()["meetings"]) == 2  # one per partner
    assert eve.ok("group", "meetings", "--json").json() == {"meetings": []}

    ana.ok("group", "reinstate", "dan")
    _opt_in(eve)
    second = ana.ok("group", "round", "--json").json()
    assert second["repeats"] == 0 and second["opted_in"] == 5
    seen = [login for m in second["meetings"] for login in m["members"]]
    if second["sits_out"]:
        seen.append(second["sits_out"])
    assert sorted(seen) == ["ana", "bob", "cleo", "dan", "eve"]  # each once
    met_before = {frozenset(p) for p in (("ana", "bob"), ("ana", "cleo"), ("bob", "cleo"))}
    for m in second["meetings"]:
        members = m["members"]
        for i, a in enumerate(members):
            assert all(frozenset((a, b)) not in met_before for b in members[i + 1 :])
    bob.ok("group", "one-to-ones", "--opt-out")
    third = ana.ok("group", "round", "--json").json()
    assert "bob" not in str(third["meetings"]) and third["opted_in"] == 4


def test_a_no_show_logs_nothing_in_either_garden(community_db_url: str, tmp_path: Path) -> None:
    kith = Kith(community_db_url, tmp_path)
    ana, bob = make_group(kith, tmp_path, "ana", "bob")
    _opt_in(ana, bob)
    ana.ok("group", "round")
    bobs = _only_meeting(bob)
    missed = bob.ok("group", "no-show", str(bobs["id"]), "--feedback", "never came", "--json")
    assert missed.json()["status"] == "no-show"
    ana.ok("group", "met", str(_only_meeting(ana)["id"]))
    assert ana.ok("list", "--json").json() == [] and bob.ok("list", "--json").json() == []
    assert "you said met; bob says no-show" in ana.ok("group", "meetings").stdout
    report = ana.ok("group", "report", "--json").json()
    assert report["totals"]["one_to_ones"] == 0 and report["totals"]["no_shows"] == 1
    assert [(x["login"], x["no_shows"]) for x in report["lines"]] == [("ana", 1), ("bob", 0)]
    assert "ana: " in ana.ok("group", "report").stdout
    assert "1 one-to-one missed" in ana.ok("group", "report").stdout


def test_a_visitor_who_came_becomes_a_seed_in_the_inviters_garden(
    community_db_url: str, tmp_path: Path
) -> None:
    kith = Kith(community_db_url, tmp_path)
    ana, bob, cleo = make_group(kith, tmp_path, "ana", "bob", "cleo")
    rita = bob.ok(
        "group",
        "visitor",
        "Rita Lopes",
        "--meeting",
        ago(3),
        "--email",
        "rita@example.org",
        "--json",
    ).json()
    assert rita["status"] == "invited" and rita["email"] == "rita@example.org"
    late = bob.ok("group", "visitor", "Tom Reis", "--meeting", ago(-7), "--json").json()
    gone = bob.ok("group", "visitor", "Ines Sa", "--meeting", ago(3), "--json").json()
    assert "mark them after it" in _one_error_line(
        bob("group", "visitor", str(late["id"]), "--came")
    )
    assert "visitor #" in _one_error_line(cleo("group", "visitor", str(rita["id"]), "--came"))

    came = bob.ok("group", "visitor", str(rita["id"]), "--came", "--json").json()
    assert came["status"] == "came" and came["person_id"] is not None
    seed = bob.ok("show", "Rita Lopes", "--json").json()
    assert seed["stage"] == "seed" and seed["met_where"] == "my guest at a Lisbon Founders meeting"
    assert "rita@example.org" in str(seed)
    assert cleo.ok("list", "--json").json() == []  # only the inviter's garden
    bob.ok("group", "visitor", str(gone["id"]), "--no-show")
    assert "already marked: no-show" in _one_error_line(
        bob("group", "visitor", str(gone["id"]), "--came")
    )
    assert [v["status"] for v in bob.ok("group", "visitors", "--json").json()["visitors"]] == [
        "invited",  # Tom, next week
        "no-show",  # Ines, invited after Rita to the same meeting
        "came",
    ]
    assert "meeting: say --meeting" in _one_error_line(bob("group", "visitor", "Someone"))

    mine = bob.ok("group", "report", "--json").json()
    assert [(x["login"], x["visitors"]) for x in mine["lines"]] == [("bob", 1)]
    assert mine["totals"]["visitors"] == 1
    everyone = ana.ok("group", "report", "--json").json()
    assert [x["visitors"] for x in everyone["lines"]] == [0, 1, 0]


def test_one_to_one_and_visitor_commands_refuse_sqlite_with_one_line(kith_sqlite: Kith) -> None:
    for args in (
        ("group", "one-to-ones", "--opt-in"),
        ("group", "round"),
        ("group", "meetings"),
        ("group", "met", "1"),
        ("group", "no-show", "1"),
        ("group", "visitor", "Rita", "--meeting", "2026-11-20"),
        ("group", "visitor", "1", "--came"),
        ("group", "visitors"),
    ):
        line = _one_error_line(kith_sqlite(*args, env=PASSWORD))
        assert "need a PostgreSQL database" in line, args
