"""`kith capture imap`: personal mail from an IMAP server, headers only and incrementally.

The server is read first, outside any transaction (the network can be slow and SQLite's
write lock should not wait on it); then one transaction logs `email` interactions with the
people of the garden (by address), remembers each folder's state for the next run, and adds
unknown correspondents to the candidates (`kith capture candidates`). Mailing lists,
automatic and no-reply mail are ignored by `core/threads.py`. The source keys are those of
`kith capture mbox`, so a message captured from a file and from the server is logged once.
"""

from __future__ import annotations

import ssl
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any

from kith.app.capture import CaptureReport, CaptureView, source_key
from kith.app.errors import InvalidInput, KithError, NotSetUp
from kith.app.file_views import CandidateView
from kith.app.garden import Garden
from kith.app.import_report import transaction
from kith.app.inputs import emails, optional_date
from kith.app.report_lines import LineError
from kith.app.sessions import naive_utc, utc_now
from kith.core.model import InteractionKind
from kith.core.network import Security
from kith.core.threads import correspondents, mail_contacts
from kith.io.imap import FolderFetch, FolderState, ImapAccount, ImapError, fetch_headers
from kith.store import captures, dedup_index, mail_state


@dataclass
class ImapReport(CaptureReport):
    """A capture report, with what was fetched and how many candidates it found."""

    fetched: int = 0
    rescanned: list[str] = field(default_factory=list)
    candidates: int = 0

    def view(self) -> ImapCaptureView:
        """What `kith capture imap` presents: the capture's view and the IMAP run's own."""
        return ImapCaptureView(
            **vars(CaptureView.of(self)),
            fetched=self.fetched,
            rescanned=tuple(self.rescanned),
            candidates=self.candidates,
        )


@dataclass(frozen=True)
class ImapCaptureView(CaptureView):
    """A capture's view, with the headers fetched, folders read again, and candidates."""

    fetched: int
    rescanned: tuple[str, ...]
    candidates: int


@dataclass(frozen=True)
class ImapRequest:
    """Where to read: the server, the login and the folders."""

    host: str
    user: str
    password: str
    folders: Sequence[str] = ("INBOX",)
    port: int | None = None
    security: str = "tls"
    since: str | None = None
    ssl_context: ssl.SSLContext | None = None  # the system's trusted CAs when None


def _account(request: ImapRequest) -> ImapAccount:
    if not request.host.strip():
        raise InvalidInput("host", "is empty")
    if not request.user.strip():
        raise InvalidInput("user", "is empty")
    if request.port is not None and not 0 < request.port < 65536:
        raise InvalidInput("port", f"{request.port} is not a port (1-65535)")
    try:
        security = Security(request.security)
    except ValueError:
        raise InvalidInput(
            "security", f"{request.security!r} is not tls, starttls or plain"
        ) from None
    return ImapAccount(
        request.host.strip(), request.user, request.password, request.port, security,
        request.ssl_context,
    )  # fmt: skip


def _server(account: ImapAccount) -> str:
    return f"{account.user}@{account.host}:{account.port or account.security.value}"


def _now(today: date) -> datetime:
    """The moment outreach is judged at: now, or the end of a fixed today (KITH_TODAY)."""
    end_of_today = datetime.combine(today, time(23, 59, 59), UTC)
    return min(utc_now(), end_of_today)


def capture_imap(
    garden: Garden, request: ImapRequest, *, dry_run: bool = False, now: datetime | None = None
) -> ImapReport:
    """Fetch new headers from the server and log the personal mail with known people.

    `now` is when outreach is judged (answered or not): by default the clock, or the end of
    a fixed today.
    """
    account = _account(request)
    since = optional_date("since", request.since, garden.today)
    folders = list(dict.fromkeys(f for f in request.folders if f.strip())) or ["INBOX"]
    server = _server(account)
    with garden.reading() as conn:
        mine = set(mail_state.my_addresses(conn, garden.account_id))
        held = mail_state.folder_states(conn, garden.account_id, server)
    if "@" in account.user:
        mine.add(emails([account.user])[0])  # the login is usually one of my addresses
    if not mine:
        raise NotSetUp("me", "no address of mine is known yet")
    states = {f: FolderState(*held[f]) for f in folders if f in held}
    try:
        fetched = fetch_headers(account, folders, states, since=since)
    except ImapError as error:
        raise KithError(f"{error}; nothing was captured") from None
    when = now or _now(garden.today)
    return _record(garden, server, fetched, (mine, set(held)), when, dry_run=dry_run)


def _record(
    garden: Garden,
    server: str,
    fetched: Sequence[FolderFetch],
    mine_held: tuple[set[str], set[str]],
    now: datetime,
    *,
    dry_run: bool,
) -> ImapReport:
    mine, held = mine_held
    report = ImapReport(dry_run=dry_run)
    report.fetched = sum(len(f.fetched_uids) for f in fetched)
    report.rescanned = [f.folder for f in fetched if f.rescanned and f.folder in held]
    report.errors.extend(
        LineError(e.line, None, f"{f.folder}: {e}") for f in fetched for e in f.errors
    )
    headers = [m for f in fetched for m in f.messages]
    contacts = mail_contacts([m.mail() for m in headers], mine, now)
    with transaction(garden, dry_run) as conn:
        run = captures.start_run(conn, garden.account_id, f"imap:{server}", naive_utc(utc_now()))
        report.run = None if dry_run else run
        owners = dedup_index.people_by_email(conn, garden.account_id, {c.email for c in contacts})
        rows: dict[str, dict[str, Any]] = {}
        for c in contacts:
            person_id = owners.get(c.email)
            if person_id is None:
                report.skipped_unknown += 1
                continue
            rows.setdefault(
                source_key(f"mail:{c.message_id}", c.email),
                {"account_id": garden.account_id, "person_id": person_id, "on": c.on,
                 "kind": InteractionKind.EMAIL, "by": c.by, "unanswered": c.unanswered,
                 "topics": [], "note": None},
            )  # fmt: skip
        known = captures.existing_source_keys(conn, garden.account_id, rows.keys())
        new = [{**row, "source_key": key} for key, row in rows.items() if key not in known]
        captures.add_interactions(conn, run, new)
        report.duplicates, report.logged = len(rows) - len(new), len(new)
        report.people.update(row["person_id"] for row in new)
        # A folder read again after a UIDVALIDITY change would count its mail twice.
        recounted = {m.message_id for m in headers if m.folder in report.rescanned}
        names = {a: n for m in headers for a, n in m.names if n}
        found = correspondents(
            [c for c in contacts if c.message_id not in recounted], names, known=owners.keys()
        )
        mail_state.add_candidates(conn, garden.account_id, found)
        report.candidates = len(found)
        mail_state.save_folder_states(
            conn,
            garden.account_id,
            server,
            {f.folder: (f.state.uidvalidity, f.state.last_uid) for f in fetched},
        )
        captures.finish_run(conn, run, report.counts())
    return report


def candidates(garden: Garden) -> list[CandidateView]:
    """Correspondents not in the garden, most mail first, to seed in one step."""
    with garden.reading() as conn:
        return mail_state.candidates(conn, garden.account_id)
