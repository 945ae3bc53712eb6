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
from itertools import chain
from pathlib import Path
from typing import Any

from kith.app import inputs, reimport
from kith.app.backup import restore
from kith.app.errors import InvalidInput, KithError
from kith.app.garden import Garden
from kith.app.import_report import ImportReport, Progress, transaction
from kith.app.report_lines import LineError, LineMerge, LineWarning
from kith.core import limits
from kith.core.dedup import KeyColumns, KeyIndex, Keys, changed_fields, combine, email_of
from kith.core.dedup import without_keys as drop_keys
from kith.core.dedup_gate import independent
from kith.core.limits import date_problem
from kith.core.model import PersonDraft
from kith.io.google import iter_google
from kith.io.linkedin import iter_linkedin_drafts
from kith.io.outlook import iter_outlook
from kith.io.records import ContactRecord, FormatError, Line, RecordError
from kith.io.vcard import iter_vcards
from kith.store import Connection, bulk, copy_behind, dedup_index, import_moment
from kith.store import people as people_store

BATCH = 2000  # records per round of look-ups and inserts: memory stays flat for any file
# Once the records looked up reach 1/SNAPSHOT_SHARE of the garden's people, and the last batch
# wrote nothing (a re-import), the account's keys are read once instead of per batch (from
# the first batch when it is one: `dedup_index.snapshot_share`).
SNAPSHOT_SHARE = 10
# A file into an empty garden is read whole first, up to this many records, so that the records
# that can meet nobody skip the dedup index (`dedup_gate`); a longer one streams as any other.
AHEAD = 100_000
KINDS = ("linkedin", "google", "outlook", "vcard", "json", "share")
_READERS = {
    "linkedin": iter_linkedin_drafts,  # clean rows straight as drafts (`_read_all`)
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
        with (
            collection_paused(),
            import_moment.told_if_changed(),  # PostgreSQL: a row changed since its moment
            transaction(garden, dry_run) as conn,
            import_moment.one_moment(conn),  # PostgreSQL: every batch reads the same moment
            copy_behind.behind(conn),  # PostgreSQL: COPYs run while the next batch is read
            bulk.loading(conn),  # SQLite, into an empty garden: indexes built once, at the end
        ):
            via_id = inputs.resolve(conn, garden.account_id, sharer) if sharer else None
            source = "share" if kind == "share" else kind
            run = Run(conn, garden, report, source, strict, path.name)
            for batch in bulk.chunks(run.ahead(entries), BATCH):
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


def _read_all(items: Iterable[Line | ContactRecord | RecordError]) -> Iterator[Entry]:
    """`_read` of every item; a reader's own line and draft (LinkedIn's) as it is.

    The common case (a record within every limit, nothing dropped: nearly every row of an
    export) is taken without a generator per record.
    """
    for item in items:
        if isinstance(item, tuple):  # a row the reader found whole and within every limit
            yield item
        elif isinstance(item, ContactRecord) and not item.dropped and not _too_long(item):
            yield item.line, draft_of(item)
        else:
            yield from _read(item)


def draft_of(record: ContactRecord) -> PersonDraft:
    """The draft of a person that an imported contact record describes, emails as stored."""
    draft = record.draft()
    if draft.emails:  # set on the new draft, held by nobody yet: `replace` re-runs `__init__`
        stored = tuple(dict.fromkeys(email_of(e) for e in draft.emails))
        draft.__dict__["emails"] = stored
    return draft


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
    if limits.too_long_casefolded(record.name):  # its name_key would not fit
        message = f"longer than {limits.NAME} characters once casefolded"
        return RecordError(record.line, "name", message)
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
    if not values["name"].isascii() and limits.too_long_casefolded(values["name"]):
        return True
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
    # The keys of the file's records read ahead (`ahead`), in order: None for a record that
    # meets nobody; None for the whole: each batch's keys are computed as it comes.
    judged: Iterator[Keys | None] | None = None

    def ahead(self, entries: Iterator[Entry]) -> Iterator[Entry]:
        """The entries; into an empty garden, read whole first to judge who meets nobody.

        Whatever the reading raises (a format error part-way through) is raised where the
        stream would have raised it, after the entries before it: a strict import still
        stops at a bad record of an earlier batch, with the same message.
        """
        if self.started_empty is None:
            self.started_empty = not dedup_index.holds_anyone(self.conn, self.garden.account_id)
        if not self.started_empty:
            return entries
        read: list[Entry] = []
        try:
            for entry in entries:
                read.append(entry)
                if len(read) > AHEAD:  # too long to hold: judged record by record
                    return chain(read, entries)
        except Exception as error:  # noqa: BLE001 - raised again, where the stream raised it
            return _raising(read, error)
        keys = KeyColumns.of([entry[1] for entry in read if isinstance(entry, tuple)])
        alone = independent(keys)
        self.judged = (None if free else keys.keys(row) for row, free in enumerate(alone))
        return iter(read)

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
        keyed = self._keyed(lines)
        self._look_up(keyed)
        fresh: dict[int, PersonDraft] = {}
        into: Merging = {}
        for line, draft, keys in keyed:
            if keys is None:  # meets nobody (`dedup_gate`): added, its keys never read
                self._added(fresh, draft)
                continue
            match = self.index.find(keys)
            if match is None:
                ref = self._added(fresh, draft)
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

    def _added(self, fresh: dict[int, PersonDraft], draft: PersonDraft) -> int:
        """A new person: a placeholder reference, reported as added."""
        ref, self.next_ref = self.next_ref, self.next_ref - 1
        fresh[ref] = draft
        self.report.added += 1
        return ref

    def _look_up(self, keyed: list[tuple[int, PersonDraft, Keys | None]]) -> None:
        """Fill the index with the stored keys the batch may meet (none in an empty garden)."""
        account = self.garden.account_id
        if self.started_empty is None:
            self.started_empty = not dedup_index.holds_anyone(self.conn, account)
        if self.started_empty:
            return
        companies = {draft.company for _, draft, _ in keyed if draft.company}
        batch = [keys for _, _, keys in keyed if keys is not None]  # none is None here
        snapshot = self._snapshot(batch)
        dedup_index.load_keys(self.conn, account, batch, companies, self.index, snapshot=snapshot)

    def _keyed(self, lines: list[Line]) -> list[tuple[int, PersonDraft, Keys | None]]:
        """Each line with its keys, None when it meets nobody (keys computed once)."""
        if self.judged is None:  # a column at a time: `keys_of` of each, ~15% less time
            columns = KeyColumns.of([draft for _, draft in lines])
            return [(line, draft, columns.keys(row)) for row, (line, draft) in enumerate(lines)]
        judged = self.judged
        return [(line, draft, next(judged)) for line, draft in lines]

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


def _raising(read: list[Entry], error: Exception) -> Iterator[Entry]:
    yield from read
    raise error


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
