"""`kith pair`: a pairing round for a group, through the CLI."""

from __future__ import annotations

import csv
from pathlib import Path

from tests.conftest import Kith

MEMBERS = """id,name,interests,needs,offers
a1,Ana Ruiz,rock climbing; jazz,,
b2,Bo Li,climbing;chess,,
c3,Cy Park,Classical Music,,
d4,Di Chen,classical music;sailing,,
e5,Ed Wu,sailing;chess,,
f6,Fay Gil,jazz,,
g7,Gus Hu,chess,,
"""


def pairs_in(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_a_round_pairs_everyone_once_and_reports_the_odd_one_out(
    kith_sqlite: Kith, tmp_path: Path
) -> None:
    members = tmp_path / "members.csv"
    members.write_text(MEMBERS, encoding="utf-8")
    out = tmp_path / "pairs-1.csv"
    report = kith_sqlite.ok(
        "pair", str(members), "--round", "1", "--out", str(out), "--json"
    ).json()
    assert report["pairs"] == 3 and report["odd_one_out"] is not None
    rows = pairs_in(out)
    seen = [row[key] for row in rows for key in ("a_id", "b_id")]
    assert len(seen) == len(set(seen)) == 6
    assert report["odd_one_out"] not in seen
    assert all(row["round"] == "1" for row in rows)
    shared = {frozenset((r["a_id"], r["b_id"])): r["shared"] for r in rows}
    assert any(value for value in shared.values())  # mutual interest drives the pairing


def test_a_second_round_avoids_the_first_rounds_pairs(kith_sqlite: Kith, tmp_path: Path) -> None:
    members = tmp_path / "members.csv"
    members.write_text(MEMBERS, encoding="utf-8")
    first, second = tmp_path / "pairs-1.csv", tmp_path / "pairs-2.csv"
    kith_sqlite.ok("pair", str(members), "--round", "1", "--out", str(first), "--seed", "3")
    kith_sqlite.ok(
        "pair",
        str(members),
        "--round",
        "2",
        "--out",
        str(second),
        "--previous",
        str(first),
        "--seed",
        "3",
    )
    earlier = {frozenset((r["a_id"], r["b_id"])) for r in pairs_in(first)}
    now = {frozenset((r["a_id"], r["b_id"])) for r in pairs_in(second)}
    assert not earlier & now


def test_bad_rows_are_reported_and_strict_refuses(kith_sqlite: Kith, tmp_path: Path) -> None:
    members = tmp_path / "members.csv"
    members.write_text(MEMBERS + "x9,Xi,chess\nb2,Bo again,chess\n", encoding="utf-8")
    out = tmp_path / "pairs.csv"
    report = kith_sqlite.ok(
        "pair", str(members), "--round", "1", "--out", str(out), "--json"
    ).json()
    assert [(e["line"], e["field"]) for e in report["errors"]] == [(10, "id")]
    strict = kith_sqlite(
        "pair", str(members), "--round", "2", "--out", str(tmp_path / "p2.csv"), "--strict"
    )
    assert strict.exit_code == 1 and "line 10" in strict.stderr
    assert not (tmp_path / "p2.csv").exists()


def test_a_file_without_the_expected_header_is_refused(kith_sqlite: Kith, tmp_path: Path) -> None:
    members = tmp_path / "members.csv"
    members.write_text("colour,size\nred,big\n", encoding="utf-8")
    result = kith_sqlite("pair", str(members), "--round", "1", "--out", str(tmp_path / "p.csv"))
    assert result.exit_code == 1 and "header" in result.stderr
    assert result.stderr.count("\n") == 1


def test_the_round_never_overwrites_an_input_file(kith_sqlite: Kith, tmp_path: Path) -> None:
    members = tmp_path / "members.csv"
    members.write_text(MEMBERS, encoding="utf-8")
    result = kith_sqlite("pair", str(members), "--round", "1", "--out", str(members))
    assert result.exit_code == 1 and "one of the input files" in result.stderr
    assert members.read_text(encoding="utf-8") == MEMBERS
