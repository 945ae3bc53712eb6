"""`kith capture`: log the interactions already in a mail archive or a calendar.

Senders, recipients and attendees are matched to people by email. Who initiated follows
who wrote or organised: a message from one of my addresses (`--me`) to a person is mine,
a message from a person is theirs. Each interaction carries a `source_key` (message-id or
event UID, plus the person's address), unique per garden, so a re-run adds nothing.
Bodies are never read; subjects become topics only when asked (`--topics`).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from kith.app.documents import Json, as_document
from kith.app.errors import InvalidInput, KithError
from kith.app.garden import Garden
from kith.app.import_report import Progress, transaction
from kith.app.report_lines import LineError
from kith.app.sessions import naive_utc, utc_now
from kith.core.dedup import email_of
from kith.core.model import Initiator, InteractionKind
from kith.io.ics import CalendarEvent, iter_events
from kith.io.mail import MailMessage, iter_mail
from kith.io.records import FormatError, RecordError
from kith.store import Connection, bulk, captures, dedup_index, mail_state

KINDS = ("mbox", "maildir", "ics")
BATCH = 1000
SOURCE_KEY_MAX = 500  # the column's width; longer keys are replaced by a digest
_REPLY_PREFIX = re.compile(r"^((re|fwd?|aw|wg|sv|tr)\s*:\s*)+", re.IGNORECASE)


@dataclass(frozen=True)
class Happening:
    """One message or event: who took part with me, and who started it."""

    key: str  # "mail:<message-id>" or "ics:<uid>"
    on: date
    kind: InteractionKind
    others: tuple[tuple[str, Initiator], ...]  # (their email, who initiated)
    subject: str | None


@dataclass
class CaptureReport:
    """What a capture logged, skipped, found already logged or left for later."""

    logged: int = 0
    skipped_unknown: int = 0  # messages or events with nobody of the garden in them
    duplicates: int = 0  # interactions already logged by an earlier run
    future: int = 0  # events after today: captured by a later run, once they happened
    errors: list[LineError] = field(default_factory=list)
    people: set[int] = field(default_factory=set)
    dry_run: bool = False
    run: int | None = None  # the capture run's id (`kith capture undo RUN`)
    unknown: set[str] = field(default_factory=set)  # chat names nobody in the garden has

    def view(self) -> CaptureView:
        """What `kith capture` presents of this report."""
        return CaptureView.of(self)

    def counts(self) -> dict[str, Json]:
        """What the capture log keeps of the report: its numbers."""
        numbers = as_document(self.view())
        return numbers | {"errors": len(self.errors), "unknown": len(self.unknown)}


@dataclass(frozen=True)
class CaptureView:
    """What `kith capture` and POST /api/v1/capture present: a capture's counts and errors."""

    logged: int
    skipped_unknown: int
    duplicates: int
    future: int
    people: int  # how many people the logged interactions are with
    errors: tuple[LineError, ...]
    dry_run: bool
    run: int | None
    unknown: tuple[str, ...]  # sorted

    @classmethod
    def of(cls, report: CaptureReport) -> CaptureView:
        """The view of a capture's report."""
        return cls(
            logged=report.logged,
            skipped_unknown=report.skipped_unknown,
            duplicates=report.duplicates,
            future=report.future,
            people=len(report.people),
            errors=tuple(report.errors),
            dry_run=report.dry_run,
            run=report.run,
            unknown=tuple(sorted(report.unknown)),
        )


def _from_mail(message: MailMessage, me: frozenset[str]) -> Happening:
    if message.from_email in me:
        others = tuple((e, Initiator.ME) for e in (*message.to_emails, *message.cc_emails))
    else:
        others = ((message.from_email, Initiator.THEM),)
    return Happening(
        f"mail:{message.message_id}", message.on, InteractionKind.EMAIL, others, message.subject
    )


def _from_event(event: CalendarEvent, me: frozenset[str]) -> Happening:
    organizer = event.organizer_email
    by = Initiator.ME if organizer in me else Initiator.THEM
    emails = ((organizer,) if organizer else ()) + event.attendee_emails
    others = tuple((e, by) for e in emails)
    return Happening(
        f"ics:{event.uid}", event.start, InteractionKind.MEETING, others, event.summary
    )


