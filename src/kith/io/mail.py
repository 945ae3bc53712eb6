"""Mail headers for `kith capture mbox|maildir`: who wrote to whom, when, about what.

Only headers are parsed (stdlib `mailbox` and `email`); bodies are never kept, and each
message is read on its own so a large archive streams. A message without a usable date or
sender is reported by its position (the n-th message) and the rest are read.
"""

from __future__ import annotations

import email.errors
import email.header
import email.utils
import hashlib
import mailbox
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from email.message import Message
from email.parser import BytesHeaderParser
from pathlib import Path

from kith.io.records import FormatError, RecordError, is_email


@dataclass(frozen=True)
class MailMessage:
    message_id: str  # the Message-ID, or a stable digest of the headers if it has none
    on: date
    from_email: str
    to_emails: tuple[str, ...]
    cc_emails: tuple[str, ...]
    subject: str | None


Item = MailMessage | RecordError


def _open(path: Path) -> mailbox.Mailbox:
    if path.is_dir():
        if not all((path / sub).is_dir() for sub in ("cur", "new")):
            raise FormatError(f"{path.name}: not a Maildir folder (no cur/ and new/)")
        return mailbox.Maildir(path, factory=None, create=False)
    if not path.is_file():
        raise FormatError(f"{path}: no such mail archive")
    with path.open("rb") as stream:
        first = stream.read(5)
    if first and first != b"From ":
        raise FormatError(f"{path.name}: not an mbox file (it does not start with 'From ')")
    return mailbox.mbox(path, factory=None, create=False)


def iter_mail(path: Path) -> Iterator[Item]:
    """Messages of an mbox file or Maildir folder; FormatError at once if it is neither."""
    box = _open(path)
    return _messages(box)


def read_mail(path: Path) -> tuple[list[MailMessage], list[RecordError]]:
    messages: list[MailMessage] = []
    errors: list[RecordError] = []
    for item in iter_mail(path):
        if isinstance(item, MailMessage):
            messages.append(item)
        else:
            errors.append(item)
    return messages, errors


def _messages(box: mailbox.Mailbox) -> Iterator[Item]:
    parser = BytesHeaderParser()
    try:
        keys = sorted(box.keys()) if isinstance(box, mailbox.Maildir) else box.keys()
        for number, key in enumerate(keys, start=1):
            headers = parser.parsebytes(box.get_bytes(key))
            yield _message(headers, number)
    finally:
        box.close()


def _addresses(headers: Message, name: str) -> tuple[str, ...]:
    values = [str(v) for v in headers.get_all(name, [])]
    found = (address.strip().lower() for _, address in email.utils.getaddresses(values))
    return tuple(dict.fromkeys(a for a in found if is_email(a)))


def _subject(headers: Message) -> str | None:
    raw = headers.get("Subject")
    if raw is None:
        return None
    try:
        text = str(email.header.make_header(email.header.decode_header(str(raw))))
    except (UnicodeDecodeError, LookupError, email.errors.HeaderParseError):
        text = str(raw)  # a mangled encoded-word: keep the text as it came
    return " ".join(text.split()) or None


def _date(headers: Message) -> date | None:
    raw = headers.get("Date")
    if raw is None:
        return None
    try:
        return email.utils.parsedate_to_datetime(str(raw)).date()  # the sender's own day
    except (TypeError, ValueError, IndexError):
        return None


def _message(headers: Message, number: int) -> Item:
    on = _date(headers)
    if on is None:
        return RecordError(number, "Date", f"message {number} has no readable date")
    senders = _addresses(headers, "From")
    if not senders:
        return RecordError(number, "From", f"message {number} has no sender address")
    to, cc = _addresses(headers, "To"), _addresses(headers, "Cc")
    subject = _subject(headers)
    message_id = str(headers.get("Message-ID", "")).strip()
    if not message_id:
        seed = f"{on}|{senders[0]}|{','.join(to)}|{subject}".encode()
        message_id = "sha256:" + hashlib.sha256(seed).hexdigest()[:32]
    return MailMessage(message_id, on, senders[0], to, cc, subject)
