"""Look-ups for dedup: which stored people a batch of incoming records could be.

Every look-up takes a whole batch and goes through an index (emails are unique per
account; phones, links, names, companies and vCard UIDs have theirs), in IN-lists of at
most `bulk.CHUNK` values, so dedup against a 20,000-person garden never scans per row.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import MISSING, dataclass, fields
from operator import itemgetter
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import Column, Connection, select

from kith.core.dedup import KeyIndex, Keys, company_of, email_of, is_profile
from kith.core.model import PersonDraft, TagKind
from kith.store.bulk import LIST_NAMES, TAG_LISTS, chunks, keyed, rows_with
from kith.store.tables import people, person_emails, person_links, person_phones, tags

if TYPE_CHECKING:  # the driver's own connection, for SQLite's plain reads
    import sqlite3


def holds_anyone(conn: Connection, account_id: int) -> bool:
    """Whether the account has any person (an import into an empty garden looks nothing up)."""
    query = select(people.c.id).where(people.c.account_id == account_id).limit(1)
    return conn.execute(query).first() is not None


def load_keys(
    conn: Connection,
    account_id: int,
    batch: Sequence[Keys],
    companies: Collection[str],
    index: KeyIndex,
    *,
    snapshot: Snapshot | None = None,
) -> None:
    """Add to `index` every stored key that a record of `batch` could match.

    `companies` are the companies as the records spell them (the company index compares
    spellings; case is compared after, in the core). With a `snapshot` (the account's keys
    as the database holds them now) nothing is queried: the same rows are taken from it,
    in the same order, so `index` ends up exactly as the queries would leave it.
    """
    emails = {e for k in batch for e in k.emails}
    phones = {p for k in batch for p in k.phones}
    lookups: tuple[tuple[Any, Any, dict[str, int], set[str]], ...] = (
        (people.c.vcard_uid, people, index.uids, {k.uid for k in batch if k.uid}),
        (person_emails.c.email, person_emails, index.emails, emails),
        (person_phones.c.phone_key, person_phones, index.phones, phones),
        (person_links.c.url_key, person_links, index.urls, {u for k in batch for u in k.urls}),
    )
    for column, table, found, wanted in lookups:
        missing = wanted - found.keys()
        if snapshot is not None:
            owners = snapshot.owners[column.name]
            found.update((key, owners[key]) for key in missing if key in owners)
            continue
        owner = table.c.id if table is people else table.c.person_id
        for part in chunks(sorted(missing)):
            pairs = (column, owner)
            for key, person_id in rows_with(conn, account_id, column, part, pairs, named=False):
                found.setdefault(key, person_id)
    unseen = sorted(set(companies) - index.looked_up)
    index.looked_up.update(unseen)  # later batches find these people in the index
    names = sorted({k.name for k in batch if not (k.emails or k.phones)} - index.names.keys())
    named = (people.c.id, people.c.name_key, people.c.company)
    # People found, in the order found. One found again (by name, then by company: the
    # same row) is not added again: `add_named` of the same values a second time changes
    # nothing (names and companies only grow, by setdefault), whatever came in between.
    found_by_name: dict[int, None] = {}
    for column, values in ((people.c.name_key, names), (people.c.company, unseen)):
        for part in chunks(values):
            if snapshot is None:
                rows = rows_with(conn, account_id, column, part, named, named=False)
            else:
                rows = snapshot.people_with(column.name, part)
            for person_id, key, company in rows:
                if person_id not in found_by_name:
                    index.add_named(person_id, key, company_of(company))
                    found_by_name[person_id] = None
    held = [p for p in found_by_name if p not in index.held_loaded]
    if snapshot is None:
        _load_held(conn, held, index)
    else:
        snapshot.load_held(held, index)


def _load_held(conn: Connection, ids: Sequence[int], index: KeyIndex) -> None:
    """Add the emails, phones and profile URLs of these people (found by name) to `index`:
    a name does not merge two people whose identifiers differ."""
    index.held_loaded.update(ids)
    for part in chunks(sorted(ids)):
        for kind, column, table, key in _HELD:
            pairs = (table.c.person_id, column)
            held: dict[int, list[str]] = defaultdict(list)  # one `hold` per person, not per row
            for person_id, value in rows_with(
                conn, None, table.c.person_id, part, pairs, named=False
            ):
                if kind != "urls" or is_profile(value):
                    held[person_id].append(key(value))
            for person_id, values in held.items():
                index.hold(person_id, kind, values)


# What `_load_held` reads of a person: kind, column, its table, the key it is held under.
_HELD: tuple[tuple[str, Any, Any, Callable[[str], str]], ...] = (
    ("emails", person_emails.c.email, person_emails, email_of),
    ("phones", person_phones.c.phone_key, person_phones, str),
    ("urls", person_links.c.url_key, person_links, str),
)
# The list of a draft each of those tables fills, and the column it is read from.
_DRAFT_LISTS = {
    "emails": ("emails", person_emails.c.email),
    "phones": ("phones", person_phones.c.phone),
    "urls": ("links", person_links.c.url),
}


@dataclass
class Snapshot:
    """The account's dedup keys, read in one query per table instead of per batch.

    Worth it when a file is large against the garden (a re-import reads back nearly every
    person, each by name and again by company, batch after batch). Valid only while the
    database holds what it held when read: the importer drops it once it writes.

    owners: column name ("vcard_uid", "email", "phone_key", "url_key") -> key -> the
    smallest id holding it (what the batch queries, ordered by owner, keep first);
    named: "name_key" or "company" -> value -> (id, name_key, company) rows by id;
    held: kind -> person -> the keys `_load_held` would add, in any order (they are sets).
    """

    owners: dict[str, dict[str, int]]
    named: dict[str, dict[str, list[tuple[int, str, str | None]]]]
    held: dict[str, dict[int, list[str]]]
    drafted: dict[int, tuple[Any, ...]]  # id -> the `_DRAFTED` row
    lists: dict[str, dict[int, list[str]]]  # "emails", "phones", "links" -> id -> values by id

    def drafts(self, ids: Collection[int], wanted: Collection[str]) -> dict[int, PersonDraft]:
        """`load_drafts` from the snapshot (no tag lists: the caller asks the store)."""
        empty: dict[int, list[str]] = {}
        read = {
            name: self.lists.get(name, empty) if name in wanted else empty for name in LIST_NAMES
        }
        rows = (self.drafted.get(pid) for pid in sorted(set(ids)))
        return {row[0]: _draft(row, read) for row in rows if row is not None}

    def people_with(self, column: str, values: Sequence[str]) -> list[tuple[int, str, str | None]]:
        """The rows whose `column` is one of `values`, by id: what `rows_with` returns."""
        by_value = self.named[column]
        rows = [row for value in values for row in by_value.get(value, ())]
        rows.sort(key=itemgetter(0))  # ids are unique: one row per person and column
        return rows

    def load_held(self, ids: Sequence[int], index: KeyIndex) -> None:
        """`_load_held` from the snapshot."""
        index.held_loaded.update(ids)
        for part in chunks(sorted(ids)):  # in `_load_held`'s order, so the same index
            for kind, by_person in self.held.items():
                for person_id in part:
                    if values := by_person.get(person_id):
                        index.hold(person_id, kind, values)


# How much dearer PostgreSQL's batch look-ups (one index look-up per value) are than
# SQLite's, each against reading the whole account once: 50,000 rows re-imported into their
# own garden, the first two batches' look-ups took 1.4 s there, the snapshot 0.46 s.
_POSTGRES_SHARE = 4
# On SQLite, at the first batch of an import most of whose records the garden holds: most
# likely the same export again, about as large as the garden, so the snapshot is taken at
# this larger share (in the bench's garden one record's look-ups cost about what reading
# twelve people into the snapshot does).
_REIMPORT_SHARE = 4


def snapshot_share(
    conn: Connection, account_id: int, share: int, batch: Sequence[Keys], *, first: bool
) -> int:
    """The share of the garden (records looked up times it, against its people) from which
    reading the account's keys once pays; 0: not now.

    On SQLite, `share`; at the first batch (`first`) only when most of its records are
    people the garden holds (a profile URL or email already stored): a re-import, then at
    `_REIMPORT_SHARE` times it. A batch that writes drops the snapshot, and there its
    reading costs about what a batch's look-ups do (into 20,000 other people, taken at the
    first batch, it cost 0.05-0.13 s). On PostgreSQL a batch's look-ups cost several
    snapshots of a garden of that size: `share` times `_POSTGRES_SHARE`, from the first
    batch (50,000 rows re-imported: 5.0-9.8 s wall to 1.7-2.6 s). Into 20,000 other people
    it is wasted there (0.1 s of 7-11 s: the look-ups' cost, mostly the first query's cold
    index pages, moves to the next batch).
    """
    if conn.dialect.name == "postgresql":
        return share * _POSTGRES_SHARE
    if not first:
        return share
    return share * _REIMPORT_SHARE if _known(conn, account_id, batch) * 2 >= len(batch) else 0


def _known(conn: Connection, account_id: int, batch: Sequence[Keys]) -> int:
    """How many of these records a stored profile URL or email identifies (a few queries)."""
    found: set[str] = set()
    for column, wanted in (
        (person_links.c.url_key, {u for k in batch for u in k.urls}),
        (person_emails.c.email, {e for k in batch for e in k.emails}),
    ):
        for part in chunks(sorted(wanted)):
            found.update(
                key for (key,) in rows_with(conn, account_id, column, part, (column,), named=False)
            )
    return sum(1 for k in batch if not found.isdisjoint((*k.urls, *k.emails)))


def snapshot(conn: Connection, account_id: int) -> Snapshot:
    """Read the account's dedup keys: people once, then each identifier table once."""
    owners: dict[str, dict[str, int]] = {}
    named: dict[str, dict[str, list[tuple[int, str, str | None]]]] = {
        "name_key": defaultdict(list),
        "company": defaultdict(list),
    }
    uids = owners["vcard_uid"] = {}
    drafted: dict[int, tuple[Any, ...]] = {}
    # every person of the account, converted as `load_drafts` reads them (dates)
    every = (conn, account_id, people.c.account_id, [account_id], (*_DRAFTED, people.c.name_key))
    for row in rows_with(*every, named=False):
        person_id, company, uid, key = row[0], row[3], row[8], row[11]
        drafted[person_id] = row  # `_draft` takes the `_DRAFTED` columns, the first eleven
        by_name = (person_id, key, company)
        named["name_key"][key].append(by_name)
        if company is not None:
            named["company"][company].append(by_name)
        if uid is not None:
            uids.setdefault(uid, person_id)
    held: dict[str, dict[int, list[str]]] = {}
    lists: dict[str, dict[int, list[str]]] = {}
    for kind, column, table, key in _HELD:
        found = owners[column.name] = {}
        by_person: dict[int, list[str]] = defaultdict(list)
        name, stored = _DRAFT_LISTS[kind]
        values = lists[name] = defaultdict(list)
        selected = (table.c.person_id, table.c.id, column, stored)
        for person_id, _, value, as_stored in _account_rows(conn, account_id, selected):
            found.setdefault(value, person_id)
            if kind != "urls" or is_profile(value):
                by_person[person_id].append(key(value))
            values[person_id].append(as_stored)
        held[kind] = by_person
    return Snapshot(owners, named, held, drafted, lists)


