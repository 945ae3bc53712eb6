"""LinkedIn's full data export (the .zip of "Get a copy of your data"), beyond Connections.

Column layouts, as exports of 2023–2025 write them (headers are matched case-insensitively,
unknown columns ignored, files found by name anywhere in the zip):

- Connections.csv: read by io/linkedin.py (its "Notes:" preamble included).
- messages.csv: CONVERSATION ID, CONVERSATION TITLE, FROM, SENDER PROFILE URL, TO,
  RECIPIENT PROFILE URLS (";"-separated), DATE ("2023-06-11 15:33:58 UTC"), SUBJECT,
  CONTENT, FOLDER (INBOX, SENT, ARCHIVE, SPAM), ATTACHMENTS, sometimes IS MESSAGE DRAFT.
  CONTENT is never read: only who wrote to whom and when.
- Invitations.csv: From, To, Sent At ("1/15/24, 2:30 PM"), Message, Direction
  (INCOMING/OUTGOING), inviterProfileUrl, inviteeProfileUrl.
- Recommendations_Given.csv / Recommendations_Received.csv: First Name, Last Name,
  Company, Job Title, Text, Creation Date, Status (VISIBLE, HIDDEN, PENDING...).
- Endorsement_Given_Info.csv / Endorsement_Received_Info.csv: Endorsement Date
  ("2023/06/05 15:47:58 UTC"), Skill Name, Endorsee|Endorser First Name, ... Last Name,
  ... Public Url ("www.linkedin.com/in/..."), Endorsement Status (ACCEPTED...).

Who "I" am in messages.csv: the name of Profile.csv when present, else the participant
found in the most conversations (the owner is in every one of them).
"""

from __future__ import annotations

import csv
import io
import re
import tempfile
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path, PurePosixPath
from typing import TypeVar

from kith.core.chats import Chat, ChatMessage
from kith.core.model import Direction, ExchangeKind, Initiator
from kith.io.dates import DateError, parse_date
from kith.io.linkedin import read_linkedin
from kith.io.records import ContactRecord, FormatError, RecordError
from kith.io.tabular import norm

# A written recommendation is a deliberate favour; an endorsement is one click (1–5 scale).
RECOMMENDATION_WEIGHT = 3
ENDORSEMENT_WEIGHT = 1
NOT_DONE = frozenset({"pending", "rejected", "withdrawn", "requested", "ignored"})
SKIPPED_FOLDERS = frozenset({"spam", "draft", "drafts"})
MAX_MEMBER_BYTES = 512 * 1024 * 1024  # a zip bomb is refused, not unpacked


T = TypeVar("T")


@dataclass(frozen=True)
class LinkedInMessage:
    conversation_id: str
    sender: str
    sender_url: str | None
    recipients: tuple[str, ...]
    recipient_urls: tuple[str, ...]
    at: datetime
    line: int


@dataclass(frozen=True)
class Invitation:
    """A connection request: how we met on LinkedIn, and who reached out."""

    name: str  # the other person
    url: str | None
    on: date
    by: Initiator
    with_note: bool  # the invitation carried a personal message
    line: int


@dataclass(frozen=True)
class Help:
    """A recommendation or endorsement: help given or received, for the ledger."""

    name: str
    url: str | None
    direction: Direction
    what: str
    kind: ExchangeKind
    weight: int
    on: date | None
    file: str
    line: int


@dataclass(frozen=True)
class LinkedInExport:
    connections: tuple[ContactRecord, ...]
    messages: tuple[LinkedInMessage, ...]
    invitations: tuple[Invitation, ...]
    help: tuple[Help, ...]
    owner: str | None  # my name as the export writes it
    owner_url: str | None
    errors: tuple[tuple[str, RecordError], ...]  # (file name, error)
    files: tuple[str, ...]  # the files that were read

    def chats(self) -> list[Chat]:
        """messages.csv as conversations for core.chats.chat_contacts(chat, self.me())."""
        return conversations(self.messages, self.owner)

    def me(self) -> tuple[str, ...]:
        """What marks my messages: my name and my profile URL, as far as they are known."""
        return tuple(v for v in (self.owner, self.owner_url) if v)


