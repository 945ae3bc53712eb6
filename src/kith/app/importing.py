"""`kith import`: contacts from LinkedIn, Google, Outlook, vCard and shared networks.

One import is one transaction: what the report says was added or merged is all written, or
nothing is (a file that is not what it claims, `--strict` with a bad record, an interrupt).
`--dry-run` runs the very same code and rolls back. Files stream in batches: each batch is
looked up in a few indexed queries (`kith.store.dedup_index`) and judged by `kith.core.dedup`.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from kith.app import inputs, reimport
from kith.app.backup import restore
from kith.app.errors import InvalidInput, KithError
from kith.app.garden import Garden
from kith.app.import_report import ImportReport, Progress, transaction
from kith.app.report_lines import LineError, LineMerge, LineWarning
from kith.core import limits
from kith.core.dedup import KeyIndex, Keys, changed_fields, combine, email_of, keys_of
from kith.core.dedup import without_keys as drop_keys
from kith.core.limits import date_problem
from kith.core.model import PersonDraft
from kith.io.google import iter_google
from kith.io.linkedin import iter_linkedin
from kith.io.outlook import iter_outlook
from kith.io.records import ContactRecord, FormatError, RecordError
from kith.io.vcard import iter_vcards
from kith.store import Connection, bulk, dedup_index
from kith.store import people as people_store

BATCH = 2000  # records per round of look-ups and inserts: memory stays flat for any file
# Once the records looked up reach 1/SNAPSHOT_SHARE of the garden's people, and the last batch
# wrote nothing (a re-import), the account's keys are read once instead of per batch (from
# the first batch when it is one: `dedup_index.snapshot_share`).
SNAPSHOT_SHARE = 10
KINDS = ("linkedin", "google", "outlook", "vcard", "json", "share")
_READERS = {
    "linkedin": iter_linkedin,
    "google": iter_google,
    "outlook": iter_outlook,
    "vcard": iter_vcards,
}
# Column widths of the people tables (`core.limits`): a longer value is reported, not cut or
# crashed on.
_LIMITS = {
    "name": limits.NAME,
    "company": limits.COMPANY,
    "title": limits.TITLE,
    "met_where": limits.MET_WHERE,
    "uid": limits.UID,
}
_ITEM_LIMITS = {"emails": limits.EMAIL, "phones": limits.PHONE, "links": limits.URL}


@dataclass(frozen=True)
class Dropped:
    """A field left out of a record that was kept: reported as a warning, refused by --strict."""

    error: RecordError


Line = tuple[int, PersonDraft]
Entry = Line | RecordError | Dropped
Merging = dict[int, list[tuple[int, PersonDraft, str]]]  # person -> (line, draft, evidence)


def import_file(
    garden: Garden,
    kind: str,
    path: Path,
    *,
    dry_run: bool = False,
    strict: bool = False,
    sharer: str | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Import the contacts of `path`; merge the ones already known; report every record."""
    if kind not in KINDS:
        raise InvalidInput("kind", f"{kind!r} is not one of {', '.join(KINDS)}")
    if kind == "json":
        return restore(garden, path, dry_run=dry_run)
    if (kind == "share") != (sharer is not None):
        raise InvalidInput("sharer", "is needed for a share file, and only for one")
    entries = _entries(kind, path)
    report = ImportReport(dry_run=dry_run)
    try:
        with collection_paused(), transaction(garden, dry_run) as conn:
            via_id = inputs.resolve(conn, garden.account_id, sharer) if sharer else None
            source = "share" if kind == "share" else kind
            run = Run(conn, garden, report, source, strict, path.name)
            for batch in bulk.chunks(entries, BATCH):
                run.batch([_via(entry, via_id) for entry in batch])
                if progress is not None:
                    progress(len(batch))
    except FormatError as error:  # found part-way through (an encoding error, say)
        raise KithError(f"{error}; nothing was imported") from None
    return report


