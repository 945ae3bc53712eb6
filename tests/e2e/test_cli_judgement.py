"""Stories of good and bad networking told through the CLI, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from tests.conftest import TODAY, Kith


def ago(days: int) -> str:
    return (TODAY - timedelta(days=days)).isoformat()


def plant_trusted_friend(kith: Kith, name: str = "Maya Okafor") -> None:
    """Months of two-way contact, and help I gave first before they gave back."""
    kith.ok(
        "seed",
        name,
        "--met",
        "PyCon",
        "--on",
        ago(300),
        "--interest",
        "climbing",
        "--note",
        "private: going through a divorce",
        "--email",
        f"{name.split(maxsplit=1)[0].lower()}@example.org",
    )
    for days, by in (
        (300, "me"),
        (260, "them"),
        (200, "me"),
        (150, "them"),
        (90, "me"),
        (40, "them"),
        (10, "me"),
    ):
        kith.ok("log", name, "meeting", "--on", ago(days), "--by", by)
    kith.ok(
        "give",
        name,
        "reviewed her hiring plan",
        "--kind",
        "advice",
        "--weight",
        "3",
        "--on",
        ago(250),
    )
    kith.ok(
        "receive",
        name,
        "critique of my mock-ups",
        "--kind",
        "advice",
        "--weight",
        "2",
        "--on",
        ago(120),
    )


def plant_taker(kith: Kith) -> None:
    kith.ok("seed", "Tom Becker", "--met", "LinkedIn", "--on", ago(200))
    for days in (200, 150, 100, 50):
        kith.ok("log", "Tom", "call", "--by", "them", "--on", ago(days))
        kith.ok("give", "Tom", "another favour", "--on", ago(days - 1), "--weight", "2")


def test_a_pitch_to_someone_met_today_is_refused_with_give_first_from_their_need(
    kith: Kith,
) -> None:
    kith.ok("me", "--offer", "UX design", "--interest", "cycling")
    kith.ok(
        "seed",
        "Sofia Marin",
        "--met",
        "Product Camp",
        "--need",
        "a UX designer",
        "--interest",
        "cycling",
    )
    kith.ok("log", "Sofia", "small-talk")
    result = kith("ask", "Sofia", "buy my design services", "--pitch", "--json")
    assert result.exit_code == 1
    verdict = result.json()
    assert verdict["ready"] is False and verdict["stage"] == "seed"
    assert verdict["reasons"]
    assert "a UX designer" in verdict["give_first"][0]
    assert kith.ok("show", "Sofia", "--json").json()["counts"]["asks"] == 0  # refused, not recorded


def test_months_of_two_way_contact_and_giving_first_make_a_trusted_tie_ready_for_a_large_ask(
    kith: Kith,
) -> None:
    plant_trusted_friend(kith)
    shown = kith.ok("show", "Maya", "--json").json()
    assert shown["stage"] == "trusted"
    assert shown["balance"] == 1 and 0 < shown["strength"] <= 1 and 0 < shown["trust"] <= 1
    assert shown["next_feed"] is not None and shown["reasons"]
    check = kith.ok("ask", "Maya", "an intro to your investor", "--size", "large", "--json").json()
    assert check["ready"] is True and check["recorded"] is True
    assert kith.ok("show", "Maya", "--json").json()["counts"]["asks"] == 1
    # With that ask still open, another large one waits for its outcome (and --check-only
    # then exits 1, so a script can tell: issue 9).
    waiting = kith("ask", "Maya", "another", "--size", "large", "--check-only", "--json")
    assert waiting.exit_code == 1
    assert waiting.json()["ready"] is False
    kith.ok("ask-outcome", "Maya", "yes")
    assert (
        kith.ok("ask", "Maya", "another", "--size", "large", "--check-only", "--json").json()[
            "ready"
        ]
        is True
    )


def test_a_taker_is_a_weed_with_a_reason_about_reciprocity(kith: Kith) -> None:
    plant_taker(kith)
    weeds = kith.ok("weed", "--json").json()
    assert [w["name"] for w in weeds] == ["Tom Becker"]
    assert weeds[0]["stage"] == "weed"
    assert any("never gave back" in reason for reason in weeds[0]["reasons"])
    assert "Tom Becker" not in [f["name"] for f in kith.ok("feed", "--json").json()]


def test_a_quiet_healthy_friend_is_fed_as_dormant_and_never_weeded(kith: Kith) -> None:
    kith.ok("seed", "Lena Fischer", "--on", ago(900), "--interest", "jazz")
    for days, by in (
        (900, "me"),
        (800, "them"),
        (700, "me"),
        (600, "them"),
        (500, "me"),
        (420, "them"),
    ):
        kith.ok("log", "Lena", "meal", "--on", ago(days), "--by", by)
    kith.ok("give", "Lena", "helped her move", "--on", ago(850))
    kith.ok("receive", "Lena", "model review", "--on", ago(650))
    fed = kith.ok("feed", "--json").json()
    assert [(f["name"], f["stage"]) for f in fed] == [("Lena Fischer", "dormant")]
    assert fed[0]["why"] and fed[0]["gesture"] and fed[0]["due"] <= TODAY.isoformat()
    assert kith.ok("weed", "--json").json() == []


def test_share_holds_the_trusted_friend_and_none_of_the_others(kith: Kith, tmp_path: Path) -> None:
    plant_trusted_friend(kith)
    plant_taker(kith)
    plant_trusted_friend(kith, "Raj Patel")
    kith.ok("breach", "Raj", "leaked my deck", "--on", ago(5))
    plant_trusted_friend(kith, "Pruned Pete")
    kith.ok("prune", "Pete")
    kith.ok("seed", "New Nora")
    out = tmp_path / "network.json"
    report = kith.ok("share", "--out", str(out), "--json").json()
    assert report["shared"] == 1
    held = {h["name"]: h["why"] for h in report["held_back"]}
    assert set(held) == {"Tom Becker", "Raj Patel", "Pruned Pete", "New Nora"}
    assert all(held.values())
    written = json.loads(out.read_text(encoding="utf-8"))
    assert [c["name"] for c in written["contacts"]] == ["Maya Okafor"]
    assert {"name", "interests", "offers"} <= written["contacts"][0].keys()
    text = out.read_text(encoding="utf-8")
    assert "divorce" not in text and "note" not in text
    assert "maya@example.org" not in text  # no consent yet
    kith.ok("edit", "Maya", "--consent-share")
    kith.ok("share", "--out", str(out))
    assert json.loads(out.read_text(encoding="utf-8"))["contacts"][0]["emails"] == [
        "maya@example.org"
    ]


def test_stats_count_every_stage_and_look_in_the_mirror(kith: Kith) -> None:
    plant_trusted_friend(kith)
    plant_taker(kith)
    kith.ok("seed", "New Nora", "--met", "PyCon")
    for what in ("a", "b", "c"):
        kith.ok("ask", "Nora", what, "--force")
    stats = kith.ok("stats", "--json").json()
    assert (
        stats["by_stage"]["trusted"] == 1
        and stats["by_stage"]["weed"] == 1
        and stats["by_stage"]["seed"] == 1
    )
    assert sum(stats["by_stage"].values()) == 3
    pycon = next(row for row in stats["funnel_by_source"] if row["key"] == "PyCon")
    assert pycon["seeded"] == 2 and pycon["trusted"] == 1
    assert sum(week["interactions"] for week in stats["effort"]) > 0
    mirror = stats["mirror"]
    # three asks of Nora against three favours to Tom in the last 180 days (his fourth is older)
    assert (mirror["asks"], mirror["given"], mirror["people_helped"]) == (3, 3, 1)
    assert mirror["asking_more_than_giving"] is False and mirror["lines"]
    kith.ok("ask", "Nora", "d", "--force")
    assert kith.ok("stats", "--json").json()["mirror"]["asking_more_than_giving"] is True
    human = kith.ok("stats").stdout
    assert "by stage" in human


def test_snooze_takes_someone_out_of_todays_feed(kith: Kith) -> None:
    kith.ok("seed", "Noah Kim", "--on", ago(20))
    kith.ok("log", "Noah", "meeting", "--on", ago(20))
    assert [f["name"] for f in kith.ok("feed", "--json").json()] == ["Noah Kim"]
    kith.ok("snooze", "Noah", "--days", "5")
    assert kith.ok("feed", "--json").json() == []


def test_pruned_people_are_neither_fed_nor_weeded(kith: Kith) -> None:
    plant_taker(kith)
    kith.ok("prune", "Tom")
    assert kith.ok("weed", "--json").json() == []
    assert kith.ok("feed", "--json").json() == []
    assert kith.ok("show", "Tom", "--json").json()["stage"] == "pruned"


def test_ask_outcome_without_an_open_ask_is_refused(kith: Kith) -> None:
    kith.ok("seed", "Ana Ruiz")
    result = kith("ask-outcome", "Ana", "yes")
    assert result.exit_code == 1 and "no open ask" in result.stderr
