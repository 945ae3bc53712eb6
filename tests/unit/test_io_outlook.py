"""Outlook, Thunderbird and Roundcube address-book CSVs; format detection; encodings."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from kith.io.outlook import iter_outlook, read_outlook
from kith.io.records import FormatError, RecordError
from kith.io.tabular import detect_csv_format

CORPUS = Path(__file__).parents[2] / ".." / "shared" / "corpus"


def corpus_files(*folders: str) -> list[object]:
    files = [f for d in folders for f in sorted((CORPUS / d).glob("*.csv"))]
    skip = pytest.mark.skip(reason=f"real-world corpus not found at {CORPUS}")
    return list(files) if CORPUS.is_dir() else [pytest.param(None, marks=skip)]


OUTLOOK = (
    '"Title","First Name","Last Name","Company","Job Title","Business Fax","Business Phone",'
    '"Mobile Phone","Birthday","E-mail Address","E-mail 2 Address","Notes","Web Page"\n'
    '"Dr.","Ada","Lovelace","Engines","Analyst","+44 1","+44 2","+44 3","12/10/1815",'
    '"ada@engines.io","/o=ExchangeLabs/ou=Exchange/cn=Recipients/cn=ada","two\nlines",'
    '"https://ada.example"\n'
)
THUNDERBIRD = (
    "First Name,Last Name,Display Name,Primary Email,Secondary Email,Work Phone,Mobile Number,"
    "Organization,Job Title,Web Page 1,Birth Year,Birth Month,Birth Day,Notes\r\n"
    "Grace,Hopper,Amazing Grace,grace@navy.mil,,+1 555,,US Navy,Admiral,,1906,12,9,\r\n"
)


def write(tmp_path: Path, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / "contacts.csv"
    path.write_bytes(text.encode(encoding))
    return path


def test_outlook_columns_by_name(tmp_path: Path) -> None:
    (ada,), errors = read_outlook(write(tmp_path, OUTLOOK))
    assert errors == []
    assert ada.name == "Ada Lovelace"  # "Title" is the honorific, not the job
    assert ada.title == "Analyst"
    assert ada.company == "Engines"
    assert ada.emails == ("ada@engines.io",)  # the Exchange-internal address is no email
    assert ada.phones == ("+44 2", "+44 3")
    assert ada.birthday == date(1815, 12, 10)
    assert ada.note == "two\nlines"
    assert ada.links == ("https://ada.example",)
    assert ada.source == "outlook"


def test_thunderbird_layout_and_split_birthday(tmp_path: Path) -> None:
    (grace,), _ = read_outlook(write(tmp_path, THUNDERBIRD))
    assert grace.name == "Amazing Grace"
    assert grace.emails == ("grace@navy.mil",)
    assert grace.phones == ("+1 555",)
    assert (grace.company, grace.title) == ("US Navy", "Admiral")
    assert grace.birthday == date(1906, 12, 9)


def test_shift_jis_and_cp1252_files_decode(tmp_path: Path) -> None:
    jp = THUNDERBIRD.replace("Amazing Grace", "名無しの権兵衛")
    (record,), _ = read_outlook(write(tmp_path, jp, "shift_jis"))
    assert record.name == "名無しの権兵衛"
    west = THUNDERBIRD.replace("Amazing Grace", "Zoë Müller-Lüdenscheidt")
    (record,), _ = read_outlook(write(tmp_path, west, "cp1252"))
    assert record.name == "Zoë Müller-Lüdenscheidt"


def test_a_bad_birthday_is_dropped_with_line_and_field_and_the_person_kept(
    tmp_path: Path,
) -> None:
    text = THUNDERBIRD + "A,B,,a@b.c,,,,,,,1906,13,40,\r\n"
    (_, kept), errors = read_outlook(write(tmp_path, text))
    assert errors == []
    assert (kept.emails, kept.birthday) == (("a@b.c",), None)
    assert kept.dropped == (RecordError(3, "Birthday", "invalid date 1906-13-40"),)


def test_not_an_address_book_is_refused(tmp_path: Path) -> None:
    with pytest.raises(FormatError, match=r"contacts\.csv: no Outlook or Thunderbird"):
        iter_outlook(write(tmp_path, "foo,bar\n1,2\n"))


def test_binary_garbage_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "contacts.csv"
    path.write_bytes(bytes(range(256)) * 50)
    with pytest.raises(FormatError):
        iter_outlook(path)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("First Name,Last Name,URL,Email Address,Company,Position,Connected On", "linkedin"),
        ("Name,Given Name,Family Name,E-mail 1 - Type,E-mail 1 - Value", "google"),
        ("First Name,Last Name,Display Name,Primary Email,Mobile Number", "thunderbird"),
        ('"Title","First Name","E-mail Address","Business Phone"', "outlook"),
        ("Display Name,Email Home,Email Work,Business Phone", "outlook"),
        ("foo,bar", None),
    ],
)
def test_detect_csv_format(header: str, expected: str | None) -> None:
    assert detect_csv_format(header.split(",")) == expected


@pytest.mark.corpus
@pytest.mark.parametrize(
    "path", corpus_files("csv/outlook", "csv/other"), ids=lambda p: getattr(p, "name", p)
)
def test_every_outlook_like_export_in_the_corpus_reads(path: Path) -> None:
    records, errors = read_outlook(path)
    assert records or errors
    assert all(e.line >= 2 for e in errors)
    if path.name != "horde-outlook-bug6370.csv":  # that one holds only an address
        assert records


@pytest.mark.corpus
@pytest.mark.parametrize(
    "path", corpus_files("csv/linkedin", "csv/google", "csv/outlook", "csv/other")
)
def test_every_corpus_csv_is_recognised(path: Path) -> None:
    import csv

    from kith.io.encoding import open_text

    text, _ = open_text(path)
    with text:
        rows = list(csv.reader(text))
    formats = {detect_csv_format(row) for row in rows[:10]} - {None}
    folder = path.parent.name
    assert formats == ({"outlook", "thunderbird"} & formats if folder == "other" else {folder})
    assert formats


@pytest.mark.corpus
@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"real-world corpus not found at {CORPUS}")
def test_thunderbird_shift_jis_export_decodes() -> None:
    (record,), _ = read_outlook(CORPUS / "csv" / "other" / "tb-shiftjis.csv")
    assert record.name == "名無しの権兵衛"
    assert record.emails == ("名無しの権兵衛@host.invalid",)
