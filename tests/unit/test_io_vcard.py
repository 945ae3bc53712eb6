"""vCard import: 2.1/3.0/4.0 quirks real clients write, broken cards, the real corpus."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from kith.io.records import FormatError, RecordError
from kith.io.vcard import iter_vcards, read_vcards

CORPUS = Path(__file__).parents[2] / ".." / "shared" / "corpus"


def corpus_files(folder: str) -> list[object]:
    files = sorted((CORPUS / folder).glob("*.vcf")) if CORPUS.is_dir() else []
    skip = pytest.mark.skip(reason=f"real-world corpus not found at {CORPUS}")
    return list(files) or [pytest.param(None, marks=skip)]


def write(tmp_path: Path, data: str | bytes, eol: str = "\r\n") -> Path:
    path = tmp_path / "cards.vcf"
    if isinstance(data, str):
        data = data.replace("\n", eol).encode("utf-8")
    path.write_bytes(data)
    return path


V21 = b"""BEGIN:VCARD\r
VERSION:2.1\r
N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:M=C3=BCller;J=C3=B6rg;;;\r
NOTE;ENCODING=QUOTED-PRINTABLE;CHARSET=UTF-8:first line=0D=0A=\r
second line\r
TEL;WORK;VOICE:+49 30 1234\r
EMAIL;PREF;INTERNET:joerg@example.de\r
ORG;CHARSET=ISO-8859-1:Gr\xfcn GmbH\r
PHOTO;ENCODING=BASE64;TYPE=JPEG:\r
 /9j/4AAQSkZJRgABAQAAAQABAAD\r
\r
END:VCARD\r
"""


def test_vcard21_quoted_printable_charsets_and_photo(tmp_path: Path) -> None:
    (card,), errors = read_vcards(write(tmp_path, V21))
    assert errors == []
    assert card.name == "Jörg Müller"  # no FN: built from N
    assert card.note == "first line\nsecond line"
    assert card.phones == ("+49 30 1234",)
    assert card.emails == ("joerg@example.de",)
    assert card.company == "Grün GmbH"
    assert card.source == "vcard"
    assert card.line == 1


V30 = """BEGIN:VCARD
VERSION:3.0
UID:abc-123
FN:Mr. John Richter, James Doe Sr.
N:Doe;John;Richter,James;Mr.;Sr.
item1.EMAIL;type=INTERNET;type=pref:john.doe@example.com
item1.X-ABLabel:_$!<HomePage>!$_
item2.URL:http\\://www.example.com
ORG:ABC\\, Inc.;Marketing
TITLE:Director\\, Research
CATEGORIES:sailing,chess
BDAY:1980-03-22
NOTE:This is a long note that is folded over two lines because it is longer th
 an seventy-five characters.
