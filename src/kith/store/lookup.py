"""Bulk look-ups and writes for imports and merges: a batch of records in a few queries.

Every look-up takes a whole batch and goes through an index (emails are unique per
account; phones, links, names, companies and vCard UIDs have theirs), in IN-lists of at
most `CHUNK` values, so dedup against a 20,000-person garden never scans per row.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import (
    Column,
    Connection,
    Integer,
    Table,
    and_,
    bindparam,
    delete,
    func,
    insert,
    or_,
    select,
    update,
)

from kith.core.dedup import (
    KeyIndex,
    Keys,
    company_of,
    email_of,
    is_profile,
    link_key,
    name_of,
    phone_of,
)
from kith.core.identity import name_key
from kith.core.model import PersonDraft, TagKind
from kith.store import kept_facts
from kith.store.tables import (
    asks,
    breaches,
    exchanges,
    interactions,
    intros,
    people,
    person_emails,
    person_links,
    person_phones,
    snoozes,
    sync_state,
    tags,
    their_asks,
)

CHUNK = 900  # values per IN-list: under every driver's bound-parameter limit
T = TypeVar("T")


def chunks(values: Iterable[T], size: int = CHUNK) -> Iterator[list[T]]:
    batch: list[T] = []
    for value in values:
        batch.append(value)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def load_keys(
    conn: Connection,
    account_id: int,
    batch: Sequence[Keys],
    companies: Collection[str],
    index: KeyIndex,
) -> None:
    """Add to `index` every stored key that a record of `batch` could match.

    `companies` are the companies as the records spell them (the company index compares
    spellings; case is compared after, in the core).
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
        owner = table.c.id if table is people else table.c.person_id
        for part in chunks(sorted(wanted - found.keys())):
            for key, person_id in _rows_with(conn, account_id, column, part, (column, owner)):
                found.setdefault(key, person_id)
    unseen = sorted(set(companies) - index.looked_up)
    index.looked_up.update(unseen)  # later batches find these people in the index
    names = sorted({k.name for k in batch if not (k.emails or k.phones)} - index.names.keys())
    named = (people.c.id, people.c.name_key, people.c.company)
    found_by_name: list[int] = []
    for column, values in ((people.c.name_key, names), (people.c.company, unseen)):
        for part in chunks(values):
            for person_id, key, company in _rows_with(conn, account_id, column, part, named):
                index.add_named(person_id, key, company_of(company))
                found_by_name.append(person_id)
    _load_held(conn, [p for p in dict.fromkeys(found_by_name) if p not in index.held_loaded], index)


def _load_held(conn: Connection, ids: Sequence[int], index: KeyIndex) -> None:
    """Add the emails, phones and profile URLs of these people (found by name) to `index`:
    a name does not merge two people whose identifiers differ."""
    index.held_loaded.update(ids)
    for part in chunks(sorted(ids)):
        for kind, column, table, key in (
            ("emails", person_emails.c.email, person_emails, email_of),
            ("phones", person_phones.c.phone_key, person_phones, str),
            ("urls", person_links.c.url_key, person_links, str),
        ):
            pairs = (table.c.person_id, column)
            for person_id, value in _rows_with(conn, None, table.c.person_id, part, pairs):
                if kind != "urls" or is_profile(value):
                    index.hold(person_id, kind, (key(value),))


def _rows_with(
    conn: Connection,
    account_id: int | None,
    column: Column[Any],
    values: Sequence[Any],
    selected: tuple[Column[Any], ...],
    *,
    order: Column[Any] | None = None,
) -> Iterable[Any]:  # rows: unpack them or read their columns by name
    """`selected` of the rows whose `column` is one of `values`, by `order` (the owner).

    `account_id` None: no account condition (`values` are people already checked).
    PostgreSQL looks each value up on its own through the index on `column`: inside an
    import's transaction its statistics still describe the garden before the import, so
    an IN-list would be planned as a scan of all the rows, batch after batch.
    """
    table = column.table
    if order is None:
        order = table.c.id if table is people else table.c.person_id
    if conn.dialect.name != "postgresql":
        query = select(*selected).where(column.in_(values))
        if account_id is not None:
            query = query.where(table.c.account_id == account_id)
        return conn.execute(query.order_by(order))
    names = ", ".join(f'found."{c.name}"' for c in selected)
    inner = ", ".join(
        f'"{name}"' for name in dict.fromkeys([*(c.name for c in selected), order.name])
    )
    kind = "integer" if isinstance(column.type, Integer) else "text"
    mine = "" if account_id is None else " AND account_id = %(account)s"
    sql = (
        f"SELECT {names} FROM unnest(%(values)s::{kind}[]) AS wanted(value) CROSS JOIN LATERAL"  # noqa: S608 - schema names
        f' (SELECT {inner} FROM {table.name} WHERE "{column.name}" = wanted.value{mine})'
        f' AS found ORDER BY found."{order.name}"'
    )
    return conn.exec_driver_sql(sql, {"values": list(values), "account": account_id})


