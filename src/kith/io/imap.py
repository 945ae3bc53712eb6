"""IMAP, headers only and incrementally: what `kith capture imap` reads from a mail server.

Built on the standard library's imaplib: it gives exact control over the one FETCH that
matters, `BODY.PEEK[HEADER.FIELDS (...)]` (the named headers only, never a body, and
without setting \\Seen), and a client library would add nothing else needed here.

Incremental per folder (RFC 3501 §2.3.1.1): the caller keeps each folder's UIDVALIDITY
and the last UID it has seen. A run with the same UIDVALIDITY fetches only UIDs above
the last one (none at all when UIDNEXT says nothing arrived); a changed UIDVALIDITY means
the server renumbered the folder, so it is read again from the start and `rescanned` is
set: the caller drops the duplicates by Message-ID.
"""

from __future__ import annotations

import binascii
import contextlib
import hashlib
import imaplib
import re
import ssl
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from email.message import Message
from email.parser import BytesHeaderParser

from kith.core.network import Security, port_for, refusal
from kith.core.threads import Mail
from kith.io import headers as h
from kith.io.records import RecordError

FIELDS = (
    "FROM TO CC DATE MESSAGE-ID IN-REPLY-TO REFERENCES SUBJECT LIST-ID PRECEDENCE AUTO-SUBMITTED"
)
FETCH_ITEMS = f"(UID BODY.PEEK[HEADER.FIELDS ({FIELDS})])"
BATCH = 500  # UIDs per FETCH: keeps each command line short and each response modest
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_UID = re.compile(rb"UID (\d+)")


class ImapError(Exception):
    """The server could not be reached, refused the login, or lacks a folder (one line)."""


@dataclass(frozen=True)
class ImapAccount:
    host: str
    user: str
    password: str
    port: int | None = None  # the security's usual port when None (993 for TLS)
    security: Security = Security.TLS
    ssl_context: ssl.SSLContext | None = None  # the system's trusted CAs when None
    timeout: float = 30.0


@dataclass(frozen=True)
class FolderState:
    uidvalidity: int
    last_uid: int


@dataclass(frozen=True)
class MailHeaders:
    folder: str
    uid: int
    message_id: str  # the Message-ID, or a stable digest of the headers when there is none
    at: datetime  # aware
    sender: str | None
    to: tuple[str, ...]
    cc: tuple[str, ...]
    names: tuple[tuple[str, str], ...]  # (address, display name) for every address above
    in_reply_to: str | None
    references: tuple[str, ...]
    subject: str | None
    list_id: str | None
    precedence: str | None
    auto_submitted: str | None

    def mail(self) -> Mail:
        """What the thread rules (core/threads.py) read."""
        return Mail(
            message_id=self.message_id,
            at=self.at,
            sender=self.sender,
            recipients=tuple(dict.fromkeys((*self.to, *self.cc))),
            in_reply_to=self.in_reply_to,
            references=self.references,
            subject=self.subject,
            list_id=self.list_id,
            precedence=self.precedence,
            auto_submitted=self.auto_submitted,
        )


@dataclass(frozen=True)
class FolderFetch:
    folder: str
    state: FolderState  # to keep for the next run
    rescanned: bool  # UIDVALIDITY changed (or first run): the folder was read from the start
    messages: tuple[MailHeaders, ...]
    errors: tuple[RecordError, ...]  # line is the message's UID
    fetched_uids: tuple[int, ...]


def connect(account: ImapAccount) -> imaplib.IMAP4:
    """A logged-in connection; ImapError with one readable line otherwise."""
    reason = refusal(account.host, account.security)
    if reason is not None:
        raise ImapError(reason)
    port = port_for("imap", account.security, account.port)
    context = account.ssl_context or ssl.create_default_context()
    where = f"{account.host}:{port}"
    try:
        if account.security is Security.TLS:
            conn: imaplib.IMAP4 = imaplib.IMAP4_SSL(
                account.host, port, ssl_context=context, timeout=account.timeout
            )
        else:
            conn = imaplib.IMAP4(account.host, port, timeout=account.timeout)
            if account.security is Security.STARTTLS:
                conn.starttls(ssl_context=context)
    except ssl.SSLError as error:
        raise ImapError(f"{where}: TLS failed: {error.reason or error}") from None
    except (OSError, imaplib.IMAP4.error) as error:
        raise ImapError(f"{where}: cannot connect: {_said(error)}") from None
    try:
        conn.login(account.user, account.password)
    except imaplib.IMAP4.error as error:
        _close(conn)
        raise ImapError(f"{where}: login as {account.user} refused: {_said(error)}") from None
    return conn


