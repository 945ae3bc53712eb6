"""Exports: vCard 4.0/3.0 round trips through our importer, CSV without formulas, feed ics."""

from __future__ import annotations

import csv
import io
import tempfile
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import icalendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kith.core.model import Person, PersonDraft
from kith.io.csv_export import FORMULA_STARTS, safe_cell, write_people_csv
from kith.io.ics_export import FeedEntry, feed_calendar
from kith.io.records import ContactRecord
from kith.io.vcard import read_vcards
from kith.io.vcard_export import Version, to_vcard, write_vcards

ADA = PersonDraft(
    "Ada Lovelace",
    uid="uid-ada",
    emails=("ada@example.com",),
    phones=("+44 20 7946 0000",),
    company="Engines, Ltd",
    title="Analyst",
    links=("https://www.linkedin.com/in/ada",),
    interests=("mathematics", "poetry"),
    note="private: owes me a letter",
    birthday=date(1815, 12, 10),
)


def reimport(
    people: list[PersonDraft], *, version: Version = "4.0", include_note: bool = False
) -> list[ContactRecord]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "out.vcf"
        with path.open("w", encoding="utf-8", newline="") as out:
            write_vcards(people, out, version=version, include_note=include_note)
        records, errors = read_vcards(path)
    assert errors == []
    return records


@pytest.mark.parametrize("version", ["4.0", "3.0"])
def test_vcard_export_writes_every_field_and_reads_back(version: Version) -> None:
    text = to_vcard(ADA, version=version)
    assert f"VERSION:{version}\r\n" in text
    assert "UID:uid-ada" in text
    assert "N:Lovelace;Ada;;;" in text
    assert "NOTE" not in text  # notes are private unless asked for
    (back,) = reimport([ADA], version=version)
    assert back.name == ADA.name
    assert back.company == "Engines, Ltd"
    assert back.birthday == ADA.birthday
    assert back.links == ADA.links
    assert back.uid == "uid-ada"


def test_the_note_is_written_only_when_asked() -> None:
    (back,) = reimport([ADA], include_note=True)
    assert back.note == ADA.note


def test_a_core_person_exports_with_their_uid_and_birthday() -> None:
    person = Person(
        "Grace Hopper",
        id=7,
        emails=("grace@navy.mil",),
        interests=("cobol",),
        birthday=date(1906, 12, 9),
        uid="uid-7",
    )
    text = to_vcard(person)
    assert "UID:uid-7" in text
    assert "BDAY:1906-12-09" in text
    (back,) = reimport([person])
    assert (back.uid, back.name, back.birthday) == ("uid-7", "Grace Hopper", date(1906, 12, 9))


_text = st.text(
    st.characters(categories=["L", "N", "P", "S"], exclude_characters="\x85\u2028\u2029"),
    min_size=1,
    max_size=20,
)
_words = st.lists(_text, min_size=1, max_size=4).map(" ".join)
_phones = st.from_regex(r"\+?[0-9][0-9 ()-]{3,14}[0-9]", fullmatch=True)


def _distinct(values: list[str]) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for value in values:
        seen.setdefault(value.casefold(), value)
    return tuple(seen.values())


_people = st.builds(
    PersonDraft,
    uid=st.uuids().map(str),
    name=_words,
    emails=st.lists(st.emails(), max_size=3).map(_distinct),
    phones=st.lists(_phones, max_size=3).map(_distinct),
    interests=st.lists(
        _words.filter(lambda w: w.lstrip("*").strip().casefold() != "my contacts"), max_size=4
    ).map(_distinct),
)


@settings(max_examples=150, deadline=None)
@given(person=_people, version=st.sampled_from(["4.0", "3.0"]))
def test_vcard_round_trip_keeps_name_emails_phones_interests(
    person: PersonDraft, version: Version
) -> None:
    (back,) = reimport([person], version=version)
    assert back.name == person.name
    assert back.emails == person.emails
    assert back.phones == person.phones
    assert back.interests == person.interests


def test_csv_export_defuses_formulas_and_keeps_the_rest() -> None:
    evil = PersonDraft(
        '=HYPERLINK("http://x")', uid="u", phones=("+1 555 0100",), company="@SUM(A1)"
    )
    out = io.StringIO(newline="")
    assert write_people_csv([ADA, evil], out) == 2
    header, ada, row = csv.reader(io.StringIO(out.getvalue()))
    assert "Note" not in header
    assert ada[0] == "Ada Lovelace"
    assert ada[1] == "ada@example.com"
    assert row[0] == '\'=HYPERLINK("http://x")'
    assert row[2] == "'+1 555 0100"
    assert row[3] == "'@SUM(A1)"


@given(st.text())
def test_safe_cell_never_starts_with_a_formula_character(value: str) -> None:
    assert not safe_cell(value).startswith(FORMULA_STARTS)


@settings(max_examples=100)
@given(
    st.lists(
        st.builds(
            PersonDraft,
            uid=st.just("u"),
            name=st.text(min_size=1),
            emails=st.lists(st.text()).map(tuple),
            company=st.none() | st.text(),
            note=st.none() | st.text(),
        ),
        max_size=4,
    )
)
def test_no_exported_csv_cell_starts_with_a_formula_character(people: list[PersonDraft]) -> None:
    out = io.StringIO(newline="")
    write_people_csv(people, out, include_note=True)
    for row in csv.reader(io.StringIO(out.getvalue(), newline="")):
        assert not any(cell.startswith(FORMULA_STARTS) for cell in row)


ENTRIES = [
    FeedEntry("uid-ada", "Ada Lovelace", date(2024, 5, 1), "last contact 40 days ago", "share"),
    FeedEntry("uid-grace", "Grace Hopper", date(2024, 5, 2), "new seed", "follow up"),
]
STAMP = datetime(2024, 5, 1, 10, 0, tzinfo=timezone(timedelta(hours=2)))


def test_feed_calendar_parses_with_icalendar_as_all_day_events() -> None:
    calendar = icalendar.Calendar.from_ical(feed_calendar(ENTRIES, dtstamp=STAMP))
    first, second = calendar.walk("VEVENT")
    assert first.decoded("DTSTART") == date(2024, 5, 1)
    assert first.decoded("DTEND") == date(2024, 5, 2)
    assert first.decoded("DTSTAMP") == datetime(2024, 5, 1, 8, 0, tzinfo=UTC)
    assert "Nurture Ada Lovelace" in str(first["SUMMARY"])
    assert "last contact 40 days ago" in str(first["DESCRIPTION"])
    assert "share" in str(first["DESCRIPTION"])
    assert str(first["UID"]) != str(second["UID"])


def test_feed_uids_are_stable_and_todos_are_available() -> None:
    again = feed_calendar(ENTRIES, dtstamp=STAMP + timedelta(days=1), as_todo=True)
    todos = icalendar.Calendar.from_ical(again).walk("VTODO")
    events = icalendar.Calendar.from_ical(feed_calendar(ENTRIES, dtstamp=STAMP)).walk("VEVENT")
    assert [str(t["UID"]) for t in todos] == [str(e["UID"]) for e in events]


def test_feed_calendar_wants_an_aware_dtstamp() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        feed_calendar(ENTRIES, dtstamp=datetime(2024, 5, 1))  # noqa: DTZ001