def read_linkedin_export(path: Path) -> LinkedInExport:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        raise FormatError(f"{path.name}: not a zip file ({error})") from None
    with archive:
        members = _members(archive)
        if not members:
            raise FormatError(f"{path.name}: no LinkedIn export files (Connections.csv, ...)")
        return _read(archive, members)


def _members(archive: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    wanted = {
        "connections.csv",
        "messages.csv",
        "invitations.csv",
        "recommendations_given.csv",
        "recommendations_received.csv",
        "endorsement_given_info.csv",
        "endorsement_received_info.csv",
        "profile.csv",
    }
    found: dict[str, zipfile.ZipInfo] = {}
    for info in archive.infolist():
        name = PurePosixPath(info.filename).name.lower()
        if name in wanted and not info.is_dir():
            if info.file_size > MAX_MEMBER_BYTES:
                raise FormatError(f"{info.filename}: {info.file_size} bytes is too large")
            found.setdefault(name, info)
    return found


def _read(archive: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo]) -> LinkedInExport:
    errors: list[tuple[str, RecordError]] = []
    connections = _connections(archive, members.get("connections.csv"), errors)
    messages: list[LinkedInMessage] = []
    seen: dict[str, set[str]] = {}
    if "messages.csv" in members:
        rows = _rows(archive, members["messages.csv"])
        messages = _collect(_messages(rows, seen), "messages.csv", errors)
    invitations: list[Invitation] = []
    if "invitations.csv" in members:
        invitations = _collect(
            _invitations(_rows(archive, members["invitations.csv"])), "Invitations.csv", errors
        )
    help_rows: list[Help] = []
    for name, reader in _HELP_FILES.items():
        if name in members:
            spelled = PurePosixPath(members[name].filename).name
            help_rows += _collect(reader(_rows(archive, members[name]), spelled), spelled, errors)
    profile_name = _profile_name(archive, members.get("profile.csv"))
    owner, owner_url = _owner(messages, seen, profile_name)
    return LinkedInExport(
        connections=tuple(connections),
        messages=tuple(messages),
        invitations=tuple(invitations),
        help=tuple(help_rows),
        owner=owner,
        owner_url=owner_url,
        errors=tuple(errors),
        files=tuple(sorted(PurePosixPath(i.filename).name for i in members.values())),
    )


def _collect(
    items: Iterator[T | RecordError], file: str, errors: list[tuple[str, RecordError]]
) -> list[T]:
    kept: list[T] = []
    for item in items:
        if isinstance(item, RecordError):
            errors.append((file, item))
        else:
            kept.append(item)
    return kept


def _connections(
    archive: zipfile.ZipFile,
    info: zipfile.ZipInfo | None,
    errors: list[tuple[str, RecordError]],
) -> list[ContactRecord]:
    if info is None:
        return []
    # io/linkedin.py reads a path (sniffing its encoding): hand it a private copy.
    with tempfile.TemporaryDirectory(prefix="kith-linkedin-") as folder:
        copy = Path(folder) / "Connections.csv"
        copy.write_bytes(archive.read(info))
        records, row_errors = read_linkedin(copy)
    errors.extend(("Connections.csv", e) for e in row_errors)
    return records


@dataclass(frozen=True)
class _Row:
    line: int
    cells: dict[str, str]

    def get(self, *names: str) -> str:
        for name in names:
            value = self.cells.get(name, "").strip()
            if value:
                return value
        return ""


