"""People, their contact details and tags: writes and set-based reads."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping
from datetime import date

from sqlalchemy import (
    ColumnElement,
    Connection,
    Row,
    Table,
    case,
    delete,
    func,
    insert,
    or_,
    select,
    update,
)

from kith.core.duplicates import Existing
from kith.core.identity import name_key, phone_key, url_key
from kith.core.model import Me, Person, PersonDraft, PersonState, TagKind
from kith.core.names import Candidate
from kith.store.sql_lists import one_of
from kith.store.tables import (
    accounts,
    people,
    person_emails,
    person_links,
    person_phones,
    tags,
)


def find_account(conn: Connection, name: str) -> int | None:
    found = conn.execute(select(accounts.c.id).where(accounts.c.name == name)).scalar()
    return None if found is None else int(found)


def ensure_account(conn: Connection, name: str) -> int:
    found = find_account(conn, name)
    if found is not None:
        return found
    return int(
        conn.execute(insert(accounts).values(name=name).returning(accounts.c.id)).scalar_one()
    )


def insert_person(
    conn: Connection, account_id: int, new: PersonDraft, *, created_on: date, source: str = "cli"
) -> int:
    """Plant a drafted person with all their details; their new id."""
    person_id = conn.execute(
        insert(people)
        .values(
            account_id=account_id,
            name=new.name,
            name_key=name_key(new.name),
            company=new.company,
            title=new.title,
            met_where=new.met_where,
            met_on=new.met_on,
            via_id=new.via_id,
            note=new.note,
            cadence_days=new.cadence_days,
            created_on=created_on,
            source=source,
            vcard_uid=new.uid,
            birthday=new.birthday,
            consent_share=new.consent_share,
        )
        .returning(people.c.id)
    ).scalar_one()
    add_emails(conn, account_id, person_id, new.emails)
    add_phones(conn, account_id, person_id, new.phones)
    add_links(conn, account_id, person_id, new.links)
    for kind, values in (
        (TagKind.INTEREST, new.interests),
        (TagKind.NEED, new.needs),
        (TagKind.OFFER, new.offers),
    ):
        add_tags(conn, account_id, person_id, kind, values)
    return int(person_id)


def add_emails(conn: Connection, account_id: int, person_id: int, emails: Iterable[str]) -> None:
    rows = [{"account_id": account_id, "person_id": person_id, "email": e} for e in emails]
    if rows:
        conn.execute(insert(person_emails), rows)


def add_phones(conn: Connection, account_id: int, person_id: int, phones: Iterable[str]) -> None:
    """Add the phones this person does not have yet (the same number written otherwise too)."""
    fresh = _new_by_key(
        conn, person_phones.c.phone_key, account_id, person_id, {p: phone_key(p) for p in phones}
    )
    rows = [
        {"account_id": account_id, "person_id": person_id, "phone": p, "phone_key": k}
        for p, k in fresh.items()
    ]
    if rows:
        conn.execute(insert(person_phones), rows)


def add_links(conn: Connection, account_id: int, person_id: int, links: Iterable[str]) -> None:
    """Add the links this person does not have yet (by their normalised key)."""
    keyed = {u: url_key(u) for u in links}
    fresh = _new_by_key(conn, person_links.c.url_key, account_id, person_id, keyed)
    rows = [
        {"account_id": account_id, "person_id": person_id, "url": u, "url_key": k}
        for u, k in fresh.items()
    ]
    if rows:
        conn.execute(insert(person_links), rows)


def remove_contacts(
    conn: Connection, account_id: int, person_id: int, kind: str, values: Iterable[str]
) -> int:
    """Remove some of a person's emails, phones or links (`kind`), matched as they are
    compared elsewhere (an email lower-cased, a phone or a link by its key); the count of
    values that matched one."""
    keyed: dict[str, tuple[Table, ColumnElement[str], Callable[[str], str]]] = {
        "email": (person_emails, person_emails.c.email, str.lower),
        "phone": (person_phones, person_phones.c.phone_key, phone_key),
        "link": (person_links, person_links.c.url_key, url_key),
    }
    table, column, key = keyed[kind]
    keys = {key(v.strip()) for v in values}
    if not keys:
        return 0
    mine = table.c.account_id == account_id, table.c.person_id == person_id
    held = set(conn.execute(select(column).where(*mine, column.in_(keys))).scalars())
    if held:
        conn.execute(delete(table).where(*mine, column.in_(held)))
    return len(held)


def _new_by_key(
    conn: Connection,
    key_column: ColumnElement[str],
    account_id: int,
    person_id: int,
    keyed: dict[str, str],
) -> dict[str, str]:
    """The values whose key the person does not have yet, each key once."""
    if not keyed:
        return {}
    table = key_column.table
    mine = (table.c.account_id == account_id, table.c.person_id == person_id)  # one shard
    seen = set(conn.execute(select(key_column).where(*mine)).scalars())
    fresh: dict[str, str] = {}
    for value, key in keyed.items():
        if key not in seen:
            seen.add(key)
            fresh[value] = key
    return fresh


def add_tags(
    conn: Connection, account_id: int, person_id: int | None, kind: TagKind, values: Iterable[str]
) -> None:
    existing = {name_key(v) for v in tag_values(conn, account_id, person_id, kind)}
    rows = []
    for value in values:
        if name_key(value) not in existing:
            existing.add(name_key(value))
            rows.append(
                {"account_id": account_id, "person_id": person_id, "kind": kind, "value": value}
            )
    if rows:
        conn.execute(insert(tags), rows)


def remove_tags(
    conn: Connection, account_id: int, person_id: int | None, kind: TagKind, values: Iterable[str]
) -> int:
    keys = {name_key(v) for v in values}
    ids = [
        row.id
        for row in conn.execute(_tag_query(account_id, person_id, kind))
        if name_key(row.value) in keys
    ]
    if ids:
        conn.execute(delete(tags).where(tags.c.account_id == account_id, tags.c.id.in_(ids)))
    return len(ids)


def tag_values(
    conn: Connection, account_id: int, person_id: int | None, kind: TagKind
) -> list[str]:
    return [row.value for row in conn.execute(_tag_query(account_id, person_id, kind))]


def _tag_query(account_id: int, person_id: int | None, kind: TagKind):  # type: ignore[no-untyped-def]
    owner = tags.c.person_id.is_(None) if person_id is None else tags.c.person_id == person_id
    return (
        select(tags.c.id, tags.c.value)
        .where(tags.c.account_id == account_id, tags.c.kind == kind, owner)
        .order_by(tags.c.id)
    )


def update_person(
    conn: Connection, account_id: int, person_id: int, values: Mapping[str, object]
) -> None:
    if values:
        conn.execute(
            update(people)
            .where(people.c.account_id == account_id, people.c.id == person_id)
            .values(**values)
        )


def set_me_name(conn: Connection, account_id: int, name: str) -> None:
    """The name the garden's owner goes by."""
    conn.execute(update(accounts).where(accounts.c.id == account_id).values(me_name=name))


