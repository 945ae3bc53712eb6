"""`kith import linkedin EXPORT.zip`: the whole LinkedIn data export, as one capture run.

Connections go through the ordinary LinkedIn import (dedup and merging included). Then, in
the same transaction and recorded as a capture run (so `kith capture undo RUN` removes it):
messages become one interaction per person per day (`core/chats.py`), recommendations and
endorsements become help given and received. Invitations fill in how we met ("LinkedIn
invitation", on its date) for people with no how-we-met or only the connection's "LinkedIn";
undo leaves that in place.
People are matched by name as PERSON is; anyone else is reported as unknown, never planted.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from kith.app.capture import bounded
from kith.app.chat_capture import people_by_name
from kith.app.errors import KithError
from kith.app.garden import Garden
from kith.app.import_report import ImportReport, ImportView, transaction
from kith.app.importing import Run, entries_of
from kith.app.report_lines import LineError
from kith.app.sessions import naive_utc, utc_now
from kith.core.chats import chat_contacts, source_key
from kith.io.linkedin_export import LinkedInExport, read_linkedin_export
from kith.io.records import FormatError
from kith.store import Connection, captures

MET_WHERE = "LinkedIn invitation"
CONNECTED = "LinkedIn"  # what a connection alone says (io/linkedin.py): an invitation is more


@dataclass(frozen=True)
class LinkedInCounts:
    """What the capture part of a LinkedIn export logged and filled."""

    logged: int  # message days and help, together
    messages: int
    message_duplicates: int
    help: int
    met: int  # people whose "how we met" the invitations told
    unknown: tuple[str, ...]  # names in the export nobody in the garden has


@dataclass(frozen=True)
class LinkedInImportView(ImportView):
    """What `kith import linkedin EXPORT.zip` presents: the import and the capture's counts."""

    logged: int
    messages: int
    message_duplicates: int
    help: int
    met: int
    unknown: tuple[str, ...]
    run: int | None  # the capture run (`kith capture undo RUN`); none on a dry run


def import_export(garden: Garden, path: Path, *, dry_run: bool = False) -> LinkedInImportView:
    """Import a LinkedIn export zip; the report of the import with the capture's counts."""
    try:
        export = read_linkedin_export(path)
    except FormatError as error:
        raise KithError(f"{error}; nothing was imported") from None
    report = ImportReport(dry_run=dry_run)
    report.errors += [LineError(bad.line, bad.field, f"{file}: {bad.message}")
                      for file, bad in export.errors]  # fmt: skip
    with transaction(garden, dry_run) as conn:
        Run(conn, garden, report, "linkedin", False, path.name).batch(
            entries_of(export.connections)
        )
        run = captures.start_run(conn, garden.account_id, f"linkedin:{path}", naive_utc(utc_now()))
        counts = _capture(conn, garden, run, export)
        captures.finish_run(conn, run, asdict(counts))
    return LinkedInImportView(
        **vars(ImportView.of(report)), **vars(counts), run=None if dry_run else run
    )


def _capture(conn: Connection, garden: Garden, run: int, export: LinkedInExport) -> LinkedInCounts:
    account_id = garden.account_id
    chats = export.chats() if export.me() else []
    contacts = [(chat, c) for chat in chats for c in chat_contacts(chat, export.me())]
    names = {c.name for _, c in contacts} | {h.name for h in export.help}
    names |= {i.name for i in export.invitations}
    owners = people_by_name(conn, account_id, names)
    rows: dict[str, dict[str, Any]] = {}
    for chat, c in contacts:
        if c.name in owners:
            rows.setdefault(bounded(source_key("linkedin", chat, c)), {
                "account_id": account_id, "person_id": owners[c.name], "on": c.on,
                "kind": c.kind, "by": c.by, "unanswered": c.unanswered, "topics": [],
                "note": None})  # fmt: skip
    known = captures.existing_source_keys(conn, account_id, rows.keys())
    new = [{**row, "source_key": key} for key, row in rows.items() if key not in known]
    captures.add_interactions(conn, run, new)
    helped = [h for h in export.help if h.name in owners]
    held = captures.existing_exchanges(conn, account_id, [owners[h.name] for h in helped])
    gifts: dict[tuple[int, str, str, str], dict[str, Any]] = {}
    for h in helped:
        key = (owners[h.name], h.direction.value, h.kind.value, h.what)
        if key not in held:
            gifts.setdefault(key, {
                "account_id": account_id, "person_id": key[0], "on": h.on or garden.today,
                "direction": h.direction, "what": h.what, "kind": h.kind,
                "weight": h.weight})  # fmt: skip
    captures.add_exchanges(conn, run, list(gifts.values()))
    met = {
        owners[i.name]: (MET_WHERE, i.on)
        for i in sorted(export.invitations, key=lambda i: i.on, reverse=True)
        if i.name in owners
    }
    unknown = sorted(n for n in names if n not in owners and n != export.owner)
    return LinkedInCounts(
        logged=len(new) + len(gifts),
        messages=len(new),
        message_duplicates=len(rows) - len(new),
        help=len(gifts),
        met=captures.fill_how_we_met(conn, account_id, met, CONNECTED),
        unknown=tuple(unknown),
    )
