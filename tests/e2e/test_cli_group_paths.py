"""Warm paths through the group (issue 15) through the CLI, on PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Kith
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


@pytest.mark.postgres
def test_a_member_asking_for_fundraising_gets_the_best_safe_path_with_evidence_per_hop(
    postgres_url: str, tmp_path: Path
) -> None:
    group = lisbon(Kith(postgres_url, tmp_path), tmp_path)
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


@pytest.mark.postgres
def test_no_path_through_someone_a_trusted_garden_marks_a_weed(
    postgres_url: str, tmp_path: Path
) -> None:
    group = lisbon(Kith(postgres_url, tmp_path), tmp_path)
    plant_taker(group["ana"])  # Tom Becker, a weed in ana's garden
    group["ana"].ok("edit", "Tom", "--add-email", "omar@example.org")  # Tom is omar's alias here
    found = group["ana"].ok("group", "path", "offers:fundraising", "--json").json()
    assert found["paths"] == []
    assert found["no_path"]["gap"] == "all-matches-flagged"  # Maya: only omar vouches for her
    text = group["ana"].ok("group", "path", "offers:fundraising").stdout
    assert text.startswith("no safe path: ")


@pytest.mark.postgres
def test_no_safe_path_is_an_honest_answer_with_what_would_make_one(
    postgres_url: str, tmp_path: Path
) -> None:
    group = lisbon(Kith(postgres_url, tmp_path), tmp_path)
    found = group["bob"].ok("group", "path", "offers:fundraising", "--json").json()
    assert found["paths"] == [] and found["no_path"]["gap"] == "no-ties"
    assert found["no_path"]["suggestions"]
    nobody = group["ana"].ok("group", "path", "at:Acme", "--json").json()
    assert nobody["no_path"]["words"] == "Nobody in the community is someone at Acme."
    member = group["ana"].ok("group", "path", "omar", "--json").json()
    assert member["paths"][0]["through"] == ["ana", "lea", "omar"]


def test_group_path_is_refused_on_sqlite(kith_sqlite: Kith) -> None:
    result = kith_sqlite("group", "path", "offers:fundraising")
    assert result.exit_code == 1
    assert "group commands need a PostgreSQL database" in result.stderr
