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

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from kith.app.errors import GardenNotEmpty, KithError
from kith.app.garden import Garden
from kith.app.import_report import ImportReport, transaction
from kith.core.wording import plural
from kith.io import backup_check
from kith.io.backup_check import Problem
from kith.store import Connection, kept_facts
from kith.store import backups as backup_store

FORMAT = 1


def _plain(value: object) -> object:
    return value.isoformat() if isinstance(value, date) else value


def dump(conn: Connection, account_id: int) -> dict[str, Any]:
    """The whole garden as one JSON-ready document (read in one transaction)."""
    stored = backup_store.read_garden(conn, account_id)
    refs = {row["id"]: number for number, row in enumerate(stored.people, start=1)}
    lists = stored.lists
    document: dict[str, Any] = {
        "kith_backup": FORMAT,
        "me": {"name": stored.me_name, **lists.get(None, backup_store.empty_lists())},
        "people": [
            {
                "ref": refs[row["id"]],
                **{c: _plain(row[c]) for c in backup_store.columns("people") if c != "via_id"},
                "via": refs.get(row["via_id"]),
                **lists.get(row["id"], backup_store.empty_lists()),
            }
            for row in stored.people
        ],
    }
    intro_refs: dict[int, int] = {}
    for section, person_columns in backup_store.HISTORY:
        found = stored.history[section]
        if section == "intros":
            intro_refs = {row["id"]: number for number, row in enumerate(found, start=1)}
        document[section] = [
            {
                c: refs[row[c]] if c in person_columns else _plain(row[c])
                for c in backup_store.columns(section)
            }
            | ({"intro_id": intro_refs.get(row["intro_id"])} if section == "exchanges" else {})
            for row in found
        ]
    return document


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
    empty, count = backup_store.is_empty(conn, account_id)
    if not empty:
        raise GardenNotEmpty(
            f"the garden is not empty ({plural(count, 'person', 'people')}): a backup restores"
            " into an empty garden only"
        )


def _section(document: dict[str, Any], name: str) -> list[dict[str, Any]]:
    rows = document.get(name, [])
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise TypeError(f"{name} is not a list of objects")
    return rows


def _load(conn: Connection, account_id: int, document: dict[str, Any]) -> dict[str, int]:
    me = document["me"]
    backup_store.set_me_name(conn, account_id, me["name"])
    listed = _section(document, "people")
    ids = backup_store.insert_people(conn, account_id, listed)
    by_ref = {int(item["ref"]): person_id for item, person_id in zip(listed, ids, strict=True)}
    backup_store.set_via(
        conn,
        [
            (by_ref[int(item["ref"])], by_ref[int(item["via"])])
            for item in listed
            if item.get("via") is not None
        ],
    )
    backup_store.insert_lists(conn, account_id, [(None, me), *zip(ids, listed, strict=True)])
    counts = {"people": len(ids)}
    intro_ids: list[int] = []
    for section, person_columns in backup_store.HISTORY:
        items = [
            {**item, **{c: by_ref[int(item[c])] for c in person_columns}}
            for item in _section(document, section)
        ]
        if section == "exchanges":
            for item in items:
                ref = item.get("intro_id")
                item["intro_id"] = intro_ids[int(ref) - 1] if ref else None
        made = backup_store.insert_history(conn, account_id, section, items)
        if section == "intros":
            intro_ids = made
        counts[section] = len(items)
    return counts