def fetch_headers(
    account: ImapAccount,
    folders: Sequence[str],
    states: Mapping[str, FolderState],
    *,
    since: date | None = None,
) -> list[FolderFetch]:
    """Connect, read each folder's new headers, log out."""
    conn = connect(account)
    try:
        return [fetch_folder(conn, folder, states.get(folder), since=since) for folder in folders]
    except (OSError, imaplib.IMAP4.error) as error:  # the connection broke mid-way
        raise ImapError(f"{account.host}: connection lost: {_said(error)}") from None
    finally:
        _close(conn)


def fetch_folder(
    conn: imaplib.IMAP4,
    folder: str,
    state: FolderState | None,
    *,
    since: date | None = None,
    batch: int = BATCH,
) -> FolderFetch:
    """The headers of one folder that arrived after `state` (everything, without one).

    With `since`, older mail is passed over and the returned state still moves past it:
    `since` bounds a first run; later runs continue from the state.
    """
    uidvalidity, uidnext = _examine(conn, folder)
    rescanned = state is None or state.uidvalidity != uidvalidity
    last = 0 if rescanned or state is None else state.last_uid
    uids = [] if uidnext is not None and uidnext <= last + 1 else _search(conn, last, since)
    messages: list[MailHeaders] = []
    errors: list[RecordError] = []
    for chunk in _chunks(uids, batch):
        for uid, raw in _fetch(conn, chunk):
            item = _headers(folder, uid, raw)
            if isinstance(item, MailHeaders):
                messages.append(item)
            else:
                errors.append(item)
    new_last = max([last, *uids])
    return FolderFetch(
        folder=folder,
        state=FolderState(uidvalidity, new_last),
        rescanned=rescanned,
        messages=tuple(messages),
        errors=tuple(errors),
        fetched_uids=tuple(uids),
    )


def special_folders(conn: imaplib.IMAP4) -> dict[str, str]:
    """Special-use flags (RFC 6154: "\\Sent", "\\Archive", ...) and the folder that has each."""
    typ, data = conn.list()
    if typ != "OK":
        return {}
    found: dict[str, str] = {}
    pattern = re.compile(rb'^\((?P<flags>[^)]*)\) (?:"[^"]*"|NIL) (?P<name>.+)$')
    for line in data:
        match = pattern.match(line) if isinstance(line, bytes) else None
        if match is None:
            continue
        name = decode_folder(match["name"].strip().strip(b'"').decode("ascii", "replace"))
        for flag in match["flags"].decode("ascii", "replace").split():
            if flag in {"\\Sent", "\\Archive", "\\Drafts", "\\Junk", "\\Trash", "\\All"}:
                found.setdefault(flag, name)
    return found


def _examine(conn: imaplib.IMAP4, folder: str) -> tuple[int, int | None]:
    try:
        typ, data = conn.select(quote_folder(folder), readonly=True)
    except imaplib.IMAP4.error as error:
        raise ImapError(f"folder {folder!r}: {_said(error)}") from None
    if typ != "OK":
        raise ImapError(f"folder {folder!r} cannot be opened: {_text(data)}")
    validity = _number(conn, "UIDVALIDITY")
    if validity is None:
        raise ImapError(f"folder {folder!r}: the server sent no UIDVALIDITY")
    return validity, _number(conn, "UIDNEXT")


def _number(conn: imaplib.IMAP4, code: str) -> int | None:
    _, data = conn.response(code)
    values = [v for v in data if v is not None]
    try:
        return int(values[-1]) if values else None
    except ValueError:
        return None


def _search(conn: imaplib.IMAP4, last: int, since: date | None) -> list[int]:
    criteria = [f"UID {last + 1}:*"] if last else ["ALL"]
    if since is not None:
        # SENTSINCE reads the Date header; SINCE would read the server's arrival date,
        # which is the day of a migration or restore for old mail.
        criteria.append(f"SENTSINCE {since.day}-{_MONTHS[since.month - 1]}-{since.year}")
    typ, data = conn.uid("SEARCH", *criteria)
    if typ != "OK":
        raise ImapError(f"search failed: {_text(data)}")
    found = (int(n) for line in data if line for n in bytes(line).split())
    # "N:*" always matches the highest UID, even one below N: keep only the new ones.
    return sorted(uid for uid in found if uid > last)