def _items(kind: str, path: Path) -> Iterator[MailMessage | CalendarEvent | RecordError]:
    if kind not in KINDS:
        raise InvalidInput("kind", f"{kind!r} is not one of {', '.join(KINDS)}")
    if kind == "maildir" and not path.is_dir():
        raise KithError(f"{path}: not a Maildir folder; for a single file use `capture mbox`")
    if kind == "mbox" and path.is_dir():
        raise KithError(f"{path} is a folder; for a Maildir use `capture maildir`")
    try:
        if kind == "ics":
            return iter_events(path)
        return iter_mail(path)
    except FormatError as error:
        raise KithError(f"{error}; nothing was captured") from None
    except OSError as error:
        raise KithError(f"cannot read {path}: {error.strerror}") from None


def capture(
    garden: Garden,
    kind: str,
    path: Path,
    *,
    me: Sequence[str] = (),
    topics: bool = False,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> CaptureReport:
    """Log the interactions of a mail archive or calendar with the people in the garden."""
    mine = frozenset(email_of(e) for e in me)
    items = _items(kind, path)
    report = CaptureReport(dry_run=dry_run)
    try:
        with transaction(garden, dry_run) as conn:
            # `kith me --email` addresses count as mine too, with or without --me.
            mine |= frozenset(mail_state.my_addresses(conn, garden.account_id))
            run = captures.start_run(
                conn, garden.account_id, f"{kind}:{path}", naive_utc(utc_now())
            )
            report.run = None if dry_run else run
            for batch in bulk.chunks(items, BATCH):
                log_items(conn, (garden, run), batch, mine=mine, topics=topics, report=report)
                if progress is not None:
                    progress(len(batch))
            captures.finish_run(conn, run, report.counts())
    except FormatError as error:
        raise KithError(f"{error}; nothing was captured") from None
    return report


def log_items(
    conn: Connection,
    garden_run: tuple[Garden, int],
    items: Iterable[MailMessage | CalendarEvent | RecordError],
    *,
    mine: frozenset[str],
    topics: bool,
    report: CaptureReport,
) -> None:
    """Log one batch of messages and events with the garden's people, into the run."""
    garden, run = garden_run
    happenings = []
    for item in items:
        if isinstance(item, RecordError):
            report.errors.append(LineError(item.line, None, str(item)))
        elif isinstance(item, MailMessage):
            happenings.append(_from_mail(item, mine))
        elif item.start > garden.today:
            report.future += 1  # a meeting still to come is not a contact yet
        else:
            happenings.append(_from_event(item, mine))
    _log(conn, (garden.account_id, run), happenings, mine=mine, with_topics=topics, report=report)


def source_key(happening_key: str, email: str) -> str:
    """The key that keeps a captured message or event from being logged twice for a person."""
    return bounded(f"{happening_key}:{email}")


def bounded(key: str) -> str:
    """A source key that fits its column: a longer one is replaced by its digest."""
    if len(key) <= SOURCE_KEY_MAX:
        return key
    return "sha256:" + hashlib.sha256(key.encode()).hexdigest()


def _topics(subject: str | None) -> list[str]:
    text = _REPLY_PREFIX.sub("", subject or "").strip()
    return [text[:300]] if text else []


def _log(
    conn: Connection,
    account_run: tuple[int, int],
    happenings: Iterable[Happening],
    *,
    mine: frozenset[str],
    with_topics: bool,
    report: CaptureReport,
) -> None:
    account_id, run = account_run
    happenings = list(happenings)
    emails = {e for h in happenings for e, _ in h.others if e not in mine}
    owners = dedup_index.people_by_email(conn, account_id, emails)
    rows: dict[str, dict[str, Any]] = {}
    for happening in happenings:
        logged_people: set[int] = set()
        for email, by in happening.others:
            person_id = owners.get(email)
            if person_id is None or person_id in logged_people or email in mine:
                continue
            logged_people.add(person_id)
            rows.setdefault(
                source_key(happening.key, email),
                {
                    "account_id": account_id,
                    "person_id": person_id,
                    "on": happening.on,
                    "kind": happening.kind,
                    "by": by,
                    "unanswered": False,
                    "topics": _topics(happening.subject) if with_topics else [],
                    "note": None,
                },
            )
        if not logged_people:
            report.skipped_unknown += 1
    known = captures.existing_source_keys(conn, account_id, rows.keys())
    new = [{**row, "source_key": key} for key, row in rows.items() if key not in known]
    captures.add_interactions(conn, run, new)
    report.duplicates += len(rows) - len(new)
    report.logged += len(new)
    report.people.update(row["person_id"] for row in new)
