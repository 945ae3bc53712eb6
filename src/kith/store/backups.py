"""The rows of a whole garden, column by column, for the JSON backup and its restore.

A backup names every column of every table it holds, so that nothing is left behind when a
column is added: a row here is a mapping from column name to value, by design. Rows keep
their database ids (and the ids they point at); `kith.app.backup` turns those into the
backup's `ref` numbers and back.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, Date, Table, bindparam, func, insert, select, update

from kith.core.dedup import phone_of
from kith.core.identity import email_key, name_key, url_key
from kith.store.bulk import LIST_NAMES, TAG_LISTS
from kith.store.tables import (
    PERSON_HISTORY,
    accounts,
    interactions,
    intros,
    people,
    person_emails,
    person_links,
    person_phones,
    tags,
)

Row = dict[str, Any]  # column name -> value; the backup is column by column

# The history sections of a backup, in the order they are written and restored, each with
# the columns that name a person. Intros come before exchanges: a made intro's gifts name
# it (`intro_id`).
HISTORY: tuple[tuple[str, tuple[str, ...]], ...] = tuple(
    (table.name, ("a_id", "b_id") if table is intros else ("person_id",))
    for table in (PERSON_HISTORY[0], intros, *PERSON_HISTORY[1:])
)
_TABLES = {table.name: table for table in (intros, *PERSON_HISTORY)}
# Rebuilt on restore, never stored. The capture log stays out of a JSON backup: restored
# history is no capture run's, so `kith capture undo` cannot remove it.
_DERIVED = {"id", "account_id", "name_key", "capture_run_id"}
_DETAILS = (("emails", person_emails, "email"), ("phones", person_phones, "phone"),
            ("links", person_links, "url"))  # fmt: skip
_TAG_LISTS = {kind.value: name for kind, name in TAG_LISTS.items()}  # as the rows spell kinds


def columns(section: str) -> list[str]:
    """The columns a backup holds of a table (`people` or a history section), in order."""
    return _columns(people if section == "people" else _TABLES[section])


def _columns(table: Table) -> list[str]:
    return [c.name for c in table.columns if c.name not in _DERIVED]


@dataclass(frozen=True)
class GardenRows:
    """Every row a backup holds, read in one transaction; rows carry their `id`."""

    me_name: str
    people: list[Row]  # by id
    lists: dict[int | None, dict[str, list[str]]]  # person id (None: me) -> list name -> values
    history: dict[str, list[Row]]  # section -> rows by id


def read_garden(conn: Connection, account_id: int) -> GardenRows:
    """The whole garden, table by table, each in the order its rows were made."""
    me_name = conn.execute(select(accounts.c.me_name).where(accounts.c.id == account_id))
    return GardenRows(
        me_name=str(me_name.scalar_one()),
        people=_rows(conn, people, account_id),
        lists=_person_lists(conn, account_id),
        history={name: _rows(conn, _TABLES[name], account_id) for name, _ in HISTORY},
    )


def _rows(conn: Connection, table: Table, account_id: int) -> list[Row]:
    query = select(table).where(table.c.account_id == account_id).order_by(table.c.id)
    return [dict(row._mapping) for row in conn.execute(query)]


def empty_lists() -> dict[str, list[str]]:
    """A person's lists (emails, phones, links, tags by kind) when they have none."""
    return {name: [] for name in LIST_NAMES}


def _person_lists(conn: Connection, account_id: int) -> dict[int | None, dict[str, list[str]]]:
    lists: dict[int | None, dict[str, list[str]]] = {}
    for name, table, column in _DETAILS:
        query = select(table.c.person_id, table.c[column]).where(table.c.account_id == account_id)
        for person_id, value in conn.execute(query.order_by(table.c.id)):
            lists.setdefault(person_id, empty_lists())[name].append(value)
    query = select(tags.c.person_id, tags.c.kind, tags.c.value).where(
        tags.c.account_id == account_id
    )
    for row in conn.execute(query.order_by(tags.c.id)):
        lists.setdefault(row.person_id, empty_lists())[_TAG_LISTS[row.kind]].append(row.value)
    return lists