def load_me(conn: Connection, account_id: int) -> Me:
    me_name = conn.execute(
        select(accounts.c.me_name).where(accounts.c.id == account_id)
    ).scalar_one()
    return Me(
        name=me_name,
        interests=tuple(tag_values(conn, account_id, None, TagKind.INTEREST)),
        needs=tuple(tag_values(conn, account_id, None, TagKind.NEED)),
        offers=tuple(tag_values(conn, account_id, None, TagKind.OFFER)),
    )


def load_people(
    conn: Connection,
    account_id: int,
    ids: Collection[int] | None = None,
    states: Collection[PersonState] | None = None,
) -> list[Person]:
    """People with their details and tags, in five queries whatever their number."""
    query = (
        select(people)
        .where(people.c.account_id == account_id)
        .order_by(people.c.name_key, people.c.id)
    )
    if ids is not None:
        query = query.where(people.c.id.in_(list(ids)))
    if states is not None:
        query = query.where(people.c.state.in_([str(s) for s in states]))
    rows = conn.execute(query).all()
    if not rows:
        return []
    wanted = [row.id for row in rows] if ids is not None else None
    emails = _grouped(conn, person_emails.c.email, person_emails, account_id, wanted)
    phones = _grouped(conn, person_phones.c.phone, person_phones, account_id, wanted)
    links = _grouped(conn, person_links.c.url, person_links, account_id, wanted)
    person_tags = _grouped_tags(conn, account_id, wanted)
    return [_person(row, emails, phones, links, person_tags) for row in rows]


