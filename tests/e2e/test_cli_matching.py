"""Mutual interest through the CLI: starters, intro suggestions, the double opt-in."""

from __future__ import annotations

from datetime import timedelta

from tests.conftest import TODAY, Kith
from tests.e2e.test_cli_judgement import plant_taker, plant_trusted_friend


def ago(days: int) -> str:
    return (TODAY - timedelta(days=days)).isoformat()


def test_starters_find_what_we_share_across_spellings(kith: Kith) -> None:
    kith.ok(
        "me", "--interest", "Classical Music", "--interest", "rock climbing", "--interest", "java"
    )
    kith.ok(
        "seed",
        "Ana Ruiz",
        "--interest",
        "classical music",
        "--interest",
        "climbing",
        "--interest",
        "javascript",
    )
    kith.ok("log", "Ana", "call", "--topic", "her new job")
    found = kith.ok("starters", "Ana", "--json").json()
    assert found["shared_interests"] == ["classical music", "climbing"]  # never java ~ javascript
    assert any("her new job" in line for line in found["starters"])
    assert any("classical music" in line for line in found["starters"])


def test_starters_never_invent_a_shared_interest(kith: Kith) -> None:
    kith.ok("me", "--interest", "chess")
    kith.ok("seed", "Bo Li", "--interest", "sailing")
    found = kith.ok("starters", "Bo", "--json").json()
    assert found["shared_interests"] == []
    assert not any("chess" in line or "sailing" in line for line in found["starters"])


def test_a_need_and_an_offer_are_suggested_for_an_intro_and_a_weed_never(kith: Kith) -> None:
    plant_trusted_friend(kith, "Bea Chen")
    kith.ok("edit", "Bea", "--add-need", "a UX designer")
    plant_trusted_friend(kith, "Carl Diaz")
    kith.ok("edit", "Carl", "--add-offer", "UX design")
    plant_taker(kith)
    kith.ok("edit", "Tom", "--add-offer", "UX design")
    suggested = kith.ok("intros", "--json").json()
    assert suggested, "the designer and the friend who needs one should meet"
    first = suggested[0]
    assert {first["a"], first["b"]} == {"Bea Chen", "Carl Diaz"}
    assert "UX" in first["why"] and first["score"] > 0
    assert all("Tom Becker" not in (s["a"], s["b"]) for s in suggested)


def test_the_double_opt_in_records_help_given_to_both(kith: Kith) -> None:
    plant_trusted_friend(kith, "Bea Chen")
    plant_trusted_friend(kith, "Carl Diaz")
    started = kith.ok("intro", "Bea", "Carl", "--why", "design help", "--json").json()
    number = str(started["id"])
    assert started["state"] == "proposed"
    refused = kith("intro-step", number, "made")
    assert refused.exit_code == 1 and "accept" in refused.stderr
    for step in ("asked-a", "asked-b", "accepted", "made"):
        kith.ok("intro-step", number, step)
    kith.ok("intro-step", number, "outcome", "--outcome", "they are working together")
    status = kith.ok("intro-status", "--json").json()
    assert status[0]["state"] == "made" and status[0]["outcome"] == "they are working together"
    # The outcome is a dated step too (the API always said so; the CLI now shares its shape).
    steps = {"proposed", "asked A", "asked B", "accepted", "made", "outcome"}
    assert set(status[0]["steps"]) == steps
    bea = kith.ok("show", "Bea", "--json").json()
    assert bea["counts"]["given"] == 2 and bea["counts"]["intros"] == 1
    assert all(
        {s["a"], s["b"]} != {"Bea Chen", "Carl Diaz"} for s in kith.ok("intros", "--json").json()
    )


def test_an_intro_to_someone_you_cannot_vouch_for_is_refused(kith: Kith) -> None:
    plant_trusted_friend(kith, "Bea Chen")
    plant_taker(kith)
    result = kith("intro", "Bea", "Tom")
    assert result.exit_code == 1 and "cannot vouch for Tom Becker" in result.stderr
    assert kith.ok("intro-status", "--json").json() == []


def test_forgetting_one_side_of_a_made_intro_removes_the_other_sides_gift(kith: Kith) -> None:
    plant_trusted_friend(kith, "Bea Chen")
    plant_trusted_friend(kith, "Carl Diaz")
    number = str(kith.ok("intro", "Bea", "Carl", "--json").json()["id"])
    for step in ("asked-a", "asked-b", "accepted", "made"):
        kith.ok("intro-step", number, step)
    assert kith.ok("show", "Bea", "--json").json()["counts"]["given"] == 2
    result = kith.ok("forget", "Carl", "--yes")
    assert "1 intro," in result.stdout or result.stdout.rstrip().endswith("1 intro")
    bea = kith.ok("show", "Bea", "--json").json()
    assert bea["counts"]["given"] == 1 and bea["counts"]["intros"] == 0
    assert all("Carl" not in str(event.get("what")) for event in bea["timeline"])


def test_an_intro_under_way_or_made_is_not_started_twice(kith: Kith) -> None:
    plant_trusted_friend(kith, "Bea Chen")
    plant_trusted_friend(kith, "Carl Diaz")
    number = str(kith.ok("intro", "Bea", "Carl", "--json").json()["id"])
    again = kith("intro", "Carl", "Bea")
    assert (
        again.exit_code == 1 and f"already have introduction #{number} (proposed)" in again.stderr
    )
    for step in ("asked-a", "asked-b", "accepted", "made"):
        kith.ok("intro-step", number, step)
    twice = kith("intro-step", number, "made")
    assert twice.exit_code == 1 and "already made on" in twice.stderr
    assert kith.ok("show", "Bea", "--json").json()["counts"]["given"] == 2