def _account_rows(
    conn: Connection, account_id: int, selected: tuple[Column[Any], ...]
) -> Iterable[Any]:
    """`selected` (ids and texts) of all the account's rows, by the first two (the owner,
    then the row's id).

    On SQLite plain tuples from the driver's cursor, as `bulk.rows_with` reads them:
    no Row per row (a snapshot reads every email, phone and link of the garden). There the
    account's condition is kept off its index (`+account_id`): SQLite then reads the rows
    through the owner's index, already in order, instead of sorting them all (half the
    time of reading 50,000 links); a file shared by several accounts is read whole.
    """
    table, order = selected[0].table, selected[:2]
    if conn.dialect.name != "sqlite":
        query = select(*selected).where(table.c.account_id == account_id).order_by(*order)
        return conn.execute(query).all()  # fetched whole, not a `fetchone` per row
    names = ", ".join(f'"{c.name}"' for c in selected)
    by = ", ".join(f'"{c.name}"' for c in order)
    sql = f"SELECT {names} FROM {table.name} WHERE +account_id = ? ORDER BY {by}"  # noqa: S608 - schema names
    driver = cast("sqlite3.Connection", conn.connection.dbapi_connection)
    cursor = driver.cursor()
    try:
        return cursor.execute(sql, (account_id,)).fetchall()
    finally:
        cursor.close()