def _grouped(
    conn: Connection,
    column: ColumnElement[str],
    table: Table,
    account_id: int,
    wanted: list[int] | None,
) -> dict[int, list[str]]:
    query = (
        select(table.c.person_id, column)
        .where(table.c.account_id == account_id)
        .order_by(table.c.id)
    )
    if wanted is not None:
        query = query.where(table.c.person_id.in_(wanted))
    grouped: dict[int, list[str]] = defaultdict(list)
    for person_id, value in conn.execute(query):
        grouped[person_id].append(value)
    return grouped


def _grouped_tags(
    conn: Connection, account_id: int, wanted: list[int] | None
) -> dict[tuple[int, str], list[str]]:
    query = (
        select(tags.c.person_id, tags.c.kind, tags.c.value)
        .where(tags.c.account_id == account_id, tags.c.person_id.is_not(None))
        .order_by(tags.c.id)
    )
    if wanted is not None:
        query = query.where(tags.c.person_id.in_(wanted))
    grouped: dict[tuple[int, str], list[str]] = defaultdict(list)
    for person_id, kind, value in conn.execute(query):
        grouped[(person_id, kind)].append(value)
    return grouped


def _person(row: Row, emails, phones, links, person_tags) -> Person:  # type: ignore[no-untyped-def, type-arg]
    return Person(
        id=row.id,
        name=row.name,
        emails=tuple(emails.get(row.id, ())),
        phones=tuple(phones.get(row.id, ())),
        links=tuple(links.get(row.id, ())),
        company=row.company,
        title=row.title,
        met_where=row.met_where,
        met_on=row.met_on,
        via_id=row.via_id,
        interests=tuple(person_tags.get((row.id, TagKind.INTEREST), ())),
        needs=tuple(person_tags.get((row.id, TagKind.NEED), ())),
        offers=tuple(person_tags.get((row.id, TagKind.OFFER), ())),
        note=row.note,
        cadence_days=row.cadence_days,
        state=PersonState(row.state),
        pruned_reason=row.pruned_reason,
        consent_share=bool(row.consent_share),
        created_on=row.created_on,
        birthday=row.birthday,
        uid=row.vcard_uid,
    )


def find_by_email(conn: Connection, account_id: int, email: str) -> int | None:
    found = conn.execute(
        select(person_emails.c.person_id).where(
            person_emails.c.account_id == account_id, person_emails.c.email == email
        )
    ).scalar()
    return None if found is None else int(found)


def find_by_id(conn: Connection, account_id: int, person_id: int) -> int | None:
    found = conn.execute(
        select(people.c.id).where(people.c.account_id == account_id, people.c.id == person_id)
    ).scalar()
    return None if found is None else int(found)


def name_candidates(conn: Connection, account_id: int, reference: str) -> list[Candidate]:
    """People named exactly `reference`, then others whose name contains all its words (the
    core picks among them); the exact ones are never crowded out by the cap on the others."""
    key = name_key(reference)
    words = key.split()
    if not words:
        return []
    base = select(people.c.id, people.c.name).where(people.c.account_id == account_id)
    exact = conn.execute(base.where(people.c.name_key == key).order_by(people.c.id)).all()
    query = base.where(people.c.name_key != key)
    for word in words:
        query = query.where(people.c.name_key.like(f"%{_escaped(word)}%", escape="\\"))
    others = conn.execute(query.order_by(_word_rank(words[0]), people.c.name_key).limit(50)).all()
    return [Candidate(row.id, row.name) for row in [*exact, *others]]


