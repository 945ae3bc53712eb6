"""The JSON backup of a whole garden (`kith export json`) and its restore (`kith import json`).

The document holds me and my tags, every person with their details and tags, and every
row of history, column by column, so nothing is left behind when a column is added. Rows
point at people by `ref` (1, 2, ... in the order people were created), not by database id,
so backup → restore → backup gives the same document on any database.

Restore goes into an empty garden only: merging two histories row by row would guess at
which interaction is which. To combine gardens, restore into a new one (`--db` or
`KITH_ACCOUNT`) and `kith import` contacts from an export instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Date, Table, bindparam, insert, select, update

from kith.app.errors import GardenNotEmpty, KithError
from kith.app.garden import Garden
from kith.app.import_report import ImportReport, transaction
from kith.core.dedup import phone_of
from kith.core.identity import email_key, name_key, url_key
from kith.core.wording import plural
from kith.io import backup_check
from kith.io.backup_check import Problem
from kith.store import history as history_store
from kith.store import kept_facts
from kith.store.tables import (
    accounts,
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
    tags,
    their_asks,
)

FORMAT = 1
# History tables and their columns that name a person (written as refs).
# Intros come before exchanges: a made intro's gifts name it (intro_id, written as its
# position in the intros list).
HISTORY: tuple[tuple[str, Table, tuple[str, ...]], ...] = (
    ("interactions", interactions, ("person_id",)),
    ("intros", intros, ("a_id", "b_id")),
    ("exchanges", exchanges, ("person_id",)),
    ("asks", asks, ("person_id",)),
    ("breaches", breaches, ("person_id",)),
    ("their_asks", their_asks, ("person_id",)),
    ("snoozes", snoozes, ("person_id",)),
)
# Rebuilt on restore, never stored. The capture log stays out of a JSON backup: restored
# history is no capture run's, so `kith capture undo` cannot remove it.
_DERIVED = {"id", "account_id", "name_key", "capture_run_id"}
_DETAILS = (("emails", person_emails, "email"), ("phones", person_phones, "phone"),
            ("links", person_links, "url"))  # fmt: skip
_TAG_KINDS = {"interest": "interests", "need": "needs", "offer": "offers"}


def _plain(value: object) -> object:
    return value.isoformat() if isinstance(value, date) else value


def _columns(table: Table) -> list[str]:
    return [c.name for c in table.columns if c.name not in _DERIVED]


def dump(conn: Connection, account_id: int) -> dict[str, Any]:
    """The whole garden as one JSON-ready document (read in one transaction)."""
    rows = conn.execute(
        select(people).where(people.c.account_id == account_id).order_by(people.c.id)
    ).all()
    refs = {row.id: number for number, row in enumerate(rows, start=1)}
    lists = _person_lists(conn, account_id)
    me_name = conn.execute(select(accounts.c.me_name).where(accounts.c.id == account_id))
    document: dict[str, Any] = {
        "kith_backup": FORMAT,
        "me": {"name": me_name.scalar_one(), **lists.get(None, _empty_lists())},
        "people": [
            {
                "ref": refs[row.id],
                **{c: _plain(getattr(row, c)) for c in _columns(people) if c != "via_id"},
                "via": refs.get(row.via_id),
                **lists.get(row.id, _empty_lists()),
            }
            for row in rows
        ],
    }
    intro_refs: dict[int, int] = {}
    for section, table, person_columns in HISTORY:
        found = conn.execute(
            select(table).where(table.c.account_id == account_id).order_by(table.c.id)
        ).all()
        if table is intros:
            intro_refs = {row.id: number for number, row in enumerate(found, start=1)}
        document[section] = [
            {
                c: refs[getattr(row, c)] if c in person_columns else _plain(getattr(row, c))
                for c in _columns(table)
            }
            | ({"intro_id": intro_refs.get(row.intro_id)} if table is exchanges else {})
            for row in found
        ]
    return document


def _empty_lists() -> dict[str, list[str]]:
    return {name: [] for name in ("emails", "phones", "links", "interests", "needs", "offers")}


def _person_lists(conn: Connection, account_id: int) -> dict[int | None, dict[str, list[str]]]:
    lists: dict[int | None, dict[str, list[str]]] = {}
    for name, table, column in _DETAILS:
        query = select(table.c.person_id, table.c[column]).where(table.c.account_id == account_id)
        for person_id, value in conn.execute(query.order_by(table.c.id)):
            lists.setdefault(person_id, _empty_lists())[name].append(value)
    query = select(tags.c.person_id, tags.c.kind, tags.c.value).where(
        tags.c.account_id == account_id
    )
    for row in conn.execute(query.order_by(tags.c.id)):
        lists.setdefault(row.person_id, _empty_lists())[_TAG_KINDS[row.kind]].append(row.value)
    return lists


def restore(garden: Garden, path: Path, *, dry_run: bool = False) -> ImportReport:
    """Restore a backup into this garden, which must be empty.

    The whole file is read and checked before the transaction starts: a bad value anywhere
    refuses it, naming every bad value by its path, and nothing is written.
    """
    document = read_checked(path, garden.today)
    report = ImportReport(dry_run=dry_run)
    with transaction(garden, dry_run) as conn:
        _refuse_non_empty(conn, garden.account_id)
        report.restored = _load(conn, garden.account_id, document)
        kept_facts.rebuild(conn, garden.account_id, garden.rules)
    report.added = report.restored["people"]
    return report


SHOWN_PROBLEMS = 20  # in the one-line error; the exception carries them all


class BackupRefused(KithError):
    """A backup with bad values; `problems` lists every one by its path."""

    def __init__(self, name: str, problems: Sequence[Problem]) -> None:
        shown = "; ".join(str(p) for p in problems[:SHOWN_PROBLEMS])
        more = len(problems) - SHOWN_PROBLEMS
        tail = f"; and {more} more" if more > 0 else ""
        count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
        super().__init__(
            f"{name}: not a valid kith backup ({count}, nothing restored): {shown}{tail}"
        )
        self.problems = list(problems)


def read_checked(path: Path, today: date) -> dict[str, Any]:
    """The backup at `path`, parsed and checked whole; refused with every problem named."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise KithError(f"cannot read {path}: {error.strerror}") from None
    except UnicodeDecodeError as error:
        raise KithError(f"{path.name}: not a kith backup (not UTF-8: {error})") from None
    try:
        document = backup_check.parse(text)
    except backup_check.BackupSyntax as error:
        raise KithError(f"{path.name}: not a kith backup ({error})") from None
    if not isinstance(document, dict) or document.get("kith_backup") != FORMAT:
        raise KithError(f'{path.name}: not a kith backup (no "kith_backup": {FORMAT})')
    problems = backup_check.check(document, today)
    if problems:
        raise BackupRefused(path.name, problems)
    return document


