"""`kith trust-rank`: the trust metric on a signed network, through the CLI."""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path

from tests.conftest import Kith


def generated_network(path: Path) -> None:
    """An honest community of 30 rating each other 1..10, a ring of 40 fakes vouching for
    each other with one honest member fooled, and a fraud warned against by two members."""
    rng = random.Random(5)
    rows = [("source", "target", "rating", "time")]
    for i in range(30):
        for j in rng.sample([k for k in range(30) if k != i], 4):
            rows.append((f"user{i}", f"user{j}", str(rng.randint(1, 10)), str(1000 + i)))
    for i in range(40):
        rows.append((f"fake{i}", f"fake{(i + 1) % 40}", "10", ""))
        rows.append((f"fake{i}", f"fake{(i + 7) % 40}", "10", ""))
    rows += [
        ("user12", "fake0", "10", ""),
        ("user3", "fraud", "-10", ""),
        ("user4", "fraud", "-9", ""),
    ]
    rows += [("fraud", "fake3", "10", ""), ("newcomer", "user1", "4", "")]
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)


def read_scores(path: Path) -> dict[str, float]:
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["node"]: float(row["score"]) for row in csv.DictReader(handle)}


def test_trust_rank_picks_seeds_says_how_and_ranks_fakes_and_fraud_low(
    kith_sqlite: Kith, tmp_path: Path
) -> None:
    signed, out = tmp_path / "signed.csv", tmp_path / "scores.csv"
    generated_network(signed)
    result = kith_sqlite.ok("trust-rank", str(signed), "--out", str(out))
    assert "seeds: the 10 most-rated nodes" in result.stderr
    assert "distrusted" in result.stdout
    scores = read_scores(out)
    assert list(scores) == sorted(scores, key=lambda n: -scores[n])  # best first
    honest = sorted(v for k, v in scores.items() if k.startswith("user"))
    median = honest[len(honest) // 2]
    assert max(v for k, v in scores.items() if k.startswith("fake")) <= median
    assert scores["fraud"] < 0 == scores["newcomer"]


def test_trust_rank_with_seeds_and_json(kith_sqlite: Kith, tmp_path: Path) -> None:
    signed, out = tmp_path / "signed.csv", tmp_path / "scores.csv"
    generated_network(signed)
    result = kith_sqlite.ok(
        "trust-rank", str(signed), "--out", str(out), "--seed", "user1", "--seed", "user2", "--json"
    )
    doc = json.loads(result.stdout)
    assert doc["seeds"] == ["user1", "user2"] and doc["seeds_chosen"] is False
    assert doc["nodes"] == len(read_scores(out)) == 72
    assert doc["trusted"] + doc["unknown"] + doc["distrusted"] == doc["nodes"]
    assert doc["distrusted"] >= 1 and result.stderr == ""
    assert doc["timed"] is False  # some rows have no time, so time is left out


def test_a_bad_file_is_one_line_naming_the_line_and_nothing_is_written(
    kith_sqlite: Kith, tmp_path: Path
) -> None:
    signed, out = tmp_path / "signed.csv", tmp_path / "scores.csv"
    signed.write_text("a,b,1\nb,c,3\nc,a,high\n", encoding="utf-8")
    result = kith_sqlite("trust-rank", str(signed), "--out", str(out))
    assert result.exit_code == 1
    assert result.stderr.strip() == "kith: signed.csv: line 3, rating: 'high' is not a number"
    assert not out.exists()


def test_an_unknown_seed_or_missing_file_is_refused(kith_sqlite: Kith, tmp_path: Path) -> None:
    signed, out = tmp_path / "signed.csv", tmp_path / "scores.csv"
    signed.write_text("a,b,1\n", encoding="utf-8")
    result = kith_sqlite("trust-rank", str(signed), "--out", str(out), "--seed", "zed")
    assert result.exit_code == 1 and "'zed' is not a node" in result.stderr
    missing = kith_sqlite("trust-rank", str(tmp_path / "none.csv"), "--out", str(out))
    assert missing.exit_code == 1 and "no such file" in missing.stderr
    assert not out.exists()


def test_a_fully_timed_file_lets_time_count(kith_sqlite: Kith, tmp_path: Path) -> None:
    signed, out = tmp_path / "signed.csv", tmp_path / "scores.csv"
    rows = [f"user{i},user{(i + 1) % 6},3,{100 * i}" for i in range(6)]
    rows += [f"user{i},user{(i - 1) % 6},3,{100 * i + 300}" for i in range(6)]
    rows += [f"user{i},steady,5,{150 * i}" for i in range(3)]
    rows += [f"user{i},burst,5,{400 + i}" for i in range(3)]
    signed.write_text("\n".join(rows) + "\n", encoding="utf-8")
    doc = kith_sqlite.ok(
        "trust-rank", str(signed), "--out", str(out), "--seed", "user0", "--json"
    ).json()
    assert doc["timed"] is True
    scores = read_scores(out)
    assert scores["steady"] > scores["burst"]
