"""The notifications inbox through the CLI (issue 14): referrals notify, shown means read."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import Kith
from tests.e2e.test_cli_group import PASSWORD, _one_error_line, make_group


def test_a_referral_and_its_thank_you_reach_the_inboxes_once(
    community_db_url: str, tmp_path: Path
) -> None:
    kith = Kith(community_db_url, tmp_path)
    ana, bob, cleo = make_group(kith, tmp_path, "ana", "bob", "cleo")
    made = bob.ok("group", "refer", "ana", "Acme needs a bookkeeper", "--json").json()
    assert bob.ok("group", "inbox", "--json").json()["notifications"] == []  # not self
    assert cleo.ok("group", "inbox", "--json").json()["notifications"] == []  # not hers

    peeked = ana.ok("group", "inbox", "--peek", "--json").json()
    (received,) = peeked["notifications"]
    assert received["kind"] == "referral_received" and received["actor"] == "bob"
    assert (received["subject"], received["subject_id"]) == ("referral", made["id"])
    assert received["parts"] == {"what": "Acme needs a bookkeeper"}
    assert received["unread"] is True and peeked["unread_left"] == 1
    text = ana.ok("group", "inbox").stdout  # shown: marked read
    assert "bob referred a lead to you: Acme needs a bookkeeper" in text
    assert "referral #" in text
    assert ana.ok("group", "inbox", "--json").json() == {"notifications": [], "unread_left": 0}
    (again,) = ana.ok("group", "inbox", "--all", "--json").json()["notifications"]
    assert again["id"] == received["id"] and again["unread"] is False

    ref = str(made["id"])
    ana.ok("group", "referral", ref, "contacted")
    ana.ok("group", "referral", ref, "won", "--value", "5250.5")
    assert "only moves forward" in _one_error_line(ana("group", "referral", ref, "lost"))
    told = bob.ok("group", "inbox", "--json").json()["notifications"]
    assert [(n["kind"], n["actor"]) for n in told] == [
        ("referral_thanked", "ana"),  # newest first
        ("referral_moved", "ana"),
    ]
    assert told[0]["parts"]["value"] == "5,250.50" and told[1]["parts"]["status"] == "contacted"
    assert "ana thanked you for closed business worth 5,250.50" in told[0]["words"]
    assert bob.ok("group", "inbox").stdout.strip() == "no unread notifications"
    assert ana.ok("group", "inbox", "--json").json()["notifications"] == []  # she acted


def test_a_suspended_member_has_no_inbox(community_db_url: str, tmp_path: Path) -> None:
    kith = Kith(community_db_url, tmp_path)
    ana, bob = make_group(kith, tmp_path, "ana", "bob")
    ana.ok("group", "suspend", "bob")
    assert "suspended" in _one_error_line(bob("group", "inbox"))


def test_the_inbox_refuses_sqlite_with_one_line(kith_sqlite: Kith) -> None:
    line = _one_error_line(kith_sqlite("group", "inbox", env=PASSWORD))
    assert "need a PostgreSQL database" in line