def load_drafts(conn: Connection, account_id: int, ids: Collection[int]) -> dict[int, PersonDraft]:
    """People as drafts (fields, emails, phones, links, tags), five queries per IN-list.

    People are fetched by primary key and kept only if they are the account's; their lists
    then by `person_id` alone: with `account_id` in the condition, SQLite takes the
    account's index and reads every email, phone or link of the garden for each batch.
    """
    drafts: dict[int, PersonDraft] = {}
    for part in chunks(sorted(set(ids))):
        columns = tuple(people.c)
        rows = [
            row
            for row in _rows_with(conn, None, people.c.id, part, columns)
            if row.account_id == account_id
        ]
        lists = _lists(conn, [row.id for row in rows])
        emails, phones, links = lists["emails"], lists["phones"], lists["links"]
        interests, needs, offers = lists["interests"], lists["needs"], lists["offers"]
        for row in rows:
            pid = row.id
            drafts[pid] = PersonDraft(
                name=row.name,
                company=row.company,
                title=row.title,
                met_where=row.met_where,
                met_on=row.met_on,
                note=row.note,
                uid=row.vcard_uid,
                via_id=row.via_id,
                emails=tuple(emails.get(pid, ())),
                phones=tuple(phones.get(pid, ())),
                links=tuple(links.get(pid, ())),
                interests=tuple(interests.get(pid, ())),
                needs=tuple(needs.get(pid, ())),
                offers=tuple(offers.get(pid, ())),
                birthday=row.birthday,
            )
    return drafts


_LIST_NAMES = ("emails", "phones", "links", "interests", "needs", "offers")
_TAG_LISTS = {TagKind.INTEREST: "interests", TagKind.NEED: "needs", TagKind.OFFER: "offers"}


def _lists(conn: Connection, ids: list[int]) -> dict[str, dict[int, list[str]]]:
    """The lists of these people (all of one account, checked by the caller)."""
    lists: dict[str, dict[int, list[str]]] = {name: defaultdict(list) for name in _LIST_NAMES}
    if not ids:
        return lists
    for name, column, table in (
        ("emails", person_emails.c.email, person_emails),
        ("phones", person_phones.c.phone, person_phones),
        ("links", person_links.c.url, person_links),
    ):
        pairs = (table.c.person_id, column)
        for person_id, value in _rows_with(
            conn, None, table.c.person_id, ids, pairs, order=table.c.id
        ):
            lists[name][person_id].append(value)
    selected = (tags.c.person_id, tags.c.kind, tags.c.value)
    for person_id, kind, value in _rows_with(
        conn, None, tags.c.person_id, ids, selected, order=tags.c.id
    ):
        lists[_TAG_LISTS[TagKind(kind)]][person_id].append(value)
    return lists


_PEOPLE_COLUMNS = (
    "id", "account_id", "name", "name_key", "company", "title", "met_where", "met_on",
    "via_id", "note", "created_on", "source", "vcard_uid", "birthday",
)  # fmt: skip


def insert_people(
    conn: Connection, account_id: int, drafts: Sequence[PersonDraft], source: str, today: date
) -> list[int]:
    """Insert new people with all their details; their ids, in the order given."""
    if not drafts:
        return []
    rows = [
        (
            account_id, d.name, name_of(d.name), d.company, d.title, d.met_where, d.met_on,
            d.via_id, d.note, today, source, d.uid, d.birthday,
        )
        for d in drafts
    ]  # fmt: skip
    ids = _insert_people_rows(conn, rows)
    insert_details(conn, account_id, list(zip(ids, drafts, strict=True)))
    return ids


