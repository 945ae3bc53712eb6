"""Reading mail headers as they come from real mailers: encoded words, raw 8-bit bytes in
legacy charsets, folded lines, malformed addresses and dates.

Used by the IMAP client; everything here is pure and never raises on bad input: an
unreadable value is None (or empty), and the caller decides whether that is an error.
"""

from __future__ import annotations

import email.errors
import email.header
import email.utils
import re
from datetime import UTC, datetime
from email.message import Message
from functools import lru_cache

from kith.io.records import is_email

_MESSAGE_ID = re.compile(r"<[^<>\s]+>")
_ESCAPED = re.compile("[\udc80-\udcff]")


def text(headers: Message, name: str) -> str | None:
    """A header's value as readable text, spaces folded; None when absent or empty."""
    raw = headers.get(name)
    if raw is None:
        return None
    return _words(_raw(raw)) or None


def _decode(chunk: bytes | str, charset: str | None) -> str:
    if isinstance(chunk, str):
        return chunk
    for codec in (charset, "utf-8", "cp1252"):
        if codec is None or codec == "unknown-8bit":
            continue  # raw 8-bit bytes: try UTF-8, then the commonest legacy charset
        try:
            return chunk.decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
    return chunk.decode("latin-1")  # maps every byte; never fails


def addresses(headers: Message, name: str) -> tuple[tuple[str, str], ...]:
    """(display name, address) pairs, addresses lower-cased, each once, invalid ones dropped.

    Addresses are split before encoded words are decoded: a decoded name may hold commas.
    """
    values = tuple(_raw(value) for value in headers.get_all(name, []))
    return _parsed_addresses(values) if values else ()


# The same From and To values come back in mail after mail: parsing addresses is half of
# the time spent on a header, so each distinct value is parsed once.
@lru_cache(maxsize=16384)
def _parsed_addresses(values: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    found: dict[str, str] = {}
    for display, written in email.utils.getaddresses(list(values)):
        address = written.strip().lower()
        if is_email(address) and address not in found:
            found[address] = _words(display)
    return tuple((display, address) for address, display in found.items())


def _raw(value: object) -> str:
    """The header as text with its encoded words still encoded; raw 8-bit bytes decoded."""
    if isinstance(value, email.header.Header):
        chunks = email.header.decode_header(value)
        return "".join(_decode(chunk, charset) for chunk, charset in chunks)
    value = str(value)
    if _ESCAPED.search(value):  # raw bytes the parser kept as surrogates
        return _decode(value.encode("ascii", "surrogateescape"), None)
    return value


def _words(value: str) -> str:
    try:
        parts = email.header.decode_header(value)
    except (email.errors.HeaderParseError, ValueError):
        parts = [(value, None)]
    decoded = "".join(_decode(chunk, charset) for chunk, charset in parts)
    return " ".join(decoded.split())


def message_ids(headers: Message, name: str) -> tuple[str, ...]:
    """The <ids> of a Message-ID, In-Reply-To or References header, in order."""
    value = headers.get(name)
    return tuple(dict.fromkeys(_MESSAGE_ID.findall(str(value)))) if value is not None else ()


def sent_at(headers: Message) -> datetime | None:
    """The Date header as an aware datetime (UTC when the mailer gave no zone)."""
    raw = headers.get("Date")
    if raw is None:
        return None
    try:
        at = email.utils.parsedate_to_datetime(str(raw))
    except (TypeError, ValueError, IndexError):
        return None
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)