def is_empty(conn: Connection, account_id: int) -> tuple[bool, int]:
    """Whether the garden holds nobody and no tags of mine; and how many people it holds."""
    count = _count(conn, people, account_id)
    return count == 0 and _count(conn, tags, account_id) == 0, count


def _count(conn: Connection, table: Table, account_id: int) -> int:
    query = select(func.count()).select_from(table).where(table.c.account_id == account_id)
    return int(conn.execute(query).scalar_one())


def set_me_name(conn: Connection, account_id: int, name: str) -> None:
    """Name me in this garden."""
    conn.execute(update(accounts).where(accounts.c.id == account_id).values(me_name=name))


def _parsed(table: Table, item: Row, fixed: Row) -> Row:
    """A table row from a backup object: its columns, dates parsed, `fixed` on top."""
    dated = {c.name for c in table.columns if isinstance(c.type, Date)}
    values = {
        c: date.fromisoformat(item[c]) if c in dated and item.get(c) else item.get(c)
        for c in _columns(table)
    }
    if table is interactions and values["topics"] is None:
        values["topics"] = []  # a backup may leave out an interaction without topics
    return {**values, **fixed}


def insert_people(conn: Connection, account_id: int, items: Sequence[Row]) -> list[int]:
    """Insert people from backup objects (no one introduced yet); their ids, in order."""
    rows = [
        _parsed(people, item, {"account_id": account_id, "via_id": None,
                               "name_key": name_key(item["name"])})
        for item in items
    ]  # fmt: skip
    return _insert_returning(conn, people, rows)


def _insert_returning(conn: Connection, table: Table, rows: list[Row]) -> list[int]:
    if not rows:
        return []
    statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    return [int(i) for i in conn.execute(statement, rows).scalars()]


def set_via(conn: Connection, pairs: Sequence[tuple[int, int]]) -> None:
    """Record who introduced whom: (person id, introduced-through id) pairs."""
    if pairs:
        conn.execute(
            update(people).where(people.c.id == bindparam("pid")).values(via_id=bindparam("via")),
            [{"pid": pid, "via": via} for pid, via in pairs],
        )


def insert_lists(
    conn: Connection, account_id: int, owners: Iterable[tuple[int | None, Row]]
) -> None:
    """Emails, phones, links and tags of each person (and my tags, owner None)."""
    rows: dict[str, list[Row]] = {"emails": [], "phones": [], "links": [], "tags": []}
    for owner, item in owners:
        base = {"account_id": account_id, "person_id": owner}
        if owner is not None:
            rows["emails"] += [{**base, "email": email_key(v)} for v in item.get("emails") or []]
            rows["phones"] += [
                {**base, "phone": v, "phone_key": phone_of(v) or v}
                for v in item.get("phones") or []
            ]
            rows["links"] += [
                {**base, "url": v, "url_key": url_key(v)} for v in item.get("links") or []
            ]
        for kind, name in _TAG_LISTS.items():
            rows["tags"] += [{**base, "kind": kind, "value": v} for v in item.get(name) or []]
    for name, table in (
        ("emails", person_emails),
        ("phones", person_phones),
        ("links", person_links),
        ("tags", tags),
    ):
        if rows[name]:
            conn.execute(insert(table), rows[name])


def insert_history(
    conn: Connection, account_id: int, section: str, items: Sequence[Row]
) -> list[int]:
    """Insert one section's rows from backup objects whose people (and intro) are ids.

    Returns the new ids of intros, in order (the other sections' are not needed).
    """
    table = _TABLES[section]
    rows = [_parsed(table, item, {"account_id": account_id}) for item in items]
    if table is intros:
        return _insert_returning(conn, intros, rows)
    if rows:
        conn.execute(insert(table), rows)
    return []
