"""WhatsApp's "Export chat" text files, Android and iOS, in the date formats of many locales.

    Android  12/31/23, 9:15 PM - Ana Lima: text        31.12.23, 21:15 - Ana Lima: text
    iOS      [31/12/2023, 21:15:07] Ana Lima: text     [12/31/23, 9:15:07 PM] Ana Lima: text

iOS marks media and system lines with invisible direction marks (U+200E) and newer
exports put a narrow no-break space before AM/PM; both are folded away first. A line
that does not start with a timestamp continues the message above it. Whether 03/04 is
the 3rd of April or the 4th of March is decided once for the whole file: a field above
12 settles it, else the order under which the messages run forward in time wins (an
export is chronological), else the separator (dots are day-first locales).

Only who wrote and when is kept: message text never leaves this module. System lines
(the encryption notice, "X added Y", "X left") are dropped; "<Media omitted>" is still a
message from its sender.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from itertools import pairwise
from pathlib import Path, PurePosixPath

from kith.core.chats import Chat, ChatMessage
from kith.io.encoding import open_text
from kith.io.records import FormatError, RecordError

MAX_CHAT_BYTES = 256 * 1024 * 1024  # years of a busy group; larger is not a chat export
_INVISIBLE = dict.fromkeys(map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\ufeff"))
_SPACES = {ord("\u202f"): " ", ord("\u00a0"): " ", ord("\u2009"): " "}

_HEADER = re.compile(
    r"""^\[?
    (?P<date>\d{1,4}[./-]\d{1,2}[./-]\d{1,4})\.?,?
    (?:\s(?:à|um|om|a\ las|alle|kl\.))?\s+    # French, German, Dutch, Spanish, Italian, Nordic
    (?P<time>\d{1,2}[:.]\d{2}(?:[:.]\d{2})?)
    (?:\s?(?P<ampm>[AaPp]\.?\s?[Mm]\.?))?
    (?:\]\s?|\s[-–]\s)
    (?P<rest>.*)$""",
    re.VERBOSE,
)
_SENDER = re.compile(r"^(?P<name>[^:]{1,120}?):\s(?P<text>.*)$")
# System lines that carry a "Name: " prefix anyway (iOS writes them as if the chat sent them,
# Android's "changed the subject to "Re: x"" holds a colon). A few locales of the commonest.
_SYSTEM = re.compile(
    r"end-to-end encrypt|Ende-zu-Ende-verschlüssel|cifrad[oa]s? de extremo a extremo"
    r"|chiffrés de bout en bout|crittografat[ei] end-to-end|end-to-end versleuteld"
    r"|security code (with .+ )?changed|created (the )?group|changed the (subject|group"
    r"|this group's|description)|joined using this group's invite link"
    r"|disappearing messages",
    re.IGNORECASE,
)

_MEDIA = re.compile(r"omitted|<attached:|ausgelassen|omitid[oa]|omis|weggelassen", re.I)


@dataclass(frozen=True)
class _Stamp:
    line: int
    fields: tuple[int, int, int]  # the date's three numbers as written
    widths: tuple[int, int, int]
    separator: str
    hour: int
    minute: int
    second: int
    ampm: str | None
    rest: str
    marked: bool  # iOS put a direction mark before the text: media or a system line


def read_whatsapp(path: Path) -> tuple[Chat, list[RecordError]]:
    """The chat and the lines that looked like messages but were not readable.

    Takes the .txt, or the .zip that iOS (and Android "with media") exports, whose chat is
    `_chat.txt` (iOS) or `WhatsApp Chat with NAME.txt` (Android).
    """
    if zipfile.is_zipfile(path):
        name, data = _chat_in_zip(path)
        text = _decode(data, name)
    else:
        name = path.name
        stream, codec = open_text(path)
        with stream:
            try:
                text = stream.read()
            except UnicodeDecodeError:
                raise FormatError(f"{path.name}: not readable as {codec}") from None
    chat, errors = parse_whatsapp(text.splitlines(), path.name)
    title = _title(name) or _title(path.name)
    # The file's name is all that tells one chat from another (iOS calls every one _chat.txt).
    return replace(chat, title=title, id=title or path.stem), errors


def _chat_in_zip(path: Path) -> tuple[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        texts = [i for i in archive.infolist() if i.filename.lower().endswith(".txt")]
        if not texts:
            raise FormatError(f"{path.name}: no chat (.txt) in this zip")
        chat = min(texts, key=lambda i: (PurePosixPath(i.filename).name != "_chat.txt", i.filename))
        if chat.file_size > MAX_CHAT_BYTES:
            raise FormatError(f"{path.name}: {chat.filename} is too large ({chat.file_size} bytes)")
        return PurePosixPath(chat.filename).name, archive.read(chat)


def _decode(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FormatError(f"{name}: not UTF-8 (WhatsApp writes UTF-8)") from None


# Android names the file after the chat: "WhatsApp Chat with Ana Lima.txt", in the phone's
# language ("WhatsApp-Chat mit", "Chat de WhatsApp con", "Discussion WhatsApp avec"...);
# iOS names the zip: "WhatsApp Chat - Ana Lima.zip".
_TITLE = re.compile(
    r"whatsapp.*?(?:\b(?:with|mit|con|avec|met|com|z)\s+|\s-\s)(?P<name>.+?)\.(?:txt|zip)$", re.I
)


def _title(file_name: str) -> str | None:
    match = _TITLE.search(file_name)
    return match["name"].strip() if match else None


def parse_whatsapp(lines: Sequence[str], name: str = "chat") -> tuple[Chat, list[RecordError]]:
    stamps = list(_stamps(lines))
    if not stamps:
        raise FormatError(f"{name}: not a WhatsApp chat export (no line starts with a date)")
    order = _date_order(stamps, name)
    messages: list[ChatMessage] = []
    errors: list[RecordError] = []
    writers = _plain_writers(stamps)
    for stamp in stamps:
        item = _message(stamp, order, writers)
        if isinstance(item, RecordError):
            errors.append(item)
        elif item is not None:
            messages.append(item)
    if not messages and errors:
        raise FormatError(f"{name}: no readable message ({errors[0]})")
    senders = dict.fromkeys(m.sender for m in messages)
    # Two writers is a conversation; a third (or a group's own system lines) makes a group.
    group = len(senders) > 2 or any(_is_group_event(s.rest) for s in stamps)
    return Chat(title=None, is_group=group, messages=tuple(messages)), errors


def _clean(line: str) -> str:
    return line.translate(_INVISIBLE).translate(_SPACES).strip()


def _stamps(lines: Sequence[str]) -> Iterator[_Stamp]:
    for number, raw in enumerate(lines, start=1):
        match = _HEADER.match(_clean(raw))
        if match is None:
            continue  # the next line of a multi-line message
        parts = re.split(r"[./-]", match["date"])
        clock = [int(p) for p in re.split(r"[:.]", match["time"])]
        separator = next(c for c in match["date"] if not c.isdigit())
        yield _Stamp(
            line=number,
            fields=(int(parts[0]), int(parts[1]), int(parts[2])),
            widths=(len(parts[0]), len(parts[1]), len(parts[2])),
            separator=separator,
            hour=clock[0],
            minute=clock[1],
            second=clock[2] if len(clock) > 2 else 0,
            ampm=re.sub(r"[.\s]", "", match["ampm"]).upper() if match["ampm"] else None,
            rest=match["rest"],
            marked=": \u200e" in raw,
        )


# The position of (year, month, day) among the three fields of a date.
YMD, DMY, MDY = (0, 1, 2), (2, 1, 0), (2, 0, 1)


def _date_order(stamps: Sequence[_Stamp], name: str) -> tuple[int, int, int]:
    if stamps[0].widths[0] == 4:
        return YMD
    firsts = max(s.fields[0] for s in stamps)
    seconds = max(s.fields[1] for s in stamps)
    if firsts > 12 and seconds > 12:
        raise FormatError(f"{name}: dates are neither day/month nor month/day throughout")
    if firsts > 12:
        return DMY
    if seconds > 12:
        return MDY
    backwards = {order: _backward_steps(stamps, order) for order in (DMY, MDY)}
    if backwards[DMY] != backwards[MDY]:
        return min(backwards, key=lambda order: backwards[order])
    return MDY if stamps[0].separator == "/" and stamps[0].ampm else DMY


def _backward_steps(stamps: Sequence[_Stamp], order: tuple[int, int, int]) -> int:
    days = [_ymd(s, order) for s in stamps]
    return sum(1 for a, b in pairwise(days) if b < a)


def _ymd(stamp: _Stamp, order: tuple[int, int, int]) -> tuple[int, int, int]:
    year = stamp.fields[order[0]]
    if stamp.widths[order[0]] <= 2:
        year += 2000  # WhatsApp exists since 2009
    return year, stamp.fields[order[1]], stamp.fields[order[2]]


def _hour(stamp: _Stamp) -> int:
    if stamp.ampm is None:
        return stamp.hour
    return stamp.hour % 12 + (12 if stamp.ampm == "PM" else 0)


def _plain_writers(stamps: Sequence[_Stamp]) -> frozenset[str]:
    """Senders of at least one unmarked message: people, not the chat's own system voice."""
    found = (_SENDER.match(s.rest) for s in stamps if not s.marked)
    return frozenset(" ".join(m["name"].split()) for m in found if m is not None)


def _message(
    stamp: _Stamp, order: tuple[int, int, int], writers: frozenset[str]
) -> ChatMessage | RecordError | None:
    year, month, day = _ymd(stamp, order)
    try:
        at = datetime(year, month, day, _hour(stamp), stamp.minute, stamp.second)  # noqa: DTZ001 - the export's local time, no zone is written
    except ValueError as error:
        return RecordError(stamp.line, "date", f"unreadable date or time: {error}")
    match = _SENDER.match(stamp.rest)
    if match is None or _SYSTEM.search(stamp.rest):
        return None
    sender = " ".join(match["name"].split())
    if stamp.marked and sender not in writers and not _MEDIA.search(match["text"]):
        return None  # iOS writes group events as a message from the group itself
    return ChatMessage(sender=sender, at=at, line=stamp.line)


def _is_group_event(rest: str) -> bool:
    return bool(re.search(r"created (the )?group|joined using this group's invite", rest, re.I))
