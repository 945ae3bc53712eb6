"""Referrals between members (givers gain) and the group report, through the CLI (issue 14)."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import Kith
from tests.e2e.test_cli_group import PASSWORD, _one_error_line, make_group


def test_a_referral_goes_new_to_won_and_the_thank_you_credits_the_giver(
    community_db_url: str, tmp_path: Path
) -> None:
    kith = Kith(community_db_url, tmp_path)
    ana, bob, _cleo = make_group(kith, tmp_path, "ana", "bob", "cleo")
    made = bob.ok(
        "group", "refer", "ana", "Acme needs a bookkeeper", "--value", "8000", "--json"
    ).json()
    assert made["status"] == "new" and made["giver"] == "bob" and made["receiver"] == "ana"
    assert made["value"] == 8000.0 and made["thank_you_value"] is None
    ref = str(made["id"])
    assert [r["id"] for r in ana.ok("group", "referrals", "--json").json()["referrals"]] == [
        made["id"]
    ]
    won = ana.ok("group", "referral", ref, "won", "--value", "5,250.50", "--json").json()
    assert won["status"] == "won" and won["thank_you_value"] == 5250.5
    assert won["thanked_on"] == won["updated_on"]

    report = ana.ok("group", "report", "--json").json()  # ana organises: every line
    lines = {line["login"]: line for line in report["lines"]}
    assert sorted(lines) == ["ana", "bob", "cleo"]
    assert (lines["bob"]["given"], lines["bob"]["closed_given"]) == (1, 1)
    assert lines["bob"]["thank_you_value"] == 5250.5 and lines["bob"]["standing"] == "giver"
    assert lines["ana"]["received"] == 1 and lines["ana"]["thank_you_value"] == 0
    assert lines["ana"]["standing"] == "taking"
    assert lines["ana"]["words"].startswith("taking: received 1 referral and gave none")
    assert report["totals"] == {
        "members": 3,
        "referrals": 1,
        "closed": 1,
        "thank_you_value": 5250.5,
        "givers": 1,
        "taking": 1,
        "one_to_ones": 0,
        "visitors": 0,
        "no_shows": 0,
    }
    text = ana.ok("group", "report").stdout
    assert "bob: gave 1 referral and received none (balance +1); 1 closed" in text
    assert "thank-you 5,250.50" in text


def test_only_the_receiver_moves_a_referral_and_only_forward(
    community_db_url: str, tmp_path: Path
) -> None:
    kith = Kith(community_db_url, tmp_path)
    ana, bob = make_group(kith, tmp_path, "ana", "bob")
    ref = str(ana.ok("group", "refer", "bob", "a lead", "--json").json()["id"])
    assert "only the member who received" in _one_error_line(
        ana("group", "referral", ref, "contacted")
    )
    bob.ok("group", "referral", f"#{ref}", "contacted")
    assert "a status only moves forward" in _one_error_line(
        bob("group", "referral", ref, "contacted")
    )
    bob.ok("group", "referral", ref, "lost")
    assert "is lost; a status only moves forward" in _one_error_line(
        bob("group", "referral", ref, "won")
    )
    assert "--value" in _one_error_line(bob("group", "referral", ref, "lost", "--value", "10"))
    assert "status: must be contacted, won, lost" in _one_error_line(
        bob("group", "referral", ref, "new")
    )
    shown = bob.ok("group", "referrals", "--json").json()["referrals"]
    assert [(r["status"], r["given_by_me"]) for r in shown] == [("lost", False)]


def test_someone_elses_referral_is_not_found(community_db_url: str, tmp_path: Path) -> None:
    kith = Kith(community_db_url, tmp_path)
    ana, bob, cleo = make_group(kith, tmp_path, "ana", "bob", "cleo")
    ref = str(ana.ok("group", "refer", "bob", "a lead", "--json").json()["id"])
    assert _one_error_line(cleo("group", "referral", ref, "won")) == (
        f"kith: referral #{ref} not found"
    )
    assert _one_error_line(cleo("group", "referral", "999999", "won")) == (
        "kith: referral #999999 not found"
    )  # the same words for one that does not exist
    assert cleo.ok("group", "referrals", "--json").json() == {"referrals": []}
    assert "no member zed" in _one_error_line(ana("group", "refer", "zed", "a lead"))
    assert "yourself" in _one_error_line(ana("group", "refer", "ana", "a lead"))
    assert "--value" in _one_error_line(ana("group", "refer", "bob", "x", "--value", "-5"))
    assert "not a referral's id" in _one_error_line(bob("group", "referral", "abc", "won"))


def test_a_member_sees_their_own_line_and_the_totals_an_organiser_all(
    community_db_url: str, tmp_path: Path
) -> None:
    kith = Kith(community_db_url, tmp_path)
    ana, bob, cleo = make_group(kith, tmp_path, "ana", "bob", "cleo")
    ana.ok("group", "refer", "bob", "lead one")
    cleo.ok("group", "refer", "bob", "lead two")
    mine = bob.ok("group", "report", "--json").json()
    assert mine["everyone"] is False
    assert [(line["login"], line["received"]) for line in mine["lines"]] == [("bob", 2)]
    assert mine["totals"]["referrals"] == 2 and mine["totals"]["members"] == 3
    text = bob.ok("group", "report").stdout
    assert "ana" not in text and "cleo" not in text and "bob: taking" in text
    everyone = ana.ok("group", "report", "--json").json()
    assert everyone["everyone"] is True
    assert [line["login"] for line in everyone["lines"]] == ["ana", "bob", "cleo"]


def test_referral_commands_refuse_sqlite_with_one_line(kith_sqlite: Kith) -> None:
    for args in (
        ("group", "refer", "bob", "a lead"),
        ("group", "referral", "1", "won"),
        ("group", "referrals"),
        ("group", "report"),
    ):
        line = _one_error_line(kith_sqlite(*args, env=PASSWORD))
        assert "need a PostgreSQL database" in line, args
