"""`kith capture whatsapp|telegram FILE`: a chat export as interactions with known people.

The chat's people are matched to the garden by name, the way PERSON is resolved everywhere
(`core/names.py`): a full name, or a whole word of exactly one name. Anyone else is reported
as not in the garden and never planted. `core/chats.py` makes one interaction per person
per day; its `source_key` keeps a re-run (or a later, longer export) from adding anything.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from kith.app.capture import CaptureReport, bounded
from kith.app.errors import InvalidInput, KithError
from kith.app.garden import Garden
from kith.app.import_report import transaction
from kith.app.report_lines import LineError
from kith.app.sessions import naive_utc, utc_now
from kith.core.chats import Chat, ChatContact, chat_contacts, source_key, unknown_me
from kith.core.names import resolve_name
from kith.io.records import FormatError, RecordError
from kith.io.telegram import read_telegram
from kith.io.whatsapp import read_whatsapp
from kith.store import Connection, captures
from kith.store import people as people_store

SOURCES = ("whatsapp", "telegram")


def _read(source: str, path: Path) -> tuple[list[Chat], list[RecordError], str | None]:
    if not path.is_file():
        raise KithError(f"cannot read {path}: no such file")
    try:
        if source == "whatsapp":
            chat, errors = read_whatsapp(path)
            return [chat], errors, None
        export = read_telegram(path)
        return list(export.chats), list(export.errors), export.me_id
    except FormatError as error:
        raise KithError(f"{error}; nothing was captured") from None
    except OSError as error:
        raise KithError(f"cannot read {path}: {error.strerror}") from None


def _my_names(chat: Chat, me: Sequence[str]) -> list[str]:
    """Who I am in this chat; in a one-to-one chat named after the other, the other writer."""
    if not unknown_me(chat, me):
        return list(me)
    others = [s for s in chat.senders() if chat.title and s.casefold() != chat.title.casefold()]
    if not chat.is_group and chat.title and len(others) == 1:
        return others  # "WhatsApp Chat with Ana Lima": whoever is not Ana is me
    raise InvalidInput(
        "me",
        f"none of {', '.join(repr(m) for m in me)} wrote in {chat.title or 'the chat'};"
        f" its writers are {', '.join(chat.senders()[:10])}",
    )


def capture_chat(
    garden: Garden,
    source: str,
    path: Path,
    *,
    me: Sequence[str] = (),
    dry_run: bool = False,
) -> CaptureReport:
    """Log a chat export's interactions with the people of the garden it names."""
    if source not in SOURCES:
        raise InvalidInput("kind", f"{source!r} is not one of {', '.join(SOURCES)}")
    chats, errors, me_id = _read(source, path)
    report = CaptureReport(dry_run=dry_run)
    report.errors.extend(LineError(e.line, None, str(e)) for e in errors)
    with transaction(garden, dry_run) as conn:
        names = list(me) or [people_store.load_me(conn, garden.account_id).name]
        contacts: list[tuple[Chat, ChatContact]] = []
        for chat in chats:
            mine = [*names, me_id] if me_id else _my_names(chat, names)
            contacts.extend((chat, c) for c in chat_contacts(chat, mine))
        run = captures.start_run(conn, garden.account_id, f"{source}:{path}", naive_utc(utc_now()))
        report.run = None if dry_run else run
        _log(conn, (garden.account_id, run), source, contacts, report)
        captures.finish_run(conn, run, report.counts())
    return report


def people_by_name(conn: Connection, account_id: int, names: Iterable[str]) -> dict[str, int]:
    """The person each name resolves to, as PERSON resolves; names that do not are left out."""
    found = {}
    for name in names:
        candidates = people_store.name_candidates(conn, account_id, name)
        person_id = resolve_name(name, candidates).person_id if candidates else None
        if person_id is not None:
            found[name] = person_id
    return found


def _log(
    conn: Connection,
    account_run: tuple[int, int],
    source: str,
    contacts: Sequence[tuple[Chat, ChatContact]],
    report: CaptureReport,
) -> None:
    account_id, run = account_run
    owners = people_by_name(conn, account_id, {c.name for _, c in contacts})
    rows: dict[str, dict[str, Any]] = {}
    for chat, contact in contacts:
        person_id = owners.get(contact.name)
        if person_id is None:
            report.skipped_unknown += 1
            report.unknown.add(contact.name)
            continue
        rows.setdefault(
            bounded(source_key(source, chat, contact)),
            {
                "account_id": account_id,
                "person_id": person_id,
                "on": contact.on,
                "kind": contact.kind,
                "by": contact.by,
                "unanswered": contact.unanswered,
                "topics": [],
                "note": None,
            },
        )
    known = captures.existing_source_keys(conn, account_id, rows.keys())
    new = [{**row, "source_key": key} for key, row in rows.items() if key not in known]
    captures.add_interactions(conn, run, new)
    report.duplicates += len(rows) - len(new)
    report.logged += len(new)
    report.people.update(row["person_id"] for row in new)