@contextmanager
def collection_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while an import runs, as it was after it.

    An import builds hundreds of thousands of small dicts, sets and tuples (the dedup
    index, drafts, rows) and keeps them: each full collection walks all of them again, for
    nothing (they form no cycles). A re-import of 20,000 rows spent a sixth of its time
    there. Whoever found the collector on switches it back on: a nested or overlapping
    import (web threads) finds it off and leaves it alone, so at worst the later of two
    overlapping imports finishes with the collector on, a little slower, never wrong.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _via(entry: Entry, via_id: int | None) -> Entry:
    if via_id is None or not isinstance(entry, tuple):
        return entry
    return entry[0], replace(entry[1], via_id=via_id)


def _entries(kind: str, path: Path) -> Iterator[Entry]:
    """The file's records as drafts (or errors); refuses a file that is not what it claims."""
    try:
        if kind == "share":
            return _share_entries(path)
        items = _READERS[kind](path)
    except FormatError as error:
        raise KithError(f"{error}; nothing was imported") from None
    except OSError as error:
        raise KithError(f"cannot read {path}: {error.strerror}") from None
    return _read_all(items)


def _read_all(items: Iterable[ContactRecord | RecordError]) -> Iterator[Entry]:
    """`_read` of every item.

    The common case (a record within every limit, nothing dropped: nearly every row of an
    export) is taken without a generator per record.
    """
    for item in items:
        if isinstance(item, ContactRecord) and not item.dropped and not _too_long(item):
            yield item.line, draft_of(item)
        else:
            yield from _read(item)


def draft_of(record: ContactRecord) -> PersonDraft:
    """The draft of a person that an imported contact record describes, emails as stored."""
    draft = record.draft()
    if not draft.emails:
        return draft
    return replace(draft, emails=tuple(dict.fromkeys(email_of(e) for e in draft.emails)))


_SHORTEST_LIMIT = min(_LIMITS.values())


def entries_of(records: Iterable[ContactRecord]) -> list[Entry]:
    """Contact records as import entries, each checked against the limits."""
    return [entry for record in records for entry in _read(record)]


def _read(item: ContactRecord | RecordError) -> Iterator[Entry]:
    """The entries of one item: an error, or the fields dropped from a record and the record."""
    if isinstance(item, ContactRecord):
        item = _within_limits(item)
    if isinstance(item, RecordError):
        yield item
        return
    for error in item.dropped:
        yield Dropped(error)
    yield item.line, draft_of(item)


def _within_limits(record: ContactRecord) -> ContactRecord | RecordError:
    """The record without the values too long to store, each one named in `dropped`.

    A name too long refuses the record: a person needs a name.
    """
    if not _too_long(record):  # nearly always: nothing to look at
        return record
    if len(record.name) > _LIMITS["name"]:
        return RecordError(record.line, "name", f"longer than {_LIMITS['name']} characters")
    fixes: dict[str, object] = {}
    dropped: list[RecordError] = []
    for name, limit in _LIMITS.items():
        value = getattr(record, name)
        if value and len(value) > limit:
            fixes[name] = None
            dropped.append(RecordError(record.line, name, f"longer than {limit} characters"))
    for name, limit in _ITEM_LIMITS.items():
        items = getattr(record, name)
        kept = tuple(value for value in items if len(value) <= limit)
        if len(kept) < len(items):
            fixes[name] = kept
            message = f"a value longer than {limit} characters"
            dropped.append(RecordError(record.line, name, message))
    return replace(record, **fixes, dropped=(*record.dropped, *dropped))  # type: ignore[arg-type]


def _too_long(record: ContactRecord) -> bool:
    """Whether any value may be over its limit (plain loops: this runs for every record)."""
    values = record.__dict__  # the record's fields, without an attribute look-up each
    for name in _TEXT_FIELDS:
        value = values[name]
        if value and len(value) > _SHORTEST_LIMIT:
            return True
    for name, limit in _ITEM_LIMITS.items():
        for value in values[name]:
            if len(value) > limit:
                return True
    return False


_TEXT_FIELDS = tuple(_LIMITS)