def _escaped(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _word_rank(word: str) -> ColumnElement[int]:
    """0 when `word` is a whole word of the name, 1 when a word starts with it, else 2: so
    the cap on candidates never drops the names the resolution rules look for first."""
    w = _escaped(word)
    key = people.c.name_key
    whole = or_(
        key == word,
        key.like(f"{w} %", escape="\\"),
        key.like(f"% {w}", escape="\\"),
        key.like(f"% {w} %", escape="\\"),
    )
    start = or_(key.like(f"{w}%", escape="\\"), key.like(f"% {w}%", escape="\\"))
    return case((whole, 0), (start, 1), else_=2)


def all_names(conn: Connection, account_id: int) -> list[Candidate]:
    """Everyone's id and name (pruned too), for suggestions when a reference named nobody."""
    rows = conn.execute(
        select(people.c.id, people.c.name)
        .where(people.c.account_id == account_id)
        .order_by(people.c.id)
    )
    return [Candidate(row.id, row.name) for row in rows]


def namesakes_and_email_owners(
    conn: Connection, account_id: int, name: str | None, emails: Collection[str]
) -> list[Existing]:
    """People named `name` (by name key; None: nobody by name) or holding one of `emails`,
    each with all their emails."""
    owners = select(person_emails.c.person_id).where(
        person_emails.c.account_id == account_id, person_emails.c.email.in_(list(emails))
    )
    same_name = [people.c.name_key == name_key(name)] if name is not None else []
    rows = conn.execute(
        select(people.c.id, people.c.name, people.c.state)
        .where(people.c.account_id == account_id, or_(people.c.id.in_(owners), *same_name))
        .order_by(people.c.id)
    ).all()
    if not rows:
        return []
    found = _grouped(conn, person_emails.c.email, person_emails, account_id, [r.id for r in rows])
    return [
        Existing(
            row.id,
            row.name,
            tuple(found.get(row.id, ())),
            PersonState(row.state) is PersonState.PRUNED,
        )
        for row in rows
    ]


def count_people(conn: Connection, account_id: int) -> int:
    return int(
        conn.execute(
            select(func.count()).select_from(people).where(people.c.account_id == account_id)
        ).scalar_one()
    )


def load_people_to_judge(
    conn: Connection,
    account_id: int,
    states: Collection[PersonState] | None = None,
    ids: Collection[int] | None = None,
) -> list[Person]:
    """People as `load_people` orders them, with only what judging and ranking read: no
    contact details, tags or note (load those with `load_people` for the few shown).

    With `ids`, only those people (by the primary key, however many)."""
    query = (
        select(
            people.c.id,
            people.c.name,
            people.c.met_on,
            people.c.met_where,
            people.c.cadence_days,
            people.c.state,
            people.c.pruned_reason,
            people.c.created_on,
            people.c.birthday,
        )
        .where(people.c.account_id == account_id)
        .order_by(people.c.name_key, people.c.id)
    )
    if states is not None:
        query = query.where(people.c.state.in_([str(s) for s in states]))
    if ids is not None:
        query = query.where(one_of(conn, people.c.id, sorted(ids)))
    state_of = {str(s): s for s in PersonState}
    return [
        Person(
            id=pid,
            name=name,
            met_on=met_on,
            met_where=met_where,
            cadence_days=cadence,
            state=state_of[state],
            pruned_reason=pruned_reason,
            created_on=created_on,
            birthday=birthday,
        )
        for pid, name, met_on, met_where, cadence, state, pruned_reason, created_on, birthday in (
            conn.execute(query)
        )
    ]