def _rows(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[_Row]:
    name = PurePosixPath(info.filename).name
    with archive.open(info) as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        reader = csv.reader(text)
        try:
            header = _header(reader)
            if header is None:
                return
            last = reader.line_num
            for cells in reader:
                start, last = last + 1, reader.line_num
                if "".join(cells).strip():
                    yield _Row(start, dict(zip(header, cells, strict=False)))
        except UnicodeDecodeError:
            raise FormatError(f"{name}: not UTF-8 after line {reader.line_num}") from None
        except csv.Error as error:
            raise FormatError(f"{name}: line {reader.line_num}: {error}") from None


def _header(reader: Iterator[list[str]]) -> list[str] | None:
    for cells in reader:  # a "Notes:" preamble may come first; the header has 3+ columns
        if len([c for c in cells if c.strip()]) >= 3:
            return [norm(c) for c in cells]
    return None


_UTC_STAMP = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?")
_US_STAMP = re.compile(
    r"^(\d{1,2})/(\d{1,2})/(\d{2}|\d{4}),? (\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?"
)


def when(text: str) -> datetime:
    """The timestamps of the export's files (UTC as written); DateError when unreadable."""
    value = text.strip().replace("\u202f", " ")
    try:
        if match := _UTC_STAMP.match(value):
            y, mo, d, h, mi, s = (int(g or 0) for g in match.groups())
            return datetime(y, mo, d, h, mi, s)  # noqa: DTZ001 - LinkedIn writes UTC; kept naive like chat times
        if match := _US_STAMP.match(value):
            mo, d, y, h, mi = (int(g) for g in match.groups()[:5])
            s = int(match[6] or 0)
            ampm = (match[7] or "").upper()
            hour = h % 12 + (12 if ampm == "PM" else 0) if ampm else h
            return datetime(y + 2000 if y < 100 else y, mo, d, hour, mi, s)  # noqa: DTZ001 - as above
    except ValueError:
        raise DateError(f"invalid date {text!r}") from None
    day = parse_date(value)
    if day is None:
        raise DateError(f"no date in {text!r}")
    return datetime(day.year, day.month, day.day)  # noqa: DTZ001 - a date alone, as above


def _url(value: str) -> str | None:
    text = value.strip().rstrip("/").lower()
    if not text:
        return None
    return re.sub(r"^https?://", "", text)


def _messages(
    rows: Iterator[_Row], seen: dict[str, set[str]]
) -> Iterator[LinkedInMessage | RecordError]:
    """The messages of people; `seen` gathers who (URL) is in which conversation, from
    every row, spam and sponsored ones included: the owner is in all of them."""
    for row in rows:
        conversation = row.get("conversation id") or f"line-{row.line}"
        urls = [row.get("sender profile url"), *row.get("recipient profile urls").split(";")]
        for url in filter(None, map(_url, urls)):
            seen.setdefault(url, set()).add(conversation)
        if row.get("folder").lower() in SKIPPED_FOLDERS:
            continue
        if row.get("is message draft").lower() == "true":
            continue
        sender_url = _url(row.get("sender profile url"))
        if sender_url and "/in/" not in sender_url:
            continue  # sponsored messages come from company pages, not from people
        sender = " ".join(row.get("from").split())
        if not sender:
            yield RecordError(row.line, "FROM", "message has no sender")
            continue
        try:
            at = when(row.get("date"))
        except DateError as error:
            yield RecordError(row.line, "DATE", str(error))
            continue
        yield LinkedInMessage(
            conversation_id=conversation,
            sender=sender,
            sender_url=sender_url,
            recipients=_names(row.get("to")),
            recipient_urls=tuple(
                u for u in map(_url, row.get("recipient profile urls").split(";")) if u
            ),
            at=at,
            line=row.line,
        )


def _names(value: str) -> tuple[str, ...]:
    """TO holds several names split by ";" (or "," in older exports, when there is no ";")."""
    separator = ";" if ";" in value else ","
    return tuple(" ".join(p.split()) for p in value.split(separator) if p.strip())


def _invitations(rows: Iterator[_Row]) -> Iterator[Invitation | RecordError]:
    for row in rows:
        direction = row.get("direction").upper()
        if direction not in {"INCOMING", "OUTGOING"}:
            yield RecordError(row.line, "Direction", f"unknown direction {direction!r}")
            continue
        outgoing = direction == "OUTGOING"
        name = " ".join(row.get("to" if outgoing else "from").split())
        url = _url(row.get("inviteeprofileurl" if outgoing else "inviterprofileurl"))
        try:
            on = when(row.get("sent at")).date()
        except DateError as error:
            yield RecordError(row.line, "Sent At", str(error))
            continue
        if not name:
            yield RecordError(row.line, "To" if outgoing else "From", "invitation names nobody")
            continue
        yield Invitation(
            name=name,
            url=url,
            on=on,
            by=Initiator.ME if outgoing else Initiator.THEM,
            with_note=bool(row.get("message")),
            line=row.line,
        )


_HelpReader = Callable[["Iterator[_Row]", str], "Iterator[Help | RecordError]"]


def _recommendations(direction: Direction) -> _HelpReader:
    def read(rows: Iterator[_Row], file: str) -> Iterator[Help | RecordError]:
        for row in rows:
            if row.get("status").lower() in NOT_DONE:
                continue
            name = " ".join(f"{row.get('first name')} {row.get('last name')}".split())
            if not name:
                yield RecordError(row.line, "First Name", "recommendation names nobody")
                continue
            on = _optional_day(row.get("creation date"))
            if isinstance(on, RecordError):
                yield RecordError(row.line, "Creation Date", on.message)
                continue
            yield Help(
                name,
                None,
                direction,
                "a LinkedIn recommendation",
                ExchangeKind.ENDORSEMENT,
                RECOMMENDATION_WEIGHT,
                on,
                file,
                row.line,
            )

    return read


def _endorsements(direction: Direction) -> _HelpReader:
    role = "endorsee" if direction is Direction.GIVEN else "endorser"

    def read(rows: Iterator[_Row], file: str) -> Iterator[Help | RecordError]:
        for row in rows:
            if row.get("endorsement status").lower() in NOT_DONE:
                continue
            name = " ".join(
                f"{row.get(role + ' first name')} {row.get(role + ' last name')}".split()
            )
            skill = row.get("skill name")
            if not name:
                yield RecordError(
                    row.line, f"{role.title()} First Name", "endorsement names nobody"
                )
                continue
            on = _optional_day(row.get("endorsement date"))
            if isinstance(on, RecordError):
                yield RecordError(row.line, "Endorsement Date", on.message)
                continue
            what = f"endorsed for {skill} on LinkedIn" if skill else "a LinkedIn endorsement"
            yield Help(
                name,
                _url(row.get(role + " public url")),
                direction,
                what,
                ExchangeKind.ENDORSEMENT,
                ENDORSEMENT_WEIGHT,
                on,
                file,
                row.line,
            )

    return read


def _optional_day(text: str) -> date | RecordError | None:
    if not text.strip():
        return None
    try:
        return when(text).date()
    except DateError as error:
        return RecordError(0, None, str(error))


_HELP_FILES: dict[str, _HelpReader] = {
    "recommendations_given.csv": _recommendations(Direction.GIVEN),
    "recommendations_received.csv": _recommendations(Direction.RECEIVED),
    "endorsement_given_info.csv": _endorsements(Direction.GIVEN),
    "endorsement_received_info.csv": _endorsements(Direction.RECEIVED),
}


def _profile_name(archive: zipfile.ZipFile, info: zipfile.ZipInfo | None) -> str | None:
    if info is None:
        return None
    for row in _rows(archive, info):
        name = " ".join(f"{row.get('first name')} {row.get('last name')}".split())
        return name or None
    return None


def _owner(
    messages: list[LinkedInMessage], seen: dict[str, set[str]], profile_name: str | None
) -> tuple[str | None, str | None]:
    """My profile URL (in the most conversations) and my name (Profile.csv's, else the name
    that URL writes under)."""
    url = max(seen, key=lambda u: len(seen[u]), default=None)
    if profile_name is not None:
        mine = {m.sender_url for m in messages if m.sender == profile_name and m.sender_url}
        return profile_name, (min(mine) if len(mine) == 1 else url)
    names = Counter(m.sender for m in messages if url and m.sender_url == url)
    if names:
        return names.most_common(1)[0][0], url
    return None, url


def conversations(messages: Sequence[LinkedInMessage], owner: str | None) -> list[Chat]:
    """One chat per conversation; a group when more than one other person is in it.

    Each message's sender_id is its sender's profile URL, so `core.chats.chat_contacts(chat,
    export.me())` knows my messages by URL even when my display name changed.
    """
    grouped: dict[str, list[LinkedInMessage]] = {}
    for message in messages:
        grouped.setdefault(message.conversation_id, []).append(message)
    chats = []
    for conversation, rows in grouped.items():
        people = {n for m in rows for n in (m.sender, *m.recipients)}
        others = len(people - {owner}) if owner else len(people) - 1
        chat_messages = tuple(
            ChatMessage(m.sender, m.at, m.line, sender_id=m.sender_url) for m in rows
        )
        chats.append(Chat(None, others > 1, chat_messages, conversation))
    return chats