def _fetch(conn: imaplib.IMAP4, uids: Sequence[int]) -> Iterator[tuple[int, bytes]]:
    typ, data = conn.uid("FETCH", sequence_set(uids), FETCH_ITEMS)
    if typ != "OK":
        raise ImapError(f"fetch failed: {_text(data)}")
    for index, part in enumerate(data):
        if not isinstance(part, tuple):
            continue
        envelope, raw = part
        match = _UID.search(envelope)
        if match is None and index + 1 < len(data):  # some servers send UID after the literal
            after = data[index + 1]
            match = _UID.search(after) if isinstance(after, bytes) else None
        if match is not None:
            yield int(match[1]), raw


def _headers(folder: str, uid: int, raw: bytes) -> MailHeaders | RecordError:
    headers = BytesHeaderParser().parsebytes(raw)
    at = h.sent_at(headers)
    if at is None:
        return RecordError(uid, "Date", f"{folder} UID {uid}: no readable date")
    senders = h.addresses(headers, "From")
    to, cc = h.addresses(headers, "To"), h.addresses(headers, "Cc")
    ids = h.message_ids(headers, "Message-ID")
    replying = h.message_ids(headers, "In-Reply-To")
    subject = h.text(headers, "Subject")
    sender = senders[0][1] if senders else None
    return MailHeaders(
        folder=folder,
        uid=uid,
        message_id=ids[0] if ids else _digest(headers, at, sender, subject),
        at=at,
        sender=sender,
        to=tuple(a for _, a in to),
        cc=tuple(a for _, a in cc),
        names=tuple((a, n) for n, a in (*senders[:1], *to, *cc) if n),
        in_reply_to=replying[0] if replying else None,
        references=h.message_ids(headers, "References"),
        subject=subject,
        list_id=h.text(headers, "List-Id"),
        precedence=h.text(headers, "Precedence"),
        auto_submitted=h.text(headers, "Auto-Submitted"),
    )


def _digest(headers: Message, at: datetime, sender: str | None, subject: str | None) -> str:
    to = ",".join(a for _, a in h.addresses(headers, "To"))
    seed = f"{at.isoformat()}|{sender}|{to}|{subject}".encode()
    return "sha256:" + hashlib.sha256(seed).hexdigest()[:32]


def sequence_set(uids: Sequence[int]) -> str:
    """Sorted UIDs as an IMAP sequence set: [1, 2, 3, 7] -> "1:3,7"."""
    ranges: list[str] = []
    ordered = sorted(set(uids))
    start = previous = ordered[0]
    for uid in [*ordered[1:], None]:
        if uid is not None and uid == previous + 1:
            previous = uid
            continue
        ranges.append(str(start) if start == previous else f"{start}:{previous}")
        if uid is not None:
            start = previous = uid
    return ",".join(ranges)


def _chunks(uids: Sequence[int], size: int) -> Iterator[Sequence[int]]:
    for start in range(0, len(uids), size):
        yield uids[start : start + size]


def quote_folder(name: str) -> str:
    """A folder name as an IMAP quoted string, non-ASCII in modified UTF-7 (RFC 3501 §5.1.3)."""
    encoded = encode_folder(name)
    return '"' + encoded.replace("\\", "\\\\").replace('"', '\\"') + '"'


def encode_folder(name: str) -> str:
    out: list[str] = []
    pending: list[str] = []

    def flush() -> None:
        if pending:
            data = "".join(pending).encode("utf-16-be")
            out.append(
                "&"
                + binascii.b2a_base64(data, newline=False).decode().rstrip("=").replace("/", ",")
                + "-"
            )
            pending.clear()

    for char in name:
        if 0x20 <= ord(char) <= 0x7E:
            flush()
            out.append("&-" if char == "&" else char)
        else:
            pending.append(char)
    flush()
    return "".join(out)


def decode_folder(name: str) -> str:
    def one(match: re.Match[str]) -> str:
        body = match[1]
        if not body:
            return "&"
        padded = body.replace(",", "/") + "=" * (-len(body) % 4)
        return binascii.a2b_base64(padded).decode("utf-16-be")

    return re.sub(r"&([^-]*)-", one, name)


def _said(error: BaseException) -> str:
    return " ".join(_text(error.args[0] if error.args else error).split()) or type(error).__name__


def _text(value: object) -> str:
    if isinstance(value, list):
        value = b" ".join(v for v in value if isinstance(v, bytes))
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


def _close(conn: imaplib.IMAP4) -> None:
    with contextlib.suppress(OSError, imaplib.IMAP4.error):  # gone already: nothing to free
        conn.logout()