def _insert_people_rows(conn: Connection, rows: list[tuple[Any, ...]]) -> list[int]:
    """Insert rows (`_PEOPLE_COLUMNS` but the id) into people; their ids, in order.

    The ids are taken first and the rows inserted with them, so pairing rows with ids never
    depends on the order a database returns them in. PostgreSQL hands out a block of the
    sequence in one query. SQLite gives the first row its id (which also takes SQLite's
    single write lock, so nobody else can insert meanwhile) and the rest follow on from it;
    an id that were taken anyway would fail the insert, never mislink.
    """
    dialect = conn.dialect.name
    if dialect == "postgresql":
        ids = [
            int(i)
            for i in conn.exec_driver_sql(
                "SELECT nextval(pg_get_serial_sequence('people', 'id'))"
                " FROM generate_series(1, %(n)s)",
                {"n": len(rows)},
            ).scalars()
        ]
        ids.sort()
        bulk_insert(
            conn, people, _PEOPLE_COLUMNS, [(i, *r) for i, r in zip(ids, rows, strict=True)]
        )
        return ids
    if dialect != "sqlite":
        statement = insert(people).returning(people.c.id, sort_by_parameter_order=True)
        params = [dict(zip(_PEOPLE_COLUMNS[1:], row, strict=True)) for row in rows]
        return [int(i) for i in conn.execute(statement, params).scalars()]
    first_row = dict(zip(_PEOPLE_COLUMNS[1:], rows[0], strict=True))
    first = int(conn.execute(insert(people).returning(people.c.id), first_row).scalar_one())
    ids = list(range(first, first + len(rows)))
    bulk_insert(
        conn, people, _PEOPLE_COLUMNS, [(i, *r) for i, r in zip(ids[1:], rows[1:], strict=True)]
    )
    return ids


def bulk_insert(
    conn: Connection, table: Table, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]
) -> None:
    """Insert plain tuples in as few round trips as the database allows.

    SQLite: one `executemany` straight to the driver (no per-row statement work).
    PostgreSQL: one `INSERT ... SELECT FROM unnest(arrays)` per batch, a single round trip
    whatever the number of rows. Other databases: SQLAlchemy's executemany.
    """
    if not rows:
        return
    names = ", ".join(f'"{table.c[c].name}"' for c in columns)  # only the table's own
    dialect = conn.dialect.name
    if dialect == "sqlite":
        marks = ", ".join("?" for _ in columns)
        rows = _bound(conn, table, columns, rows)
        sql = f"INSERT INTO {table.name} ({names}) VALUES ({marks})"  # noqa: S608 - schema names
        conn.exec_driver_sql(sql, list(rows))
    elif dialect == "postgresql":
        arrays = ", ".join(
            f"%(c{n})s::{table.c[c].type.compile(dialect=conn.dialect)}[]"
            for n, c in enumerate(columns)
        )
        values = {f"c{n}": list(column) for n, column in enumerate(zip(*rows, strict=True))}
        sql = f"INSERT INTO {table.name} ({names}) SELECT * FROM unnest({arrays})"  # noqa: S608
        conn.exec_driver_sql(sql, values)
    else:
        conn.execute(insert(table), [dict(zip(columns, row, strict=True)) for row in rows])


def _bound(
    conn: Connection, table: Table, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]
) -> Sequence[tuple[Any, ...]]:
    """Rows as the driver stores them (SQLite: dates as ISO text), as SQLAlchemy would."""
    dialect = conn.dialect
    processors = [table.c[c].type.dialect_impl(dialect).bind_processor(dialect) for c in columns]
    if not any(processors):
        return rows
    slots = [(n, f) for n, f in enumerate(processors) if f is not None]
    bound = []
    for row in rows:
        values = list(row)
        for n, process in slots:
            if values[n] is not None:
                values[n] = process(values[n])
        bound.append(tuple(values))
    return bound


def insert_details(
    conn: Connection, account_id: int, items: Sequence[tuple[int, PersonDraft]]
) -> None:
    """Add each draft's emails, phones, links and tags to its person, in one insert each."""
    a = account_id
    emails = [(a, p, e) for p, d in items for e in d.emails]
    phones = [(a, p, ph, phone_of(ph) or ph) for p, d in items for ph in d.phones]
    links = [(a, p, u, link_key(u)) for p, d in items for u in d.links]
    tag_rows = [
        (a, p, kind.value, value)
        for p, d in items
        for kind, name in _TAG_LISTS.items()
        for value in getattr(d, name)
    ]
    bulk_insert(conn, person_emails, ("account_id", "person_id", "email"), emails)
    bulk_insert(conn, person_phones, ("account_id", "person_id", "phone", "phone_key"), phones)
    bulk_insert(conn, person_links, ("account_id", "person_id", "url", "url_key"), links)
    bulk_insert(conn, tags, ("account_id", "person_id", "kind", "value"), tag_rows)


