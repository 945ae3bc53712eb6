"""LinkedIn Connections.csv: preamble, column order, dates, bad rows, the real corpus."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from kith.io.linkedin import iter_linkedin, read_linkedin
from kith.io.records import ContactRecord, FormatError, RecordError

CORPUS = Path(__file__).parents[2] / ".." / "shared" / "corpus"


def corpus_files(folder: str) -> list[object]:
    files = sorted((CORPUS / folder).glob("*.csv")) if CORPUS.is_dir() else []
    skip = pytest.mark.skip(reason=f"real-world corpus not found at {CORPUS}")
    return list(files) or [pytest.param(None, marks=skip)]


TODAY = """Notes:
"When exporting your connection data, you may notice that some of the email addresses are missing."

First Name,Last Name,URL,Email Address,Company,Position,Connected On
Ada,Lovelace,https://www.linkedin.com/in/ada,,"Engines, Ltd",Analyst,09 Oct 2024
Grace,Hopper,https://www.linkedin.com/in/grace,grace@navy.mil,Navy,Rear Admiral,01 Jan 2020
"""

OLDER = """First Name,Last Name,Email Address,Company,Position,Connected On
Alan,Turing,alan@bletchley.uk,Bletchley,Cryptanalyst,15-Jan-24
"""


def write(tmp_path: Path, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / "Connections.csv"
    path.write_bytes(text.encode(encoding))
    return path


def test_todays_export_skips_the_preamble_and_keeps_the_url(tmp_path: Path) -> None:
    records, errors = read_linkedin(write(tmp_path, TODAY))
    assert errors == []
    ada, grace = records
    assert ada.name == "Ada Lovelace"
    assert ada.company == "Engines, Ltd"
    assert ada.title == "Analyst"
    assert ada.links == ("https://www.linkedin.com/in/ada",)
    assert ada.emails == ()
    assert ada.met_on == date(2024, 10, 9)
    assert ada.met_where == "LinkedIn"
    assert ada.source == "linkedin"
    assert ada.line == 5
    assert grace.emails == ("grace@navy.mil",)


def test_older_export_without_preamble_or_url(tmp_path: Path) -> None:
    records, errors = read_linkedin(write(tmp_path, OLDER))
    assert errors == []
    assert records[0].links == ()
    assert records[0].met_on == date(2024, 1, 15)


def test_columns_are_found_by_name_not_position(tmp_path: Path) -> None:
    text = "Connected On,URL,Position,Company,Email Address,Last Name,First Name\n"
    text += "02 Feb 2022,https://linkedin.com/in/x,CTO,Acme,x@acme.io,Xu,Xia\n"
    (record,), _ = read_linkedin(write(tmp_path, text))
    assert (record.name, record.company, record.title) == ("Xia Xu", "Acme", "CTO")


def test_a_bad_date_or_email_is_dropped_by_line_and_field_and_the_person_kept(
    tmp_path: Path,
) -> None:
    text = OLDER + "Bad,Date,,Co,Pos,31 Foo 2024\nBad,Mail,not-an-email,Co,Pos,\n"
    (_, date_gone, mail_gone), errors = read_linkedin(write(tmp_path, text))
    assert errors == []
    assert (date_gone.name, date_gone.met_on) == ("Bad Date", None)
    assert date_gone.dropped == (RecordError(3, "Connected On", "unknown month 'Foo'"),)
    assert (mail_gone.name, mail_gone.emails) == ("Bad Mail", ())
    assert mail_gone.dropped == (RecordError(4, "Email Address", "invalid email 'not-an-email'"),)


def test_a_row_naming_nobody_is_an_error(tmp_path: Path) -> None:
    _, errors = read_linkedin(write(tmp_path, OLDER + ",,,,,01 Jan 2023\n"))
    assert errors == [RecordError(3, None, "row has no name, email or phone")]


def test_a_file_without_the_header_is_refused_before_anything_is_read(tmp_path: Path) -> None:
    path = write(tmp_path, "Name,Phone\nAda,123\n")
    with pytest.raises(FormatError, match="no LinkedIn connections header"):
        iter_linkedin(path)


def test_utf16_with_bom_reads(tmp_path: Path) -> None:
    records, _ = read_linkedin(write(tmp_path, "\ufeff" + TODAY, "utf-16-le"))
    assert [r.name for r in records] == ["Ada Lovelace", "Grace Hopper"]


def test_rows_stream_one_at_a_time(tmp_path: Path) -> None:
    rows = "".join(f"P{i},Q,,C,T,01 Jan 2020\n" for i in range(20_000))
    items = iter_linkedin(write(tmp_path, OLDER + rows))
    assert isinstance(items, Iterator)
    first = next(items)
    assert isinstance(first, ContactRecord)
    assert first.name == "Alan Turing"
    assert sum(1 for _ in items) == 20_000


EXPECTED = {  # file: (records, errors)
    "li-netintel-fixture.csv": (10, 0),
    "li-rolomind-excel-dates.csv": (5, 0),
    "li-sanket-sample.csv": (140, 0),
    "li-sixhops-fixture.csv": (4, 1),
    "li-sourcer-fixture.csv": (3, 0),
}


@pytest.mark.corpus
@pytest.mark.parametrize("path", corpus_files("csv/linkedin"), ids=lambda p: getattr(p, "name", p))
def test_every_linkedin_export_in_the_corpus_imports(path: Path) -> None:
    records, errors = read_linkedin(path)
    assert records, "a LinkedIn export holds connections"
    assert all(r.met_where == "LinkedIn" and r.name for r in records)
    assert all(e.line > 1 for e in errors)
    if path.name in EXPECTED:
        assert (len(records), len(errors)) == EXPECTED[path.name]
