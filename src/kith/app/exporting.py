"""`kith export`: the garden as vCard, CSV, an iCalendar feed, or a full JSON backup.

Files are written whole or not at all (a temporary file renamed into place). Each person
gets a stable vCard UID the first time they leave (stored in `people.vcard_uid`), so an
address book that re-imports the file updates its cards instead of duplicating them. The
file is rendered and written beside its target before the short transaction that stores
the new UIDs and renames it into place: an export that fails stores none, and a long
export never holds the garden's write lock for longer than that.
Private notes stay home unless `include_notes` is asked for.
"""

from __future__ import annotations

import io
import json
import uuid
from dataclasses import dataclass, replace
from datetime import UTC, datetime, time
from pathlib import Path
from typing import cast

from kith.app.backup import dump
from kith.app.errors import InvalidInput
from kith.app.files import check_target, staged, write_atomically
from kith.app.garden import Garden
from kith.app.nurture import feed
from kith.core.model import Person, PersonState
from kith.io.csv_export import write_people_csv
from kith.io.ics_export import FeedEntry, feed_calendar
from kith.io.vcard_export import Version, write_vcards
from kith.store import Connection, db, sync_state
from kith.store import people as people_store

KINDS = ("vcard", "csv", "ics", "json")
VERSIONS = ("3.0", "4.0")


@dataclass(frozen=True)
class Exported:
    """What an export wrote, and where."""

    kind: str
    path: Path
    count: int  # people (vcard, csv, json) or feed entries (ics)


def export(
    garden: Garden,
    kind: str,
    path: Path,
    *,
    version: str = "4.0",
    include_notes: bool = False,
    include_pruned: bool = False,
    as_todo: bool = False,
) -> Exported:
    """Write the garden as vCard, CSV, iCalendar or a JSON backup, whole or not at all."""
    if kind not in KINDS:
        raise InvalidInput("kind", f"{kind!r} is not one of {', '.join(KINDS)}")
    if version not in VERSIONS:
        raise InvalidInput("version", f"{version!r} is not 3.0 or 4.0")
    check_target(path)  # before anything is minted or rendered
    if kind == "ics":
        return _export_feed(garden, path, as_todo)
    if kind == "json":
        with db.snapshot(garden.engine) as conn:
            document = dump(conn, garden.account_id)
        write_atomically(path, json.dumps(document, ensure_ascii=False, indent=2) + "\n")
        return Exported(kind, path, len(document["people"]))
    states = None if include_pruned else [PersonState.ACTIVE]
    with garden.reading() as conn:
        everyone = people_store.load_people(conn, garden.account_id, states=states)
        stored = sync_state.vcard_uids(conn, garden.account_id, [p.id for p in everyone])
    minted = mint_uids(everyone, stored)
    uids = stored | minted
    leaving = [replace(p, uid=uids[p.id]) for p in everyone]
    out = io.StringIO(newline="")
    if kind == "vcard":
        write_vcards(leaving, out, version=cast(Version, version), include_note=include_notes)
    else:
        write_people_csv(leaving, out, include_note=include_notes)
    # The slow part (reading, rendering, writing the file) holds no lock; the write
    # transaction only stores the new UIDs and renames the file into place, so a file that
    # cannot be put in place stores none, and other writers wait for a moment at most.
    with staged(path, out.getvalue()) as put_in_place, garden.transaction() as conn:
        sync_state.set_vcard_uids(conn, garden.account_id, minted)
        put_in_place()
    return Exported(kind, path, len(leaving))


def mint_uids(everyone: list[Person], stored: dict[int, str]) -> dict[int, str]:
    """New vCard UIDs for the people who have none yet."""
    return {p.id: f"urn:uuid:{uuid.uuid4()}" for p in everyone if not stored.get(p.id)}


def with_uids(conn: Connection, garden: Garden, everyone: list[Person]) -> list[tuple[Person, str]]:
    """Each person with their vCard UID, minting and storing the missing ones."""
    stored = sync_state.vcard_uids(conn, garden.account_id, [p.id for p in everyone])
    minted = mint_uids(everyone, stored)
    sync_state.set_vcard_uids(conn, garden.account_id, minted)
    uids = stored | minted
    return [(p, uids[p.id]) for p in everyone]


def _export_feed(garden: Garden, path: Path, as_todo: bool) -> Exported:
    items = feed(garden, None)
    with garden.reading() as conn:
        uids = sync_state.vcard_uids(conn, garden.account_id, [i.id for i in items])
    entries = [
        # Overdue nurture is shown today: a calendar hides events on past dates.
        FeedEntry(
            uids.get(i.id) or str(i.id),
            i.name,
            max(i.due, garden.today),
            i.why,
            i.gesture,
        )
        for i in items
    ]
    # DTSTAMP from kith's today, not the clock: the same garden gives the same file.
    stamp = datetime.combine(garden.today, time(), tzinfo=UTC)
    write_atomically(path, feed_calendar(entries, dtstamp=stamp, as_todo=as_todo))
    return Exported("ics", path, len(entries))
