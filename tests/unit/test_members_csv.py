"""MEMBERS.csv and PAIRS.csv: columns by name, bad rows reported, formula-safe output."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from kith.core.pairing import Member, Pair, Round, pair_round
from kith.core.tags import load_vocabulary
from kith.io.members import read_members, read_pairs, split_values, write_pairs
from kith.io.records import FormatError


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding=encoding, newline="")
    return path


def dict_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as text:
        return list(csv.DictReader(text))


def test_members_are_read_by_header_name_in_any_order(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "MEMBERS.csv",
        "Interests,Name,ID,Offers,Needs\n"
        '"rock climbing; jazz",Ann Lee,a1,UX design,\n'
        "chess,Ben Ode,b2,,legal advice\n",
    )
    members, errors = read_members(path)
    assert errors == []
    assert members == [
        Member("a1", "Ann Lee", ("rock climbing", "jazz"), (), ("UX design",)),
        Member("b2", "Ben Ode", ("chess",), ("legal advice",), ()),
    ]


def test_email_serves_as_the_id_and_a_bom_is_ignored(tmp_path: Path) -> None:
    path = write(
        tmp_path, "MEMBERS.csv", "email,name,interests\nAnn@Example.org,Ann,jazz\n", "utf-8-sig"
    )
    members, errors = read_members(path)
    assert errors == []
    assert members == [Member("ann@example.org", "Ann", ("jazz",))]


def test_bad_rows_are_reported_by_line_and_field_and_the_rest_kept(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "MEMBERS.csv",
        "id,email,name,interests\n"
        "a,,Ann,jazz\n"
        ",,Nobody,chess\n"  # line 3: no id
        ",not-an-email,Bad,chess\n"  # line 4: bad email
        "\n"  # line 5: blank, skipped silently
        "a,,Ann again,golf\n"  # line 6: duplicate
        'b,,"Ben\nOde",golf\n'  # lines 7-8: a quoted newline
        "c,,Cat,\n",  # line 9
    )
    members, errors = read_members(path)
    assert [m.id for m in members] == ["a", "b", "c"]
    assert [(e.line, e.field) for e in errors] == [(3, "id"), (4, "email"), (6, "id")]
    assert "line 2" in errors[2].message
    assert str(errors[0]) == "line 3, id: no id or email"


def test_a_file_without_an_id_or_email_column_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "MEMBERS.csv", "name,interests\nAnn,jazz\n")
    with pytest.raises(FormatError, match="id or email"):
        read_members(path)


def test_a_name_defaults_to_the_id(tmp_path: Path) -> None:
    members, _ = read_members(write(tmp_path, "M.csv", "id\nzed\n"))
    assert members == [Member("zed", "zed")]


@pytest.mark.parametrize(
    ("cell", "values"),
    [
        ("jazz; chess", ("jazz", "chess")),
        ("jazz,chess", ("jazz", "chess")),
        (" jazz ;; chess, jazz ", ("jazz", "chess")),
        ("", ()),
    ],
)
def test_multi_values_split_on_semicolons_or_commas(cell: str, values: tuple[str, ...]) -> None:
    assert split_values(cell) == values


def test_pairs_are_written_with_what_they_share_and_read_back(tmp_path: Path) -> None:
    members = [
        Member("a", "Ann", ("rock climbing",)),
        Member("b", "Ben", ("climbing",)),
        Member("c", "Cat", ("jazz",)),
        Member("d", "Dan", ("jazz",)),
    ]
    result = pair_round(members, [], load_vocabulary(), seed=1)
    path = tmp_path / "PAIRS.csv"
    count = write_pairs(path, 3, result, {m.id: m.name for m in members})
    assert count == 2
    rows = dict_rows(path)
    assert list(rows[0]) == ["round", "a_id", "a_name", "b_id", "b_name", "shared"]
    assert {(r["round"], r["a_name"], r["b_name"], r["shared"]) for r in rows} == {
        ("3", "Ann", "Ben", "climbing"),
        ("3", "Cat", "Dan", "jazz"),
    }
    pairs, errors = read_pairs(path)
    assert errors == []
    assert set(pairs) == {frozenset("ab"), frozenset("cd")}


def test_written_cells_cannot_run_as_spreadsheet_formulas(tmp_path: Path) -> None:
    result = Round([Pair("=1+1", "@evil", ["-2 weeks", "+cmd|' /C calc'!A0"], 1.0)], None)
    path = tmp_path / "PAIRS.csv"
    write_pairs(path, 1, result, {"=1+1": '=HYPERLINK("x")', "@evil": "Eve"})
    [row] = dict_rows(path)
    assert row["a_id"] == "'=1+1"
    assert row["a_name"] == '\'=HYPERLINK("x")'
    assert row["b_id"] == "'@evil"
    assert row["shared"] == "'-2 weeks; +cmd|' /C calc'!A0"
    # Reading back undoes the quote, so the ids still match the members.
    pairs, _ = read_pairs(path)
    assert pairs == [frozenset(("=1+1", "@evil"))]


def test_bad_pairs_rows_are_reported(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "PAIRS.csv",
        "round,a_id,a_name,b_id,b_name,shared\n1,a,A,b,B,\n1,c,C,,,\n1,d,D,d,D,\n",
    )
    pairs, errors = read_pairs(path)
    assert pairs == [frozenset("ab")]
    assert [(e.line, e.field) for e in errors] == [(3, "b_id"), (4, "b_id")]


def test_a_failed_write_leaves_no_half_file(tmp_path: Path) -> None:
    path = tmp_path / "PAIRS.csv"
    path.write_text("old contents", encoding="utf-8")
    bad = Round([Pair("a", "b", ["x"], 1.0)], None)
    with pytest.raises(AttributeError):
        write_pairs(path, 1, bad, None)  # type: ignore[arg-type]  # wrong on purpose: fails mid-write
    assert path.read_text(encoding="utf-8") == "old contents"
    assert [p.name for p in tmp_path.iterdir()] == ["PAIRS.csv"]