def _share_entries(path: Path) -> Iterator[Entry]:
    """The contacts of a `kith share` file; a JSON file of another kind is refused."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        reason = f"{path.name}: not a kith share file ({error}); nothing was imported"
        raise KithError(reason) from None
    contacts = document.get("contacts") if isinstance(document, dict) else None
    if not isinstance(contacts, list):
        raise KithError(f"{path.name}: not a kith share file (no contacts list)")
    numbered = enumerate(contacts, start=1)
    return (entry for number, item in numbered for entry in _read(_share_entry(number, item)))


def _strings(item: dict[str, Any], name: str) -> tuple[str, ...]:
    values = item.get(name) or []
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise TypeError(f"{name} is not a list of texts")
    return tuple(v.strip() for v in values if v.strip())


def _text(item: dict[str, Any], name: str) -> str | None:
    value = item.get(name)
    if value is not None and not isinstance(value, str):
        raise TypeError(f"{name} is not a text")
    return value.strip() or None if value else None


def _share_entry(number: int, item: object) -> ContactRecord | RecordError:
    """One shared contact; `line` is its position in the contacts list."""
    try:
        if not isinstance(item, dict):
            raise TypeError("not an object")
        name = _text(item, "name")
        if not name:
            return RecordError(number, "name", f"contact {number} has no name")
        record = ContactRecord(
            name=name,
            line=number,
            source="vcard",  # only for the type; the import records "share" as source
            emails=_strings(item, "emails"),
            phones=_strings(item, "phones"),
            links=_strings(item, "links"),
            company=_text(item, "company"),
            title=_text(item, "title"),
            interests=_strings(item, "interests"),
            needs=_strings(item, "needs"),
            offers=_strings(item, "offers"),
        )
    except TypeError as error:
        return RecordError(number, None, f"contact {number}: {error}")
    return record


@dataclass
class Run:
    """The state of one import across batches: who holds which key, so far."""

    conn: Connection
    garden: Garden
    report: ImportReport
    source: str
    strict: bool
    file_name: str
    index: KeyIndex = field(default_factory=KeyIndex)
    next_ref: int = -1  # placeholders for people not yet inserted are negative
    # The garden held nobody when the import began: every stored person is then one this
    # import added, whose keys the index already holds, so the store is not asked.
    started_empty: bool | None = None
    # The account's keys read once (`dedup_index.snapshot`), dropped for good at a write.
    keys: dedup_index.Snapshot | None = None
    snapshot_taken: bool = False
    seen: int = 0  # records looked up so far
    wrote: bool | None = None  # whether the last batch wrote anything (None: no batch yet)

    def batch(self, entries: Iterable[Entry]) -> None:
        """Merge or add one batch of records, reporting the bad ones."""
        lines: list[Line] = []
        for entry in entries:
            if isinstance(entry, RecordError):
                self._error(entry)
            elif isinstance(entry, Dropped):
                self._dropped(entry.error)
            else:
                lines.append(self._dated(entry))
        keyed = [(line, draft, keys_of(draft)) for line, draft in lines]
        account = self.garden.account_id
        if self.started_empty is None:
            self.started_empty = not dedup_index.holds_anyone(self.conn, account)
        if not self.started_empty:
            companies = {draft.company for _, draft, _ in keyed if draft.company}
            batch = [k for *_, k in keyed]
            snapshot = self._snapshot(batch)
            dedup_index.load_keys(
                self.conn, account, batch, companies, self.index, snapshot=snapshot
            )
        fresh: dict[int, PersonDraft] = {}
        into: Merging = {}
        for line, draft, keys in keyed:
            match = self.index.find(keys)
            if match is None:
                ref, self.next_ref = self.next_ref, self.next_ref - 1
                fresh[ref] = draft
                self.report.added += 1
            else:
                ref = match.ref
                foreign = self.index.foreign(ref, keys)
                for key in foreign:
                    self._warn(line, f"{key} belongs to someone else; not added to this person")
                incoming = drop_keys(draft, foreign)
                if ref in fresh:
                    fresh[ref] = self._fold(fresh[ref], line, incoming, match.by)
                else:
                    into.setdefault(ref, []).append((line, incoming, match.by))
            self.index.add(ref, keys)
        self._write(fresh, into)

    def _snapshot(self, batch: list[Keys]) -> dedup_index.Snapshot | None:
        """The account's keys, read once when the file is large against the garden.

        Taken at most once, before the import's first write (when it pays:
        `dedup_index.snapshot_share`), and dropped at the next write: while it is held the
        database holds what it read, so every look-up finds what a query would (`load_keys`).
        """
        self.seen += len(batch)
        if self.snapshot_taken or self.wrote:
            return self.keys
        account = self.garden.account_id
        first = self.wrote is None
        share = dedup_index.snapshot_share(self.conn, account, SNAPSHOT_SHARE, batch, first=first)
        if share and self.seen * share >= people_store.count_people(self.conn, account):
            self.keys = dedup_index.snapshot(self.conn, account)
            self.snapshot_taken = True
        return self.keys

    def _fold(self, kept: PersonDraft, line: int, incoming: PersonDraft, by: str) -> PersonDraft:
        after = combine(kept, incoming)
        if after is kept or after == kept:
            self.report.skipped += 1
            return kept
        self.report.merged += 1
        changed = changed_fields(kept, after)
        self.report.merges.append(LineMerge(line, kept.name, by, tuple(changed)))
        return after

    def _write(
        self, fresh: dict[int, PersonDraft], into: dict[int, list[tuple[int, PersonDraft, str]]]
    ) -> None:
        account = self.garden.account_id
        if self.keys is not None:  # people the records add nothing to are not read back
            self.report.skipped += reimport.drop_unchanged(self.keys, into)
        stored = dedup_index.load_drafts(
            self.conn, account, into.keys(), _brought(into), snapshot=self.keys
        )
        updates: dict[int, dict[str, object]] = {}
        additions: list[tuple[int, PersonDraft]] = []
        for person_id, incoming in into.items():
            before = current = stored[person_id]
            for line, draft, by in incoming:
                current = self._fold(current, line, draft, by)
            if current is before:  # nothing new (a re-import): nothing to write
                continue
            changed = changed_fields(before, current)
            updates[person_id] = {name: getattr(current, name) for name in changed}
            additions.append((person_id, added_lists(before, current)))
        bulk.update_fields(self.conn, account, updates)
        bulk.insert_details(self.conn, account, additions)
        ids = bulk.insert_people(
            self.conn, account, list(fresh.values()), self.source, self.garden.today
        )
        self.index.aliases.update(zip(fresh.keys(), ids, strict=True))
        self.wrote = bool(updates or fresh)
        if self.wrote:
            self.keys = None  # the database no longer holds what the snapshot read

    def _error(self, error: RecordError) -> None:
        if self.strict:
            raise KithError(
                f"{self.file_name}: {error}"
                " (a strict import refuses the whole file; nothing was imported)"
            )
        message = f"{error.field}: {error.message}" if error.field else error.message
        self.report.errors.append(LineError(error.line, error.field, message))

    def _dated(self, line: Line) -> Line:
        """The line without a birthday after today or before 1900, as a user's is refused.

        The backup check refuses such a date, and a backup of the garden must restore.
        """
        number, draft = line
        problem = draft.birthday and date_problem(draft.birthday, self.garden.today)
        if not problem:
            return line
        self._dropped(RecordError(number, "birthday", problem))
        return number, replace(draft, birthday=None)

    def _dropped(self, error: RecordError) -> None:
        if self.strict:
            raise KithError(
                f"{self.file_name}: {error}"
                " (a strict import refuses the whole file; nothing was imported)"
            )
        message = f"{error.field}: {error.message}; left out, the person kept"
        self.report.warnings.append(LineWarning(error.line, message, error.field))

    def _warn(self, line: int, message: str) -> None:
        self.report.warnings.append(LineWarning(line, message))


def _brought(into: Merging) -> set[str]:
    """The lists (emails, links, ...) that records merging into stored people bring.

    Only these can change, so only these are read from the store.
    """
    return {
        name
        for merges in into.values()
        for _, draft, _ in merges
        for name in bulk.LIST_NAMES
        if getattr(draft, name)
    }


def added_lists(before: PersonDraft, after: PersonDraft) -> PersonDraft:
    """What `combine` appended to each list (it only ever appends)."""
    return PersonDraft(
        name=after.name,
        **{
            name: getattr(after, name)[len(getattr(before, name)) :]
            for name in ("emails", "phones", "links", "interests", "needs", "offers")
        },
    )


def count_people(garden: Garden) -> int:
    """How many people the garden holds."""
    with garden.reading() as conn:
        return people_store.count_people(conn, garden.account_id)
