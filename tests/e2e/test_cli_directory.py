"""The group's directory through the CLI (issue 14): profiles published field by field."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import Kith
from tests.e2e.test_cli_group import PASSWORD, Member, _one_error_line, make_group


def _three_members(community_db_url: str, tmp_path: Path) -> list[Member]:
    """ana (organiser), bob and cleo, each with a "me" and a profile published in part."""
    ana, bob, cleo = make_group(Kith(community_db_url, tmp_path), tmp_path, "ana", "bob", "cleo")
    ana.ok("me", "--name", "Ana Lopes", "--interest", "rock climbing", "--offer", "bookkeeping")
    ana.ok("me", "--need", "seed funding", "--email", "ana@lisbon.example")
    bob.ok("me", "--interest", "Photography", "--offer", "fundraising", "--need", "accounting")
    bob.ok("me", "--email", "bob@lisbon.example")
    cleo.ok("me", "--interest", "climbing", "--offer", "tax advice", "--need", "fundraising")
    cleo.ok("me", "--email", "cleo@lisbon.example")
    ana.ok("group", "profile", "--publish", "interests", "--publish", "offer", "--publish", "needs")
    bob.ok("group", "profile", "--publish", "interests", "--publish", "offers")
    bob.ok("group", "profile", "--publish", "needs", "--publish", "Emails")
    cleo.ok("group", "profile", "--publish", "interests")  # her offers, needs, email: hidden
    return [ana, bob, cleo]


def _logins(member: Member, *filters: str) -> list[str]:
    found = member.ok("group", "directory", *filters, "--json").json()["members"]
    return [m["login"] for m in found]


def test_publish_and_hide_fields_of_my_profile(community_db_url: str, tmp_path: Path) -> None:
    ana, bob, cleo = _three_members(community_db_url, tmp_path)
    mine = bob.ok("group", "profile", "--json").json()
    assert mine["profile"]["published"] == ["interests", "offers", "needs", "emails"]
    assert mine["profile"]["emails"] == ["bob@lisbon.example"] and mine["hidden"] == []
    hidden = bob.ok("group", "profile", "--hide", "email", "--json").json()
    assert hidden["profile"]["emails"] == [] and hidden["hidden"] == ["emails"]
    (seen,) = [
        m for m in cleo.ok("group", "directory", "--json").json()["members"] if m["login"] == "bob"
    ]
    assert seen["emails"] == [] and "emails" not in seen["published"]
    assert seen["offers"] == ["fundraising"] and seen["name"] == "bob"
    text = ana.ok("group", "profile").stdout
    assert text.startswith("Ana Lopes (ana)\n")
    assert "interests: rock climbing" in text and "hidden: emails" in text
    assert "ana@lisbon.example" not in text
    assert "field" in _one_error_line(ana("group", "profile", "--publish", "salary"))
    assert "name is always shown" in _one_error_line(ana("group", "profile", "--hide", "name"))
    both = _one_error_line(ana("group", "profile", "--publish", "needs", "--hide", "need"))
    assert "needs cannot be published and hidden at once" in both
    assert ana.ok("group", "profile", "--json").json()["profile"]["needs"] == ["seed funding"]


def test_hidden_fields_never_leak_from_the_directory(community_db_url: str, tmp_path: Path) -> None:
    ana, bob, _cleo = _three_members(community_db_url, tmp_path)
    everyone = bob.ok("group", "directory", "--json")
    assert [m["login"] for m in everyone.json()["members"]] == ["ana", "bob", "cleo"]
    for secret in ("ana@lisbon.example", "cleo@lisbon.example", "tax advice"):
        assert secret not in everyone.stdout
        assert secret not in bob.ok("group", "directory").stdout
    (seen,) = [m for m in everyone.json()["members"] if m["login"] == "cleo"]
    assert seen["published"] == ["interests"] and seen["needs"] == [] and seen["offers"] == []
    # a hidden field is not searched either: cleo offers tax advice and needs fundraising
    assert _logins(ana, "--offer", "accounting") == ["ana"]  # bookkeeping; not cleo's taxes
    assert _logins(bob, "--need", "fundraising") == ["ana"]  # seed funding; not cleo's
    assert "cleo" not in str(bob.ok("group", "i-can-help", "--json").json())
    assert "cleo" not in str(bob.ok("group", "helps-me", "--json").json())


def test_the_directory_finds_by_synonym_and_near_spelling(
    community_db_url: str, tmp_path: Path
) -> None:
    ana, bob, _cleo = _three_members(community_db_url, tmp_path)
    assert _logins(bob, "--interest", "bouldering") == ["ana", "cleo"]  # rock climbing, climbing
    assert _logins(bob, "--interest", "photograpy") == ["bob"]  # a near spelling
    assert _logins(ana, "--offer", "raising money", "--need", "accounting") == ["bob"]
    assert _logins(ana, "--interest", "chess") == []
    assert ana.ok("group", "directory", "--interest", "chess").stdout.strip() == "no member matches"


def test_help_matching_both_ways_through_published_fields(
    community_db_url: str, tmp_path: Path
) -> None:
    ana, bob, cleo = _three_members(community_db_url, tmp_path)
    (helper,) = bob.ok("group", "helps-me", "--json").json()["members"]
    assert helper["login"] == "ana"
    assert helper["matches"] == [{"need": "accounting", "offer": "bookkeeping"}]
    (helped,) = bob.ok("group", "i-can-help", "--json").json()["members"]
    assert helped["login"] == "ana"
    assert helped["matches"] == [{"need": "seed funding", "offer": "fundraising"}]
    said = bob.ok("group", "helps-me").stdout
    assert "Ana Lopes (ana): accounting (they offer bookkeeping)" in said  # kith me --name
    # cleo's own needs are hers to match, published or not; bob's published offers meet them
    assert [h["login"] for h in cleo.ok("group", "helps-me", "--json").json()["members"]] == ["bob"]
    # her offers are hidden: nobody is told she can help
    assert [h["login"] for h in ana.ok("group", "helps-me", "--json").json()["members"]] == ["bob"]


def test_a_suspended_member_never_appears(community_db_url: str, tmp_path: Path) -> None:
    ana, bob, cleo = _three_members(community_db_url, tmp_path)
    ana.ok("group", "suspend", "bob")
    assert _logins(cleo, "--interest", "photography") == []
    assert _logins(cleo) == ["ana", "cleo"]
    assert ana.ok("group", "helps-me", "--json").json() == {"members": []}
    assert ana.ok("group", "i-can-help", "--json").json() == {"members": []}
    assert "suspended" in _one_error_line(bob("group", "directory"))
    ana.ok("group", "reinstate", "bob")
    assert _logins(cleo, "--interest", "photography") == ["bob"]


def test_directory_commands_refuse_sqlite_with_one_line(kith_sqlite: Kith) -> None:
    for args in (
        ("group", "profile", "--publish", "interests"),
        ("group", "directory", "--interest", "climbing"),
        ("group", "helps-me"),
        ("group", "i-can-help"),
    ):
        line = _one_error_line(kith_sqlite(*args, env=PASSWORD))
        assert "need a PostgreSQL database" in line, args