END:VCARD
BEGIN:VCARD
VERSION:4.0
FN:Jane Roe
TEL;VALUE=uri;TYPE=cell:tel:+1-555-0100
BDAY:--0415
END:VCARD
"""


@pytest.mark.parametrize("eol", ["\r\n", "\n", "\r"])
def test_vcard30_and_40_groups_folding_escapes_any_line_end(tmp_path: Path, eol: str) -> None:
    (john, jane), errors = read_vcards(write(tmp_path, V30, eol))
    assert errors == []
    assert john.name == "Mr. John Richter, James Doe Sr."
    assert john.uid == "abc-123"
    assert john.emails == ("john.doe@example.com",)
    assert john.links == ("http://www.example.com",)
    assert (john.company, john.title) == ("ABC, Inc.", "Director, Research")
    assert john.interests == ("sailing", "chess")
    assert john.birthday == date(1980, 3, 22)
    assert john.note is not None and "longer than seventy-five" in john.note
    assert jane.line == 16
    assert jane.phones == ("+1-555-0100",)
    assert jane.birthday is None  # a birthday without a year is not a date


def test_bom_and_utf16(tmp_path: Path) -> None:
    (card, _), _ = read_vcards(write(tmp_path, "\ufeff" + V30))
    assert card.uid == "abc-123"
    path = tmp_path / "utf16.vcf"
    path.write_bytes(V30.replace("\n", "\r\n").encode("utf-16-be"))  # no BOM, as macOS
    (card, _), _ = read_vcards(path)
    assert card.name.startswith("Mr. John")


def test_a_broken_card_is_reported_by_line_while_the_rest_imports(tmp_path: Path) -> None:
    text = V30 + "BEGIN:VCARD\nFN:Cut Short\nEMAIL:cut@example.com\n"
    records, errors = read_vcards(write(tmp_path, text))
    assert [r.line for r in records] == [1, 16]
    assert [r.name for r in records] == ["Mr. John Richter, James Doe Sr.", "Jane Roe"]
    assert errors == [RecordError(22, None, "card has no END:VCARD (file cut short?)")]


def test_one_bad_email_keeps_the_person_and_names_the_field(tmp_path: Path) -> None:
    text = V30.replace("BEGIN:VCARD\nVERSION:4.0\n", "BEGIN:VCARD\nVERSION:4.0\nEMAIL:nope\n")
    (john, jane), errors = read_vcards(write(tmp_path, text))
    assert errors == []
    assert john.dropped == ()
    assert (jane.name, jane.emails, jane.phones) == ("Jane Roe", (), ("+1-555-0100",))
    assert jane.dropped == (RecordError(18, "EMAIL", "invalid email 'nope'"),)


@pytest.mark.corpus
def test_a_real_card_with_one_bad_email_keeps_the_person() -> None:
    path = CORPUS / "vcard" / "ezv-android.vcf"
    if not path.is_file():
        pytest.skip(f"real-world corpus not found at {CORPUS}")
    records, errors = read_vcards(path)
    (kept,) = [r for r in records if r.dropped]
    assert errors == []
    assert kept.emails == ("bob@company.com",)  # the good address of the same card
    assert [(e.line, e.field) for e in kept.dropped] == [(44, "EMAIL")]


def test_a_bad_birthday_is_dropped_and_the_person_kept(tmp_path: Path) -> None:
    text = "BEGIN:VCARD\nVERSION:3.0\nFN:Ana\nEMAIL:ana@x.org\nBDAY:31/31/2020\nEND:VCARD\n"
    (ana,), errors = read_vcards(write(tmp_path, text))
    assert errors == []
    assert (ana.name, ana.emails, ana.birthday) == ("Ana", ("ana@x.org",), None)
    assert ana.dropped == (RecordError(5, "BDAY", "invalid date '31/31/2020'"),)


def test_a_card_without_any_name_email_or_phone_is_reported(tmp_path: Path) -> None:
    text = "BEGIN:VCARD\nVERSION:3.0\nX-FOO:bar\nEND:VCARD\n"
    assert read_vcards(write(tmp_path, text)) == (
        [],
        [RecordError(1, "FN", "card has no name, email or phone")],
    )


def test_a_card_with_only_an_email_is_named_after_it(tmp_path: Path) -> None:
    text = "BEGIN:VCARD\nVERSION:3.0\nEMAIL:solo@example.com\nEND:VCARD\n"
    (card,), _ = read_vcards(write(tmp_path, text))
    assert card.name == "solo@example.com"


@pytest.mark.parametrize(
    "content",
    [b"", b"\n\n", b"First Name,Last Name\nAda,Lovelace\n", b"\x89PNG\r\n\x1a\n\x00\x00"],
)
def test_a_file_that_is_not_a_vcard_is_refused_at_once(tmp_path: Path, content: bytes) -> None:
    with pytest.raises(FormatError, match="not a vCard file"):
        iter_vcards(write(tmp_path, content))


EXPECTED = {  # file: (records, errors) for those whose outcome is worth pinning down
    "aosp-v21-android-custom-prop.vcf": (0, 1),
    "aosp-v21-multiple-entry.vcf": (3, 0),
    "aosp-v21-nest.vcf": (3, 0),
    "cozy-broken-bday.vcf": (2, 0),  # both BDAYs dropped, both people kept
    "cozy-broken-no-end.vcf": (0, 1),
    "ezv-android.vcf": (6, 0),  # one bad EMAIL dropped, the person kept
    "ezv-gmail-list.vcf": (3, 0),
    "libical-v4-space-version.vcf": (2, 0),
    "nodevcf-multiple-mixed-versions.vcf": (3, 0),
    "rad-sogo-broken-multi.vcf": (2, 0),
    "sabre-issue64-v21-photo-only.vcf": (0, 1),
    "tb-export-v4.vcf": (2, 0),
}
DROPPED = {  # file: the fields dropped from records that were kept
    "cozy-broken-bday.vcf": [(4, "BDAY"), (9, "BDAY")],
    "ezv-android.vcf": [(44, "EMAIL")],
}
NAMES = {  # file: the first record's name, where decoding is the point
    "aosp-v21-japanese-1.vcf": "安藤ロイド",
    "cozy-android-v21-qp.vcf": "Testé de Cozy",
    "ezv-gmail.vcf": "Mr. John Richter, James Doe Sr.",
    "gaia-v21-qp-indented.vcf": "Tanja Tanzbein",
    "rc-cp1252-v21.vcf": "John Doë",
    "rc-utf16.vcf": "Ǽgean ĽdaMonté",
}


@pytest.mark.corpus
@pytest.mark.parametrize("path", corpus_files("vcard"), ids=lambda p: getattr(p, "name", p))
def test_every_vcard_in_the_corpus_imports_what_it_holds(path: Path) -> None:
    records, errors = read_vcards(path)
    assert records or errors
    assert all(e.line >= 1 and "\n" not in e.message for e in errors)
    assert all(r.name and r.name == r.name.strip() and r.line >= 1 for r in records)
    if path.name in EXPECTED:
        assert (len(records), len(errors)) == EXPECTED[path.name]
    else:
        assert records and not errors
    if path.name in NAMES:
        assert records[0].name == NAMES[path.name]
    dropped = [(e.line, e.field) for r in records for e in r.dropped]
    assert dropped == DROPPED.get(path.name, [])


def test_a_quote_left_open_in_a_parameter_is_read_or_reported_never_a_crash(
    tmp_path: Path,
) -> None:
    # Found by the importer fuzzer: the open quote swallowed the ":" and the reader crashed.
    text = 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ana Ruiz\r\nTEL;TYPE=f"ax:+1-800-555\r\nEND:VCARD\r\n'
    cards, errors = read_vcards(write(tmp_path, text))
    assert [c.name for c in cards] == ["Ana Ruiz"] or [e.line for e in errors] == [1]
