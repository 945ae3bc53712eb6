"""Warm paths through the group (issue 15) through the CLI, on PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import Kith, Result
from tests.e2e.test_cli_group import Member, make_group
from tests.e2e.test_cli_judgement import plant_taker, plant_trusted_friend


def lisbon(kith: Kith, tmp_path: Path) -> dict[str, Member]:
    """ana knows lea (trusted), lea knows omar (trusted), omar shares Maya (fundraising advice).

    Members are known in gardens by their own addresses (`kith me --email`).
    """
    ana, lea, omar, bob = make_group(kith, tmp_path, "ana", "lea", "omar", "bob")
    for member in (ana, lea, omar, bob):
        member.ok("me", "--email", f"{member.login}@example.org")
    plant_trusted_friend(ana, "Lea Martin")  # lea@example.org
    plant_trusted_friend(lea, "Omar Haddad")  # omar@example.org
    plant_trusted_friend(omar, "Maya Okafor")
    omar.ok("edit", "Maya", "--add-offer", "fundraising advice", "--consent-share")
    omar.ok("group", "share", "Maya")
    return {m.login: m for m in (ana, lea, omar, bob)}


def test_a_member_asking_for_fundraising_gets_the_best_safe_path_with_evidence_per_hop(
    community_db_url: str, tmp_path: Path
) -> None:
    group = lisbon(Kith(community_db_url, tmp_path), tmp_path)
    found = group["ana"].ok("group", "path", "offers:fundraising", "--json").json()
    assert found["target"] == "someone who offers fundraising" and found["matches"] == 1
    assert found["no_path"] is None
    best = found["paths"][0]
    assert best["through"] == ["ana", "lea", "omar", "Maya Okafor"]
    assert [h["words"] for h in best["hops"]] == [
        "ana knows lea: trusted, 10 months, 7 contacts",
        "lea knows omar: trusted, 10 months, 7 contacts",
        "omar knows Maya Okafor: trusted, 10 months, 7 contacts",
    ]
    assert 0 < best["score"] <= min(h["strength"] for h in best["hops"])
    text = group["ana"].ok("group", "path", "offers:fundraising").stdout
    assert "1. ana > lea > omar > Maya Okafor" in text
    assert "lea knows omar: trusted" in text


def test_no_path_through_someone_a_trusted_garden_marks_a_weed(
    community_db_url: str, tmp_path: Path
) -> None:
    group = lisbon(Kith(community_db_url, tmp_path), tmp_path)
    plant_taker(group["ana"])  # Tom Becker, a weed in ana's garden
    group["ana"].ok("edit", "Tom", "--add-email", "omar@example.org")  # Tom is omar's alias here
    found = group["ana"].ok("group", "path", "offers:fundraising", "--json").json()
    assert found["paths"] == []
    assert found["no_path"]["gap"] == "all-matches-flagged"  # Maya: only omar vouches for her
    text = group["ana"].ok("group", "path", "offers:fundraising").stdout
    assert text.startswith("no safe path: ")


def test_no_safe_path_is_an_honest_answer_with_what_would_make_one(
    community_db_url: str, tmp_path: Path
) -> None:
    group = lisbon(Kith(community_db_url, tmp_path), tmp_path)
    found = group["bob"].ok("group", "path", "offers:fundraising", "--json").json()
    assert found["paths"] == [] and found["no_path"]["gap"] == "no-ties"
    assert any("members you know become your ties" in s for s in found["no_path"]["suggestions"])
    nobody = group["ana"].ok("group", "path", "at:Acme", "--json").json()
    assert nobody["no_path"]["words"] == "Nobody in the community is someone at Acme."
    member = group["ana"].ok("group", "path", "omar", "--json").json()
    assert member["paths"][0]["through"] == ["ana", "lea", "omar"]


def test_group_path_is_refused_on_sqlite(kith_sqlite: Kith) -> None:
    result = kith_sqlite("group", "path", "offers:fundraising")
    assert result.exit_code == 1
    assert "group commands need a PostgreSQL database" in result.stderr


def test_an_intro_request_travels_two_hops_with_consent_and_reveals_details_only_at_the_end(
    community_db_url: str, tmp_path: Path
) -> None:
    group = lisbon(Kith(community_db_url, tmp_path), tmp_path)
    ana, lea, omar = group["ana"], group["lea"], group["omar"]
    made = ana.ok("group", "request", "omar", "--reason", "advice on a seed round", "--json")
    request = made.json()
    assert request["through"] == ["ana", "lea", "omar"] and request["status"] == "open"
    number = str(request["id"])
    assert omar.ok("group", "requests", "--json").json()["asked"] == []  # the target is last

    (asked,) = lea.ok("group", "requests", "--json").json()["asked"]
    assert asked["asked"] == "ana asks you to introduce them to omar"
    assert asked["reason"] == "advice on a seed round"
    assert "omar@example.org" not in lea.ok("group", "requests").stdout
    forwarded = lea.ok("group", "accept", number, "--note", "ana is great, 10 years in VC")
    assert "forwarded to omar" in forwarded.stdout
    mine = ana.ok("group", "requests", "--json").json()["mine"]
    assert mine[0]["status"] == "open" and mine[0]["details"] is None  # nothing revealed yet

    (asked,) = omar.ok("group", "requests", "--json").json()["asked"]
    assert asked["asked"] == "ana would like to be introduced to you"
    assert asked["notes"] == ["lea: ana is great, 10 years in VC"]
    done = omar.ok("group", "accept", number, "--json").json()
    assert done["made"] is True and done["details"]["emails"] == ["ana@example.org"]
    (mine,) = ana.ok("group", "requests", "--json").json()["mine"]
    assert mine["status"] == "made"
    assert mine["details"] == {"name": "omar", "emails": ["omar@example.org"], "phones": []}
    # the intro is help lea gave, in her own garden's ledger
    omar_in_leas = lea.ok("show", "Omar", "--json").json()
    assert "introduced ana to omar" in str(omar_in_leas["timeline"])
    assert lea("group", "accept", number).exit_code == 1  # answered: no longer waiting on her


def test_a_declined_request_tells_the_requester_only_that_the_path_closed(
    community_db_url: str, tmp_path: Path
) -> None:
    group = lisbon(Kith(community_db_url, tmp_path), tmp_path)
    ana, lea = group["ana"], group["lea"]
    number = str(ana.ok("group", "request", "omar", "--why", "a chat", "--json").json()["id"])
    assert group["bob"]("group", "decline", number).exit_code == 1  # not waiting on bob
    lea.ok("group", "decline", number)
    (mine,) = ana.ok("group", "requests", "--json").json()["mine"]
    assert mine["status"] == "closed" and mine["details"] is None
    assert "lea" not in str({k: v for k, v in mine.items() if k != "through"})
    assert group["omar"].ok("group", "requests", "--json").json()["asked"] == []


def test_requests_expire_and_a_member_has_a_limit_on_open_ones(
    community_db_url: str, tmp_path: Path
) -> None:
    group = lisbon(Kith(community_db_url, tmp_path), tmp_path)
    ana, lea = group["ana"], group["lea"]
    for _ in range(5):
        ana.ok("group", "request", "omar", "--reason", "a chat")
    refused = ana("group", "request", "omar", "--reason", "one more")
    assert refused.exit_code == 1 and "5 open intro requests" in refused.stderr
    later = {"KITH_TODAY": "2026-12-20"}  # 23 days on: past the fortnight
    assert lea("group", "requests", "--json", env=later).json()["asked"] == []
    mine = ana("group", "requests", "--json", env=later).json()["mine"]
    assert {m["status"] for m in mine} == {"expired"}
    assert lea("group", "accept", str(mine[0]["id"]), env=later).exit_code == 1
    assert ana("group", "request", "omar", "--reason", "again", env=later).exit_code == 0


def _one_line(result: Result) -> str:
    assert result.exit_code == 1, result.stdout
    (line,) = result.stderr.strip().splitlines()
    return line


def test_bad_input_is_one_line_naming_the_field_and_writes_nothing(
    community_db_url: str, tmp_path: Path
) -> None:
    group = lisbon(Kith(community_db_url, tmp_path), tmp_path)
    ana = group["ana"]
    assert "target: say what after offers:" in _one_line(ana("group", "path", "offers:"))
    assert "--reason: is empty" in _one_line(ana("group", "request", "omar", "--reason", " "))
    assert "--path: choose a path from 1 to 1" in _one_line(
        ana("group", "request", "omar", "--reason", "hi", "--path", "3")
    )
    assert "no safe path" in _one_line(ana("group", "request", "at:Acme", "--reason", "hi"))
    assert "request_id: 'abc' is not a request's id" in _one_line(ana("group", "accept", "abc"))
    assert "no intro request #99" in _one_line(ana("group", "decline", "99"))
    assert "reply: answer yes or no" in _one_line(ana("group", "answer", "1", "maybe"))
    assert ana.ok("group", "requests", "--json").json() == {"mine": [], "asked": []}


def test_group_requests_are_refused_on_sqlite(kith_sqlite: Kith) -> None:
    for args in (("request", "omar", "--reason", "hi"), ("requests",), ("accept", "1")):
        assert "need a PostgreSQL database" in _one_line(kith_sqlite("group", *args))


def test_a_contact_who_is_not_a_member_is_asked_by_the_member_who_knows_them(
    community_db_url: str, tmp_path: Path
) -> None:
    group = lisbon(Kith(community_db_url, tmp_path), tmp_path)
    ana, lea, omar = group["ana"], group["lea"], group["omar"]
    made = ana.ok("group", "request", "offers:fundraising", "--reason", "our seed round", "--json")
    number = str(made.json()["id"])
    assert made.json()["through"] == ["ana", "lea", "omar", "Maya Okafor"]
    lea.ok("group", "accept", number)
    (asked,) = omar.ok("group", "requests", "--json").json()["asked"]
    assert asked["role"] == "ask-contact"
    assert asked["asked"] == (
        "ana would like to be introduced to Maya Okafor: ask them, and accept only if they agree"
    )
    assert ana.ok("group", "requests", "--json").json()["mine"][0]["details"] is None
    done = omar.ok("group", "answer", number, "yes", "--json").json()
    assert done["made"] and done["details"]["name"] == "ana"
    (mine,) = ana.ok("group", "requests", "--json").json()["mine"]
    assert mine["details"]["name"] == "Maya Okafor"
    assert mine["details"]["emails"] == ["maya@example.org"]  # she consented to sharing them
    assert "introduced ana to Maya Okafor" in str(omar.ok("show", "Maya", "--json").json())
    assert "introduced ana to omar" in str(lea.ok("show", "Omar", "--json").json())