def load_drafts(
    conn: Connection,
    account_id: int,
    ids: Collection[int],
    lists: Collection[str] = LIST_NAMES,
    *,
    snapshot: Snapshot | None = None,
) -> dict[int, PersonDraft]:
    """People as drafts (fields, emails, phones, links, tags), five queries per IN-list.

    `lists`: the lists to read (`LIST_NAMES`); the others are left empty. An import only
    needs the kinds its records bring: a list they add nothing to is not compared.

    People are fetched by primary key and kept only if they are the account's; their lists
    then by `person_id` alone: with `account_id` in the condition, SQLite takes the
    account's index and reads every email, phone or link of the garden for each batch.
    With a `snapshot` (of this account, the database unchanged since) and no tag list
    wanted, the same drafts are built from it without a query.
    """
    if snapshot is not None and not set(TAG_LISTS.values()) & set(lists):
        return snapshot.drafts(ids, lists)
    drafts: dict[int, PersonDraft] = {}
    for part in chunks(sorted(set(ids))):
        rows = [
            row
            for row in rows_with(conn, None, people.c.id, part, _DRAFTED, named=False)
            if row[1] == account_id
        ]
        read = _lists(conn, [row[0] for row in rows], lists)
        for row in rows:
            drafts[row[0]] = _draft(row, read)
    return drafts


