"""The community through the CLI (issue 14): a group on PostgreSQL, gardens, vetted shares."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import Kith, Result
from tests.e2e.test_cli_judgement import ago, plant_taker, plant_trusted_friend

PASSWORD = {"KITH_PASSWORD": "correct-horse-battery"}


class Member(Kith):
    """kith as one member of the group: every command runs with `--as LOGIN`."""

    def __init__(self, url: str, tmp_path: Path, login: str) -> None:
        super().__init__(url, tmp_path)
        self.login = login

    def __call__(self, *args: str, env: dict[str, str] | None = None) -> Result:
        return super().__call__("--as", self.login, *args, env=env)


def make_group(kith: Kith, tmp_path: Path, *logins: str) -> list[Member]:
    """A group organised by the first login, every other one a member by invitation."""
    kith.env |= PASSWORD  # create and join read the password from KITH_PASSWORD
    kith.ok("group", "create", "Lisbon Founders", "--organiser", logins[0])
    organiser = Member(kith.env["KITH_DATABASE_URL"], tmp_path, logins[0])
    joined = [organiser]
    for login in logins[1:]:
        code = organiser.ok("group", "invite", "--json").json()["code"]
        kith.ok("group", "join", code, "--login", login)
        joined.append(Member(kith.env["KITH_DATABASE_URL"], tmp_path, login))
    return joined


def _one_error_line(result: Result) -> str:
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_two_members_keep_private_gardens_and_share_a_trusted_contact_vetted(
    community_db_url: str, tmp_path: Path
) -> None:
    kith = Kith(community_db_url, tmp_path)
    ana, bob = make_group(kith, tmp_path, "ana", "bob")
    plant_trusted_friend(ana)  # Maya Okafor: trusted, a private note, an email without consent
    ana.ok("edit", "Maya", "--add-offer", "fundraising advice")
    bob.ok("seed", "Rui Costa")
    assert [p["name"] for p in ana.ok("list", "--json").json()] == ["Maya Okafor"]
    assert [p["name"] for p in bob.ok("list", "--json").json()] == ["Rui Costa"]
    assert bob.ok("group", "shared", "--json").json() == {"contacts": []}

    shared = ana.ok("group", "share", "Maya", "--with", "bob", "--json").json()["shared"]
    assert [(s["name"], s["with_login"]) for s in shared] == [("Maya Okafor", "bob")]

    seen = bob.ok("group", "shared", "--json")
    (maya,) = seen.json()["contacts"]
    assert maya["name"] == "Maya Okafor" and maya["sharer"] == "ana"
    assert maya["how_well_known"].startswith("trusted")
    assert maya["known_for"] == "10 months"  # met 300 days ago
    assert maya["offers"] == ["fundraising advice"] and maya["interests"] == ["climbing"]
    assert maya["emails"] == []  # Maya has not consented to her details being shared
    assert "divorce" not in seen.stdout and "maya@example.org" not in seen.stdout
    text = bob.ok("group", "shared").stdout
    assert "known to ana: trusted" in text and "for 10 months, with you only" in text
    assert "divorce" not in text
    assert ana.ok("group", "shared", "--json").json() == {"contacts": []}  # not to herself

    taken = bob.ok("group", "take", "Maya Okafor", "--json").json()
    assert taken["met"] == "shared in the group by ana"
    assert "Maya Okafor" in _one_error_line(bob("group", "take", "Maya Okafor"))  # already in
    shown = bob.ok("show", "Maya", "--json").json()
    assert shown["stage"] == "seed"
    assert "divorce" not in str(shown)
    assert [p["name"] for p in ana.ok("list", "--json").json()] == ["Maya Okafor"]  # hers intact


def test_contact_details_travel_only_with_consent(community_db_url: str, tmp_path: Path) -> None:
    kith = Kith(community_db_url, tmp_path)
    ana, bob = make_group(kith, tmp_path, "ana", "bob")
    plant_trusted_friend(ana)
    ana.ok("edit", "Maya", "--consent-share")
    ana.ok("group", "share", "Maya")  # with the whole group
    (maya,) = bob.ok("group", "shared", "--json").json()["contacts"]
    assert maya["emails"] == ["maya@example.org"] and maya["with_me_only"] is False
    bob.ok("seed", "Ana Lopes")  # the sharer, in bob's own garden
    bob.ok("group", "take", "Maya Okafor")
    shown = bob.ok("show", "Maya", "--json").json()
    assert shown["emails"] == ["maya@example.org"]
    assert shown["via"] == "Ana Lopes" and shown["stage"] == "seed"


def test_a_weed_a_breached_or_a_new_contact_cannot_be_shared(
    community_db_url: str, tmp_path: Path
) -> None:
    kith = Kith(community_db_url, tmp_path)
    ana, bob = make_group(kith, tmp_path, "ana", "bob")
    plant_trusted_friend(ana)
    plant_taker(ana)  # Tom Becker, a weed
    plant_trusted_friend(ana, "Raj Patel")
    ana.ok("breach", "Raj", "leaked my deck", "--on", ago(5))
    ana.ok("seed", "New Nora")
    weed = _one_error_line(ana("group", "share", "Tom Becker"))
    assert "Tom Becker cannot be shared: flagged as a weed" in weed
    breached = _one_error_line(ana("group", "share", "Maya", "Raj Patel"))
    assert "Raj Patel cannot be shared" in breached and "breach" in breached
    assert "New Nora cannot be shared: a seed" in _one_error_line(ana("group", "share", "Nora"))
    assert bob.ok("group", "shared", "--json").json() == {"contacts": []}  # none, not even Maya
    risks = ana.ok("group", "share", "Maya", "Tom", "Raj", "Nora", "--dry-run", "--json").json()
    assert [(v["name"], v["shareable"]) for v in risks["vetted"]] == [
        ("Maya Okafor", True),
        ("Tom Becker", False),
        ("Raj Patel", False),
        ("New Nora", False),
    ]
    assert all(v["why"] for v in risks["vetted"])
    assert (
        "Tom Becker: held back: flagged as a weed"
        in ana.ok("group", "share", "Tom", "--dry-run").stdout
    )
    assert bob.ok("group", "shared", "--json").json() == {"contacts": []}  # a dry run shares none


def test_withdrawing_removes_a_share_from_everyone_at_once(
    community_db_url: str, tmp_path: Path
) -> None:
    kith = Kith(community_db_url, tmp_path)
    ana, bob, cleo = make_group(kith, tmp_path, "ana", "bob", "cleo")
    plant_trusted_friend(ana)
    ana.ok("group", "share", "Maya")
    ana.ok("group", "share", "Maya", "--with", "bob")
    assert len(bob.ok("group", "shared", "--json").json()["contacts"]) == 2
    assert ana.ok("group", "withdraw", "Maya", "--json").json()["withdrawn"] == 2
    assert bob.ok("group", "shared", "--json").json() == {"contacts": []}
    assert cleo.ok("group", "shared", "--json").json() == {"contacts": []}
    assert "not shared" in _one_error_line(ana("group", "withdraw", "Maya"))


def test_a_share_with_one_member_is_not_seen_by_another(
    community_db_url: str, tmp_path: Path
) -> None:
    kith = Kith(community_db_url, tmp_path)
    ana, bob, _cleo = make_group(kith, tmp_path, "ana", "bob", "cleo")
    plant_trusted_friend(ana)
    ana.ok("group", "share", "Maya", "--with", "cleo")
    assert bob.ok("group", "shared", "--json").json() == {"contacts": []}
    assert "nobody called Maya Okafor" in _one_error_line(bob("group", "take", "Maya Okafor"))
    assert "no member zed" in _one_error_line(ana("group", "share", "Maya", "--with", "zed"))


def test_a_member_cannot_reach_anothers_garden(community_db_url: str, tmp_path: Path) -> None:
    kith = Kith(community_db_url, tmp_path)
    ana, bob = make_group(kith, tmp_path, "ana", "bob")
    bob.ok("seed", "Bea Secret", "--note", "private")
    bea_id = bob.ok("show", "Bea", "--json").json()["id"]
    for args in (
        ("show", "Bea Secret"),
        ("show", f"#{bea_id}"),
        ("log", f"#{bea_id}", "call"),
        ("edit", f"#{bea_id}", "--company", "Acme"),
        ("give", f"#{bea_id}", "a favour"),
        ("receive", f"#{bea_id}", "a favour"),
        ("breach", f"#{bea_id}", "a lie"),
        ("ask", f"#{bea_id}", "an intro"),
        ("snooze", f"#{bea_id}"),
        ("prune", f"#{bea_id}"),
        ("forget", f"#{bea_id}", "--yes"),
        ("group", "withdraw", f"#{bea_id}"),
        ("group", "share", f"#{bea_id}"),
    ):
        result = ana(*args)
        assert result.exit_code == 1, args
        assert "no person" in result.stderr or "not found" in result.stderr, (args, result.stderr)
    bea = bob.ok("show", "Bea", "--json").json()
    assert bea["counts"]["interactions"] == 0 and bea["stage"] == "seed"
    assert [p["name"] for p in ana.ok("list", "--json").json()] == []
    exported = ana.ok("export", "json", str(tmp_path / "ana.json")).stdout
    assert "Bea" not in exported and "Bea" not in (tmp_path / "ana.json").read_text("utf-8")
    # A database backup holds every member's garden: never through --as.
    dump = tmp_path / "all.dump"
    assert "whole database" in _one_error_line(ana("backup", str(dump)))
    assert not dump.exists()


def test_an_invitation_is_single_use_and_expires(community_db_url: str, tmp_path: Path) -> None:
    kith = Kith(community_db_url, tmp_path)
    (ana,) = make_group(kith, tmp_path, "ana")
    code = ana.ok("group", "invite", "--days", "3", "--json").json()["code"]
    kith.ok("group", "join", code, "--login", "bob")
    again = _one_error_line(kith("group", "join", code, "--login", "carl", env=PASSWORD))
    assert "already been used" in again
    late = ana.ok("group", "invite", "--days", "3", "--json").json()
    after = {**PASSWORD, "KITH_TODAY": "2026-12-01"}  # four days on
    expired = _one_error_line(kith("group", "join", late["code"], "--login", "carl", env=after))
    assert f"expired on {late['expires_on']}" in expired
    carl = Member(community_db_url, tmp_path, "carl")
    assert "no member carl" in _one_error_line(carl("list"))
    assert "no member carl" in _one_error_line(carl("serve"))  # refused before it serves
    bogus = _one_error_line(kith("group", "join", "kith-nonsense", "--login", "dan", env=PASSWORD))
    assert "no such invitation" in bogus
    bob = Member(community_db_url, tmp_path, "bob")
    assert "only an organiser" in _one_error_line(bob("group", "invite"))
    organiser = ana.ok("group", "invite", "--role", "organiser", "--json").json()
    kith.ok("group", "join", organiser["code"], "--login", "eve")
    Member(community_db_url, tmp_path, "eve").ok("group", "invite")


def test_creating_the_group_prints_a_first_invitation(
    community_db_url: str, tmp_path: Path
) -> None:
    kith = Kith(community_db_url, tmp_path)
    kith.env |= PASSWORD
    made = kith.ok("group", "create", "Lisbon Founders", "--organiser", "Ana", "--json").json()
    assert made["organiser"] == "ana" and made["name"] == "Lisbon Founders"
    first = made["invitation"]
    assert first["role"] == "member" and first["expires_on"] == "2026-12-11"
    kith.ok("group", "join", first["code"], "--login", "bob")
    roster = Member(community_db_url, tmp_path, "bob").ok("group", "members", "--json").json()
    assert [m["login"] for m in roster["members"]] == ["ana", "bob"]
    Member(community_db_url, tmp_path, "ANA").ok("group", "invite")  # logins are lower-case


def test_a_second_group_and_a_taken_login_are_refused(
    community_db_url: str, tmp_path: Path
) -> None:
    kith = Kith(community_db_url, tmp_path)
    (ana,) = make_group(kith, tmp_path, "ana")
    again = kith("group", "create", "Other", "--organiser", "zoe", env=PASSWORD)
    assert "already has a group: Lisbon Founders" in _one_error_line(again)
    code = ana.ok("group", "invite", "--json").json()["code"]
    assert "ana is taken" in _one_error_line(
        kith("group", "join", code, "--login", "ana", env=PASSWORD)
    )
    short = kith("group", "join", code, "--login", "bob", env={"KITH_PASSWORD": "short"})
    assert "password" in _one_error_line(short)


def test_group_commands_refuse_sqlite_with_one_line(kith_sqlite: Kith, tmp_path: Path) -> None:
    for args in (
        ("group", "create", "Club", "--organiser", "ana"),
        ("group", "invite"),
        ("group", "join", "kith-code", "--login", "bob"),
        ("group", "shared"),
        ("--as", "ana", "list"),
    ):
        line = _one_error_line(kith_sqlite(*args, env=PASSWORD))
        assert "need a PostgreSQL database" in line, args


def test_a_suspended_members_shares_vanish_at_once_and_their_garden_stays(
    community_db_url: str, tmp_path: Path
) -> None:
    kith = Kith(community_db_url, tmp_path)
    ana, bob, cleo = make_group(kith, tmp_path, "ana", "bob", "cleo")
    plant_trusted_friend(bob)
    bob.ok("group", "share", "Maya")
    assert len(cleo.ok("group", "shared", "--json").json()["contacts"]) == 1
    assert "only an organiser" in _one_error_line(cleo("group", "suspend", "bob"))
    assert ana.ok("group", "suspend", "bob", "--json").json()["suspended"] is True
    assert cleo.ok("group", "shared", "--json").json() == {"contacts": []}
    assert "bob is suspended" in _one_error_line(bob("group", "share", "Maya"))
    assert [p["name"] for p in bob.ok("list", "--json").json()] == ["Maya Okafor"]
    assert [m["login"] for m in cleo.ok("group", "members", "--json").json()["members"]] == [
        "ana",
        "cleo",
    ]
    roster = ana.ok("group", "members", "--json").json()["members"]
    assert [(m["login"], m["role"], m["suspended"]) for m in roster] == [
        ("ana", "organiser", False),
        ("bob", "member", True),
        ("cleo", "member", False),
    ]
    ana.ok("group", "reinstate", "bob")
    assert len(cleo.ok("group", "shared", "--json").json()["contacts"]) == 1
    assert "no member zed" in _one_error_line(ana("group", "suspend", "zed"))


def test_a_breach_or_a_prune_hides_what_was_shared_of_them_and_the_sharer_sees_why(
    community_db_url: str, tmp_path: Path
) -> None:
    kith = Kith(community_db_url, tmp_path)
    ana, bob = make_group(kith, tmp_path, "ana", "bob")
    plant_trusted_friend(ana)
    plant_trusted_friend(ana, "Raj Patel")
    ana.ok("group", "share", "Maya", "Raj Patel")
    ana.ok("breach", "Raj", "leaked my deck")
    assert [c["name"] for c in bob.ok("group", "shared", "--json").json()["contacts"]] == [
        "Maya Okafor"
    ]
    assert "nobody called Raj Patel" in _one_error_line(bob("group", "take", "Raj Patel"))
    ana.ok("prune", "Maya")
    assert bob.ok("group", "shared", "--json").json() == {"contacts": []}
    mine = {s["name"]: s for s in ana.ok("group", "sharing", "--json").json()["shares"]}
    assert mine["Maya Okafor"]["why"] == "pruned: no longer part of your network"
    assert mine["Raj Patel"]["why"].startswith("flagged as a weed (")
    assert not mine["Maya Okafor"]["shown"] and not mine["Raj Patel"]["shown"]
    assert "held back: pruned" in ana.ok("group", "sharing").stdout
    ana.ok("restore", "Maya")  # back in the garden, trusted as before: shown again
    assert [c["name"] for c in bob.ok("group", "shared", "--json").json()["contacts"]] == [
        "Maya Okafor"
    ]
    ana.ok("group", "withdraw", "Raj")
    assert [s["name"] for s in ana.ok("group", "sharing", "--json").json()["shares"]] == [
        "Maya Okafor"
    ]


def test_two_members_sharing_namesakes_are_told_apart_by_who_shares(
    community_db_url: str, tmp_path: Path
) -> None:
    kith = Kith(community_db_url, tmp_path)
    ana, bob, cleo = make_group(kith, tmp_path, "ana", "bob", "cleo")
    plant_trusted_friend(ana)
    plant_trusted_friend(bob)
    ana.ok("group", "share", "Maya")
    bob.ok("group", "share", "Maya")
    which = _one_error_line(cleo("group", "take", "Maya Okafor"))
    assert "shared by ana, bob" in which and "--from" in which
    assert cleo.ok("group", "take", "Maya Okafor", "--from", "bob", "--json").json()["met"] == (
        "shared in the group by bob"
    )
    # The server's own default account is no member: group commands say so.
    assert "not a member of a group" in _one_error_line(kith("group", "shared"))


def test_a_shared_contact_is_taken_by_part_of_their_name_as_a_person_is_named(
    community_db_url: str, tmp_path: Path
) -> None:
    kith = Kith(community_db_url, tmp_path)
    ana, bob = make_group(kith, tmp_path, "ana", "bob")
    plant_trusted_friend(ana)  # Maya Okafor
    ana.ok("group", "share", "Maya")
    assert "no person" not in bob.ok("group", "take", "maya").stdout
    assert [p["name"] for p in bob.ok("list", "--json").json()] == ["Maya Okafor"]
    assert "nobody called Noah is shared with you" in _one_error_line(bob("group", "take", "Noah"))