_COLUMNS = {
    "company": "company",
    "title": "title",
    "met_where": "met_where",
    "met_on": "met_on",
    "note": "note",
    "uid": "vcard_uid",
    "via_id": "via_id",
    "birthday": "birthday",
    "name": "name",
}


def update_fields(
    conn: Connection, account_id: int, changes: Mapping[int, Mapping[str, object]]
) -> None:
    """Write changed draft fields (`company`, `uid`, ...) to their people, one UPDATE each."""
    for person_id, values in changes.items():
        columns = {_COLUMNS[name]: value for name, value in values.items() if name in _COLUMNS}
        if "name" in columns:
            columns["name_key"] = name_key(str(columns["name"]))
        if columns:
            conn.execute(
                update(people)
                .where(people.c.account_id == account_id, people.c.id == person_id)
                .values(**columns)
            )


# --- merging two people -------------------------------------------------------------

_MOVED: tuple[tuple[str, Table], ...] = (
    ("interactions", interactions),
    ("exchanges", exchanges),
    ("asks", asks),
    ("breaches", breaches),
    ("their_asks", their_asks),
    ("snoozes", snoozes),
    ("emails", person_emails),
)


def _move(conn: Connection, table: Table, account_id: int, keep: int, gone: int) -> int:
    result = conn.execute(
        update(table)
        .where(table.c.account_id == account_id, table.c.person_id == gone)
        .values(person_id=keep)
    )
    return int(result.rowcount or 0)


def _move_unique(
    conn: Connection, table: Table, key: Any, account_id: int, *, keep: int, gone: int
) -> int:
    """Move rows whose key `keep` lacks; drop the ones `keep` already has (one UPDATE each)."""
    theirs = and_(table.c.account_id == account_id, table.c.person_id == gone)
    kept = select(key).where(table.c.account_id == account_id, table.c.person_id == keep)
    conn.execute(delete(table).where(theirs, key.in_(kept)))
    return int(conn.execute(update(table).where(theirs).values(person_id=keep)).rowcount or 0)


def merge_people(conn: Connection, account_id: int, keep: int, gone: int) -> dict[str, int]:
    """Move everything of `gone` to `keep` and delete `gone`; how many rows of each moved.

    Their introductions to each other go (see `drop_intros_between`; call it first to
    report them).
    """
    drop_intros_between(conn, account_id, keep, gone)
    moved = {label: _move(conn, table, account_id, keep, gone) for label, table in _MOVED}
    tag_key = tags.c.kind + ":" + func.lower(tags.c.value)
    for label, table, key in (
        ("phones", person_phones, person_phones.c.phone_key),
        ("links", person_links, person_links.c.url_key),
        ("tags", tags, tag_key),
    ):
        moved[label] = _move_unique(conn, table, key, account_id, keep=keep, gone=gone)
    moved["intros"] = _move_intros(conn, account_id, keep, gone)
    moved["introduced-through links"] = int(
        conn.execute(
            update(people)
            .where(people.c.account_id == account_id, people.c.via_id == gone, people.c.id != keep)
            .values(via_id=keep)
        ).rowcount
        or 0
    )
    conn.execute(  # nobody is introduced through themselves
        update(people).where(people.c.id == keep, people.c.via_id == gone).values(via_id=None)
    )
    conn.execute(delete(sync_state).where(sync_state.c.person_id == gone))
    kept_facts.forget(conn, account_id, [gone])
    conn.execute(delete(people).where(people.c.account_id == account_id, people.c.id == gone))
    kept_facts.refresh(conn, account_id, [keep])
    return moved