def _draft(row: Sequence[Any], lists: dict[str, dict[int, list[str]]]) -> PersonDraft:
    """The draft of a `_DRAFTED` row with its lists (person -> values, by kind)."""
    pid, _, name, company, title, met_where, met_on, note, uid, via_id, birthday = row[:11]
    # built without the frozen `__init__` (a setattr per field; a re-import reads back
    # every person it matches): the same values, so an equal draft
    draft = object.__new__(PersonDraft)
    draft.__dict__.update(
        _DRAFT_DEFAULTS,
        name=name,
        company=company,
        title=title,
        met_where=met_where,
        met_on=met_on,
        note=note,
        uid=uid,
        via_id=via_id,
        emails=tuple(lists["emails"].get(pid, ())),
        phones=tuple(lists["phones"].get(pid, ())),
        links=tuple(lists["links"].get(pid, ())),
        interests=tuple(lists["interests"].get(pid, ())),
        needs=tuple(lists["needs"].get(pid, ())),
        offers=tuple(lists["offers"].get(pid, ())),
        birthday=birthday,
    )
    return draft


# The fields a stored draft does not read (`cadence_days`, `consent_share`), at their defaults.
_DRAFT_DEFAULTS = {f.name: f.default for f in fields(PersonDraft) if f.default is not MISSING}


# What a draft holds of a person (in this order), not every column: each read column is
# converted, and a re-import reads back every person it matches.
_DRAFTED = tuple(
    people.c[name]
    for name in (
        "id", "account_id", "name", "company", "title", "met_where", "met_on", "note",
        "vcard_uid", "via_id", "birthday",
    )
)  # fmt: skip
# Where a draft's field sits in a `_DRAFTED` row (`Snapshot.drafted`), by the draft's name.
DRAFTED_AT = {("uid" if c.name == "vcard_uid" else c.name): n for n, c in enumerate(_DRAFTED)}


def _lists(
    conn: Connection, ids: list[int], wanted: Collection[str]
) -> dict[str, dict[int, list[str]]]:
    """The `wanted` lists of these people (all of one account, checked by the caller)."""
    lists: dict[str, dict[int, list[str]]] = {name: defaultdict(list) for name in LIST_NAMES}
    if not ids:
        return lists
    for name, column, table in (
        ("emails", person_emails.c.email, person_emails),
        ("phones", person_phones.c.phone, person_phones),
        ("links", person_links.c.url, person_links),
    ):
        if name not in wanted:
            continue
        pairs = (table.c.person_id, column)
        for person_id, value in rows_with(
            conn, None, table.c.person_id, ids, pairs, order=table.c.id, named=False
        ):
            lists[name][person_id].append(value)
    if not set(TAG_LISTS.values()) & set(wanted):
        return lists
    selected = (tags.c.person_id, tags.c.kind, tags.c.value)
    for person_id, kind, value in rows_with(
        conn, None, tags.c.person_id, ids, selected, order=tags.c.id, named=False
    ):
        lists[TAG_LISTS[TagKind(kind)]][person_id].append(value)
    return lists


def people_by_email(conn: Connection, account_id: int, emails: Collection[str]) -> dict[str, int]:
    """The person each of these (normalised) emails belongs to; unknown ones left out."""
    return keyed(conn, account_id, person_emails.c.email, person_emails.c.person_id, emails)


def people_by_uid(conn: Connection, account_id: int, uids: Collection[str]) -> dict[str, int]:
    """The person each of these vCard UIDs belongs to; unknown ones left out."""
    return keyed(conn, account_id, people.c.vcard_uid, people.c.id, uids)
