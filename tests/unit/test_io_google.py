"""Google Contacts CSV: numbered groups, both layouts, bad rows, the real corpus."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from kith.io.google import iter_google, read_google
from kith.io.records import FormatError, RecordError

CORPUS = Path(__file__).parents[2] / ".." / "shared" / "corpus"


def corpus_files(folder: str) -> list[object]:
    files = sorted((CORPUS / folder).glob("*.csv")) if CORPUS.is_dir() else []
    skip = pytest.mark.skip(reason=f"real-world corpus not found at {CORPUS}")
    return list(files) or [pytest.param(None, marks=skip)]


CURRENT = (
    "First Name,Middle Name,Last Name,Nickname,Organization Name,Organization Title,Birthday,"
    "Notes,Labels,E-mail 1 - Label,E-mail 1 - Value,E-mail 2 - Label,E-mail 2 - Value,"
    "E-mail 3 - Label,E-mail 3 - Value,Phone 1 - Label,Phone 1 - Value,Phone 2 - Label,"
    "Phone 2 - Value,Website 1 - Label,Website 1 - Value\n"
    "Ada,,Lovelace,,Engines,Analyst,1815-12-10,met at the salon,* myContacts ::: Friends,"
    "Home,ada@home.org ::: ada@work.org,Work,ada@engines.io,,,Mobile,+44 20 7946 0000,"
    "Work Fax,+44 20 7946 0001,Profile,https://ada.example\n"
)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "contacts.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_current_layout_with_numbered_groups_and_multi_values(tmp_path: Path) -> None:
    (ada,), errors = read_google(write(tmp_path, CURRENT))
    assert errors == []
    assert ada.name == "Ada Lovelace"
    assert ada.emails == ("ada@home.org", "ada@work.org", "ada@engines.io")
    assert ada.phones == ("+44 20 7946 0000",)  # the fax is not a phone to call
    assert (ada.company, ada.title) == ("Engines", "Analyst")
    assert ada.links == ("https://ada.example",)
    assert ada.birthday == date(1815, 12, 10)
    assert ada.note == "met at the salon"
    assert ada.interests == ()  # Google's labels are filing, not interests
    assert ada.source == "google"


def test_legacy_layout_prefers_the_display_name(tmp_path: Path) -> None:
    text = "Name,Given Name,Family Name,E-mail 1 - Type,E-mail 1 - Value\n"
    text += '"Lovelace, Ada",Ada,Lovelace,* Home,ada@home.org\n'
    (ada,), _ = read_google(write(tmp_path, text))
    assert ada.name == "Lovelace, Ada"
    assert ada.emails == ("ada@home.org",)


def test_a_bad_email_or_birthday_is_dropped_and_named_and_the_person_kept(
    tmp_path: Path,
) -> None:
    text = "Name,Birthday,E-mail 1 - Value\nA,,a@x.org\nB,,b at x\nC,31/31/2020,c@x.org\n"
    (a, b, c), errors = read_google(write(tmp_path, text))
    assert errors == []
    assert (b.name, b.emails) == ("B", ())
    assert b.dropped == (RecordError(3, "E-mail 1 - Value", "invalid email 'b at x'"),)
    assert (c.emails, c.birthday) == (("c@x.org",), None)
    assert c.dropped == (RecordError(4, "Birthday", "invalid date '31/31/2020'"),)
    assert a.dropped == ()


def test_a_linkedin_file_is_not_a_google_file(tmp_path: Path) -> None:
    path = write(tmp_path, "First Name,Last Name,Position,Connected On\nA,B,C,01 Jan 2020\n")
    with pytest.raises(FormatError, match="no Google Contacts header"):
        iter_google(path)


@pytest.mark.corpus
@pytest.mark.parametrize("path", corpus_files("csv/google"), ids=lambda p: getattr(p, "name", p))
def test_every_google_export_in_the_corpus_imports(path: Path) -> None:
    records, errors = read_google(path)
    assert records
    assert errors == []
    assert all(r.name and r.emails for r in records)


@pytest.mark.corpus
@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"real-world corpus not found at {CORPUS}")
def test_the_legacy_gmail_export_reads_its_quoted_multiline_cells() -> None:
    (record,), _ = read_google(CORPUS / "csv" / "google" / "rc-gmail-legacy.csv")
    assert record.name == "Prefix Firstname Middle Lastname Suffix"
    assert record.emails[:2] == ("home@aaa.pl", "work@email.pl")
    assert "homefax" not in record.phones
    assert record.note == 'note"note'
    assert record.birthday == date(1975, 12, 12)