def drop_intros_between(conn: Connection, account_id: int, a: int, b: int) -> tuple[int, int]:
    """Delete the introductions of `a` and `b` to each other, with the gifts they were.

    Once the two are one person such an intro means nothing, and its "introduced to ..."
    gifts would make them introduced to themselves. The gifts are found by the intro they
    name (`intro_id`; migration 0006 filled it in for gifts made before it existed), never
    by their text. Returns (intros, gifts) deleted.
    """
    between = conn.execute(
        select(intros.c.id).where(
            intros.c.account_id == account_id,
            or_(
                and_(intros.c.a_id == a, intros.c.b_id == b),
                and_(intros.c.a_id == b, intros.c.b_id == a),
            ),
        )
    ).all()
    if not between:
        return 0, 0
    ids = [row.id for row in between]
    linked = delete(exchanges).where(
        exchanges.c.account_id == account_id, exchanges.c.intro_id.in_(ids)
    )
    gifts = int(conn.execute(linked).rowcount or 0)
    conn.execute(delete(intros).where(intros.c.account_id == account_id, intros.c.id.in_(ids)))
    kept_facts.refresh(conn, account_id, [a, b])
    return len(ids), gifts


def _move_intros(conn: Connection, account_id: int, keep: int, gone: int) -> int:
    mine = intros.c.account_id == account_id
    moved = 0
    for column in ("a_id", "b_id"):
        result = conn.execute(
            update(intros).where(mine, intros.c[column] == gone).values({column: keep})
        )
        moved += int(result.rowcount or 0)
    return moved


def existing_source_keys(conn: Connection, account_id: int, keys: Collection[str]) -> set[str]:
    """Which capture keys are already logged, so a re-run adds nothing."""
    found: set[str] = set()
    for part in chunks(sorted(keys)):
        found.update(
            conn.execute(
                select(interactions.c.source_key).where(
                    interactions.c.account_id == account_id, interactions.c.source_key.in_(part)
                )
            ).scalars()
        )
    return found


def people_by_email(conn: Connection, account_id: int, emails: Collection[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for part in chunks(sorted(emails)):
        rows = conn.execute(
            select(person_emails.c.email, person_emails.c.person_id).where(
                person_emails.c.account_id == account_id, person_emails.c.email.in_(part)
            )
        )
        found.update({row.email: row.person_id for row in rows})
    return found


def set_vcard_uids(conn: Connection, account_id: int, uids: Mapping[int, str]) -> None:
    """Give people their stable vCard UID (first export or sync), in one executemany."""
    if uids:
        conn.execute(
            update(people)
            .where(people.c.account_id == account_id, people.c.id == bindparam("pid"))
            .values(vcard_uid=bindparam("uid")),
            [{"pid": pid, "uid": uid} for pid, uid in uids.items()],
        )


def vcard_uids(conn: Connection, account_id: int, ids: Collection[int]) -> dict[int, str]:
    """The stored vCard UIDs of these people (those without one are left out)."""
    found: dict[int, str] = {}
    for part in chunks(sorted(set(ids))):
        rows = conn.execute(
            select(people.c.id, people.c.vcard_uid).where(
                people.c.account_id == account_id,
                people.c.id.in_(part),
                people.c.vcard_uid.is_not(None),
            )
        )
        found.update({row.id: row.vcard_uid for row in rows})
    return found


SyncState = tuple[str, str, str]  # href, etag, card_hash


def sync_states(conn: Connection, account_id: int, collection: str) -> dict[int, SyncState]:
    """What the last sync with this address book saw, per person."""
    rows = conn.execute(
        select(sync_state).where(
            sync_state.c.account_id == account_id, sync_state.c.collection == collection
        )
    )
    return {row.person_id: (row.href, row.etag, row.card_hash) for row in rows}


def save_sync_states(
    conn: Connection, account_id: int, collection: str, states: Mapping[int, SyncState]
) -> None:
    """Replace the sync state of these people, in one DELETE and one INSERT per IN-list."""
    for part in chunks(sorted(states)):
        conn.execute(
            delete(sync_state).where(
                sync_state.c.account_id == account_id,
                sync_state.c.collection == collection,
                sync_state.c.person_id.in_(part),
            )
        )
        rows = [
            {"account_id": account_id, "person_id": pid, "collection": collection,
             "href": states[pid][0], "etag": states[pid][1], "card_hash": states[pid][2]}
            for pid in part
        ]  # fmt: skip
        conn.execute(insert(sync_state), rows)


def people_by_uid(conn: Connection, account_id: int, uids: Collection[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for part in chunks(sorted(uids)):
        rows = conn.execute(
            select(people.c.vcard_uid, people.c.id).where(
                people.c.account_id == account_id, people.c.vcard_uid.in_(part)
            )
        )
        found.update({row.vcard_uid: row.id for row in rows})
    return found