def _refuse_non_empty(conn: Connection, account_id: int) -> None:
    count = history_store.count_rows(conn, people, account_id)
    mine = history_store.count_rows(conn, tags, account_id)
    if count or mine:
        raise GardenNotEmpty(
            f"the garden is not empty ({plural(count, 'person', 'people')}): a backup restores"
            " into an empty garden only"
        )


def _section(document: dict[str, Any], name: str) -> list[dict[str, Any]]:
    rows = document.get(name, [])
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise TypeError(f"{name} is not a list of objects")
    return rows


def _dates(table: Table) -> set[str]:
    return {c.name for c in table.columns if isinstance(c.type, Date)}


def _row(table: Table, item: dict[str, Any], fixed: dict[str, Any]) -> dict[str, Any]:
    """A table row from a backup object: its columns, dates parsed, `fixed` on top."""
    dated = _dates(table)
    values = {
        c: date.fromisoformat(item[c]) if c in dated and item.get(c) else item.get(c)
        for c in _columns(table)
    }
    if table is interactions and values["topics"] is None:
        values["topics"] = []  # a backup may leave out an interaction without topics
    return {**values, **fixed}


def _load(conn: Connection, account_id: int, document: dict[str, Any]) -> dict[str, int]:
    me = document["me"]
    conn.execute(update(accounts).where(accounts.c.id == account_id).values(me_name=me["name"]))
    listed = _section(document, "people")
    rows = [
        _row(people, item, {"account_id": account_id, "via_id": None,
                            "name_key": name_key(item["name"])})
        for item in listed
    ]  # fmt: skip
    ids: list[int] = []
    if rows:
        statement = insert(people).returning(people.c.id, sort_by_parameter_order=True)
        ids = [int(i) for i in conn.execute(statement, rows).scalars()]
    by_ref = {int(item["ref"]): person_id for item, person_id in zip(listed, ids, strict=True)}
    _set_via(conn, listed, by_ref)
    _insert_lists(conn, account_id, [(None, me), *zip(ids, listed, strict=True)])
    counts = {"people": len(ids)}
    intro_ids: list[int] = []
    for section, table, person_columns in HISTORY:
        items = _section(document, section)
        history_rows = [
            _row(table, item, {"account_id": account_id,
                               **{c: by_ref[int(item[c])] for c in person_columns}})
            for item in items
        ]  # fmt: skip
        if table is exchanges:
            for row in history_rows:
                row["intro_id"] = intro_ids[int(row["intro_id"]) - 1] if row["intro_id"] else None
        if table is intros and history_rows:
            statement = insert(intros).returning(intros.c.id, sort_by_parameter_order=True)
            intro_ids = [int(i) for i in conn.execute(statement, history_rows).scalars()]
        elif history_rows:
            conn.execute(insert(table), history_rows)
        counts[section] = len(history_rows)
    return counts


def _set_via(conn: Connection, listed: Sequence[dict[str, Any]], by_ref: dict[int, int]) -> None:
    pairs = [
        {"pid": by_ref[int(item["ref"])], "via": by_ref[int(item["via"])]}
        for item in listed
        if item.get("via") is not None
    ]
    if pairs:
        conn.execute(
            update(people).where(people.c.id == bindparam("pid")).values(via_id=bindparam("via")),
            pairs,
        )


def _insert_lists(
    conn: Connection, account_id: int, owners: Iterable[tuple[int | None, dict[str, Any]]]
) -> None:
    """Emails, phones, links and tags of each person (and my tags, owner None)."""
    rows: dict[str, list[dict[str, Any]]] = {"emails": [], "phones": [], "links": [], "tags": []}
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
        for kind, name in _TAG_KINDS.items():
            rows["tags"] += [{**base, "kind": kind, "value": v} for v in item.get(name) or []]
    for name, table in (
        ("emails", person_emails),
        ("phones", person_phones),
        ("links", person_links),
        ("tags", tags),
    ):
        if rows[name]:
            conn.execute(insert(table), rows[name])
