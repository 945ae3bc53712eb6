"""Reading SIGNED.csv (header or not, any signed scale, errors by line) and writing SCORES.csv."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kith.io.records import FormatError
from kith.io.signed import SignedRecord, read_signed, write_scores


def write(tmp_path: Path, text: str, name: str = "signed.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_file_without_header_reads_three_or_four_columns(tmp_path: Path) -> None:
    records, errors = read_signed(write(tmp_path, "6,2,4,1289241912\n6,5,-2\n"))
    assert errors == []
    assert records == [
        SignedRecord(1, "6", "2", 4.0, 1289241912.0),
        SignedRecord(2, "6", "5", -2.0, None),
    ]


def test_a_header_is_skipped_and_line_numbers_count_it(tmp_path: Path) -> None:
    text = "Source,Target,Rating,Time\n\nana,bo,0.5,\n bo , cy ,-1,17\n"
    records, errors = read_signed(write(tmp_path, text))
    assert errors == []
    assert [(r.line, r.source, r.target, r.rating, r.time) for r in records] == [
        (3, "ana", "bo", 0.5, None),
        (4, "bo", "cy", -1.0, 17.0),
    ]


def test_bad_rows_are_reported_by_line_and_field_and_the_rest_kept(tmp_path: Path) -> None:
    text = "a,b,1\na,b,lots\n,b,1\na,b\na,b,1,yesterday\na,b,inf\na,b,1,2,3\nc,d,-3\n"
    records, errors = read_signed(write(tmp_path, text))
    assert [(r.line, r.source, r.target) for r in records] == [(1, "a", "b"), (8, "c", "d")]
    assert [(e.line, e.field) for e in errors] == [
        (2, "rating"),
        (3, "source"),
        (4, None),
        (5, "time"),
        (6, "rating"),
        (7, None),
    ]
    assert str(errors[0]) == "line 2, rating: 'lots' is not a number"


def test_a_quoted_name_across_lines_keeps_the_line_count(tmp_path: Path) -> None:
    records, errors = read_signed(write(tmp_path, 'a,"two\nlines",1\nb,c,zz\n'))
    assert records[0].target == "two\nlines" and records[0].line == 1
    assert errors[0].line == 3


def test_a_file_in_latin_1_reads(tmp_path: Path) -> None:
    path = tmp_path / "latin.csv"
    path.write_bytes("José,Zoë,2\n".encode("latin-1"))
    records, errors = read_signed(path)
    assert errors == [] and (records[0].source, records[0].target) == ("José", "Zoë")


def test_scores_are_written_best_first_and_defused_for_spreadsheets(tmp_path: Path) -> None:
    out = tmp_path / "scores.csv"
    count = write_scores(out, [("b", 0.0), ("=cmd()", -1.5), ("a", 2.25), ("c", 0.0)])
    assert count == 4
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows == [["node", "score"], ["a", "2.25"], ["b", "0"], ["c", "0"], ["'=cmd()", "-1.5"]]
    assert [p.name for p in tmp_path.iterdir()] == ["scores.csv"]  # no temporary left behind


names = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=12
).filter(lambda s: s.strip() == s and s.strip())
rows = st.lists(
    st.tuples(
        names,
        names,
        st.floats(allow_nan=False, allow_infinity=False, width=32),
        st.none() | st.integers(min_value=0, max_value=2**40).map(float),
    ),
    max_size=20,
)


@settings(max_examples=60, deadline=None)
@given(rows=rows, header=st.booleans())
def test_whatever_a_csv_writer_writes_reads_back(
    tmp_path_factory: pytest.TempPathFactory,
    rows: list[tuple[str, str, float, float | None]],
    header: bool,
) -> None:
    path = tmp_path_factory.mktemp("signed") / "signed.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        if header:
            writer.writerow(["source", "target", "rating", "time"])
        for source, target, rating, time in rows:
            writer.writerow([source, target, repr(rating), "" if time is None else repr(time)])
    records, errors = read_signed(path)
    assert errors == []
    assert [(r.source, r.target, r.rating, r.time) for r in records] == rows


def test_a_file_that_is_not_text_past_its_start_is_refused_naming_the_line(
    tmp_path: Path,
) -> None:
    path = tmp_path / "signed.csv"
    path.write_bytes(b"a,b,1\n" * 20_000 + "c,Zoë,2\n".encode() + b"c,\xff\xfe,2\n")
    with pytest.raises(FormatError, match=r"^signed.csv: line 20002: not utf-8 text$"):
        read_signed(path)
