"""Capture and export through the CLI: mail and calendars in, vCard, CSV and ics out."""

from __future__ import annotations

import csv
import errno
from pathlib import Path

import icalendar
import pytest
from sqlalchemy import create_engine, select

from kith.io.vcard import read_vcards
from kith.store.db import normalise_url
from kith.store.tables import people
from tests.conftest import Kith

MBOX = """From ana@acme.com Mon Nov 02 10:00:00 2026
From: Ana Ruiz <ana@acme.com>
To: Me <me@example.org>
Subject: Re: climbing on Saturday?
Message-ID: <m1@acme.com>
Date: Mon, 02 Nov 2026 10:00:00 +0000

Private body text that must never be stored.

From me@example.org Tue Nov 03 10:00:00 2026
From: Me <me@example.org>
To: ana@acme.com, stranger@nowhere.example
Cc: BOB@example.org
Subject: Intro
Message-ID: <m2@example.org>
Date: Tue, 03 Nov 2026 10:00:00 +0000

Hello.

From stranger@nowhere.example Wed Nov 04 10:00:00 2026
From: stranger@nowhere.example
To: me@example.org
Subject: Buy now
Message-ID: <m3@nowhere.example>
Date: Wed, 04 Nov 2026 10:00:00 +0000

Spam.
"""

ICS = """BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//test//EN\r
BEGIN:VEVENT\r
UID:ev-1\r
DTSTAMP:20261101T000000Z\r
DTSTART:20261110T090000Z\r
SUMMARY:Coffee\r
ORGANIZER:mailto:me@example.org\r
ATTENDEE:mailto:bob@example.org\r
END:VEVENT\r
END:VCALENDAR\r
"""


def test_capture_logs_mail_once_with_who_initiated(kith_sqlite: Kith, tmp_path: Path) -> None:
    kith = kith_sqlite
    kith.ok("seed", "Ana Ruiz", "--email", "ana@acme.com")
    kith.ok("seed", "Bob Li", "--email", "bob@example.org")
    mbox = tmp_path / "mail.mbox"
    mbox.write_text(MBOX, encoding="utf-8")
    args = ("capture", "mbox", str(mbox), "--me", "me@example.org", "--json")
    dry = kith.ok(*args, "--dry-run").json()
    assert kith.ok("show", "Ana", "--json").json()["counts"]["interactions"] == 0
    first = kith.ok(*args, "--topics").json()
    assert (dry["logged"], first["logged"]) == (3, 3)
    assert (first["skipped_unknown"], first["people"]) == (1, 2)
    ana = kith.ok("show", "Ana", "--json").json()
    assert [(e["by"], e["kind"]) for e in ana["timeline"]] == [("me", "email"), ("them", "email")]
    assert ana["timeline"][-1]["topics"] == ["climbing on Saturday?"]
    assert "Private body" not in kith.ok("show", "Ana").stdout
    again = kith.ok(*args).json()
    assert (again["logged"], again["duplicates"]) == (0, 3)


def test_capture_ics_logs_meetings_and_refuses_what_is_no_calendar(
    kith_sqlite: Kith, tmp_path: Path
) -> None:
    kith = kith_sqlite
    kith.ok("seed", "Bob Li", "--email", "bob@example.org")
    calendar = tmp_path / "cal.ics"
    calendar.write_text(ICS, encoding="utf-8")
    report = kith.ok("capture", "ics", str(calendar), "--me", "me@example.org", "--json").json()
    assert report["logged"] == 1
    bob = kith.ok("show", "Bob", "--json").json()
    assert (bob["timeline"][0]["kind"], bob["timeline"][0]["by"]) == ("meeting", "me")
    bad = kith("capture", "ics", str(tmp_path / "nothing.ics"))
    assert bad.exit_code == 1 and bad.stderr.startswith("kith: ")
    mbox_as_ics = tmp_path / "m.ics"
    mbox_as_ics.write_text(MBOX, encoding="utf-8")
    refused = kith("capture", "ics", str(mbox_as_ics))
    assert refused.exit_code == 1 and "not an iCalendar file" in refused.stderr


def test_exports_are_stable_safe_and_readable(kith_sqlite: Kith, tmp_path: Path) -> None:
    kith = kith_sqlite
    kith.ok("demo")
    kith.ok("seed", "=HYPERLINK(1)", "--phone", "+1 415 555 0100", "--note", "private")
    first, second = tmp_path / "a.vcf", tmp_path / "b.vcf"
    kith.ok("export", "vcard", str(first))
    kith.ok("export", "vcard", str(second), "--version", "3.0")
    cards, errors = read_vcards(first)
    old_cards, _ = read_vcards(second)
    assert not errors and len(cards) > 30
    assert [c.uid for c in cards] == [c.uid for c in old_cards]  # UIDs are stable
    assert "VERSION:3.0" in second.read_text() and "private" not in first.read_text()
    table = tmp_path / "people.csv"
    kith.ok("export", "csv", str(table))
    with table.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    hostile = next(r for r in rows if "HYPERLINK" in r["Name"])
    assert hostile["Name"] == "'=HYPERLINK(1)" and hostile["Phones"].startswith("'+")
    feed = tmp_path / "feed.ics"
    done = kith.ok("export", "ics", str(feed), "--json").json()
    parsed = icalendar.Calendar.from_ical(feed.read_bytes())
    assert len(parsed.walk("VEVENT")) == done["written"] > 0
    assert kith("export", "pdf", str(feed)).exit_code == 1
    assert kith("export", "csv", str(tmp_path / "no" / "dir.csv")).exit_code == 1


def vcard_uids(kith: Kith) -> list[str | None]:
    engine = create_engine(normalise_url(kith.env["KITH_DATABASE_URL"]))
    with engine.connect() as conn:
        uids = list(conn.execute(select(people.c.vcard_uid).order_by(people.c.id)).scalars())
    engine.dispose()
    return uids


def test_an_export_that_fails_stores_no_new_uids(
    kith_sqlite: Kith, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kith = kith_sqlite
    kith.ok("seed", "Uid Test")
    into_folder = kith("export", "vcard", str(tmp_path))
    assert into_folder.exit_code == 1 and "is a folder" in into_folder.stderr
    assert vcard_uids(kith) == [None]

    def fail(self: Path, target: Path) -> Path:
        raise OSError(errno.ENOSPC, "No space left on device")

    with monkeypatch.context() as patched:
        patched.setattr(Path, "replace", fail)
        full = kith("export", "csv", str(tmp_path / "people.csv"))
    assert full.exit_code == 1 and "No space left on device" in full.stderr
    assert vcard_uids(kith) == [None]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".kith-")] == []
    kith.ok("export", "vcard", str(tmp_path / "people.vcf"))
    assert vcard_uids(kith)[0] is not None
