"""Issue 9's stories through the CLI: evidence-based trust, their asks, forgiveness, feed
order and coherent ask advice, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

from tests.conftest import TODAY, Kith
from tests.e2e.test_cli_judgement import plant_trusted_friend


def ago(days: int) -> str:
    return (TODAY - timedelta(days=days)).isoformat()


def test_someone_seen_once_eight_months_ago_has_low_trust_and_little_evidence(kith: Kith) -> None:
    kith.ok("seed", "Ivo Lind", "--met", "a conference", "--on", ago(240))
    kith.ok("log", "Ivo Lind", "small-talk", "--on", ago(240), "--by", "them")
    shown = kith.ok("show", "Ivo Lind", "--json").json()
    assert shown["trust"] < 0.3
    assert shown["trust_uncertainty"] > 0.5
    assert shown["trust_reasons"][0].startswith("little evidence yet: 1 contact")


def test_five_favours_against_one_token_still_weed(kith: Kith) -> None:
    kith.ok("seed", "Tom Becker", "--on", ago(200))
    for days in (200, 150, 100, 50):
        kith.ok("log", "Tom", "call", "--by", "them", "--on", ago(days))
    for days in (180, 140, 110, 80, 40):
        kith.ok("give", "Tom", "an intro", "--weight", "3", "--on", ago(days))
    kith.ok("receive", "Tom", "a link", "--weight", "1", "--on", ago(20))
    (weed,) = kith.ok("weed", "--json").json()
    assert weed["name"] == "Tom Becker"
    assert weed["reasons"] == [
        "one-sided: you have given 5 times (15 points) and received once (1 point): "
        "they return 7% of it, balance +14"
    ]
    assert weed["context"]


def test_a_contact_who_asks_and_pitches_without_giving_is_a_weed(kith: Kith) -> None:
    kith.ok("seed", "Vic Sales", "--on", ago(150))
    pitched = kith.ok("asked-by", "Vic", "a demo of his CRM", "--pitch", "--on", ago(150))
    assert "before the relationship could carry it" in pitched.stdout
    for days in (120, 90, 60, 30):
        kith.ok("log", "Vic", "message", "--by", "them", "--on", ago(days))
        kith.ok("asked-by", "Vic", "an intro", "--on", ago(days))
    kith.ok("asked-by", "Vic", "a paid pilot", "--pitch", "--on", ago(10))
    (weed,) = kith.ok("weed", "--json").json()
    assert weed["reasons"] == [
        "they ask and pitch without giving: 4 asks and 2 pitches of theirs, "
        "and they have never given"
    ]
    timeline = kith.ok("show", "Vic", "--json").json()["timeline"]
    assert {e["type"] for e in timeline} >= {"their_ask", "their_pitch"}


def test_a_breach_made_right_lifts_the_weed_and_trust_stays_below_a_clean_tie(
    kith: Kith,
) -> None:
    plant_trusted_friend(kith, "Maya Okafor")
    plant_trusted_friend(kith, "Lena Fischer")
    kith.ok("breach", "Maya", "shared my deck without asking", "--on", ago(90))
    assert kith.ok("show", "Maya", "--json").json()["stage"] == "weed"
    none_open = kith("forgive", "Lena", "apologised")
    assert none_open.exit_code == 1
    assert "no breach open" in none_open.stderr
    mended = kith.ok("forgive", "Maya", "apologised and made the intro", "--on", ago(30))
    assert "made right: apologised and made the intro" in mended.stdout
    maya = kith.ok("show", "Maya", "--json").json()
    lena = kith.ok("show", "Lena", "--json").json()
    assert maya["stage"] != "weed"
    assert maya["trust"] < lena["trust"]
    assert any(
        r.startswith("a breach 90 days ago, made right 30 days ago: apologised")
        for r in maya["trust_reasons"]
    )
    (breach,) = [e for e in maya["timeline"] if e["type"] == "breach"]
    assert breach["resolution"] == "apologised and made the intro"
    assert kith("forgive", "Maya", "again").exit_code == 1  # nothing left open


def test_a_contact_met_six_days_ago_ranks_above_a_seed_silent_for_two_years(kith: Kith) -> None:
    kith.ok("seed", "Old Seed", "--on", ago(800))
    kith.ok("log", "Old Seed", "small-talk", "--on", ago(800))
    kith.ok("log", "Old Seed", "message", "--on", ago(730), "--by", "them")
    kith.ok("seed", "Fresh Face", "--met", "a meetup", "--on", ago(6))
    kith.ok("log", "Fresh Face", "small-talk", "--on", ago(6))
    names = [item["name"] for item in kith.ok("feed", "--json").json()]
    assert names == ["Fresh Face", "Old Seed"]


def test_ask_check_only_exits_1_when_not_ready_and_0_when_ready(kith: Kith) -> None:
    kith.ok("seed", "Sofia Marin", "--on", ago(3))
    refused = kith("ask", "Sofia", "a demo of my product", "--pitch", "--check-only", "--json")
    assert refused.exit_code == 1
    doc = refused.json()
    assert doc["ready"] is False
    assert doc["recorded"] is False
    assert all(not r.endswith(":") for r in doc["reasons"])
    assert kith("ask", "Sofia", "a coffee", "--check-only").exit_code == 0


def test_ask_advice_for_ignored_outreach_says_wait_or_prune(kith: Kith) -> None:
    kith.ok("seed", "Greg Wolfe", "--on", ago(120))
    kith.ok("log", "Greg", "small-talk", "--on", ago(120))
    for days in (90, 60, 30):
        kith.ok("log", "Greg", "email", "--on", ago(days), "--unanswered")
    doc = kith("ask", "Greg", "a coffee", "--json").json()
    assert doc["ready"] is False
    assert doc["give_first"] == [
        "Do not reach out again: wait for them to answer, and prune them if they never do"
    ]
    shown = kith.ok("show", "Greg", "--json").json()
    assert "3 outreaches unanswered in a row" in shown["reasons"]


def test_show_gives_my_last_unanswered_outreach_and_an_intro_counts_as_contact(
    kith: Kith,
) -> None:
    kith.ok("seed", "Ada Byron", "--on", ago(200))
    for days, by in ((200, "me"), (150, "them"), (120, "me")):
        kith.ok("log", "Ada", "call", "--on", ago(days), "--by", by)
    kith.ok("log", "Ada", "message", "--on", ago(20), "--unanswered")
    reasons = kith.ok("show", "Ada", "--json").json()["reasons"]
    assert "your last outreach, 20 days ago, is unanswered" in reasons
    assert any(r.startswith("last contact 120 days ago") for r in reasons)
