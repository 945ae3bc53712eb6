"""vCard 2.1, 3.0 and 4.0 as real clients write them, parsed with vobject.

We split the file into cards ourselves, streaming, so one broken card is reported with the
line it starts on while the rest import. Each card is then pre-normalised into the plain
3.0 text vobject reads well (see `kith.io.vcard_lines`) and handed to `vobject.readOne`.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

import vobject

from kith.io.encoding import iter_byte_lines
from kith.io.records import ContactRecord, FormatError, Item, RecordError, collect
from kith.io.vcard_fields import card_to_record
from kith.io.vcard_lines import FieldTooLarge, normalise

_READY = object()


@dataclass
class _RawCard:
    start: int
    lines: list[tuple[int, bytes]] = field(default_factory=list)


def iter_vcards(path: Path) -> Iterator[Item]:
    """Records and card errors, streamed; FormatError at once if this is not a vCard file."""
    lines, codec = iter_byte_lines(path)
    generator = _items(lines, codec, path.name)
    if next(generator) is not _READY:  # runs up to the check of the first line
        raise AssertionError("format check must come first")
    return cast(Iterator[Item], generator)


def read_vcards(path: Path) -> tuple[list[ContactRecord], list[RecordError]]:
    return collect(iter_vcards(path))


def _items(lines: Iterator[bytes], codec: str, name: str) -> Generator[Item | object, None, None]:
    try:
        cards = _cards(enumerate(lines, start=1), name)
        yield next(cards)
        for card in cards:
            if isinstance(card, RecordError):
                yield card
            else:
                yield _read_card(cast(_RawCard, card), codec)
    finally:
        close = getattr(lines, "close", None)
        if close is not None:
            close()


def _is_marker(line: bytes, word: bytes) -> bool:
    """BEGIN:VCARD / END:VCARD in any case, with stray spaces around the colon."""
    return b"".join(line.split()).upper() == word


def _cards(
    numbered: Iterator[tuple[int, bytes]], name: str
) -> Generator[_RawCard | RecordError | object, None, None]:
    """Cards with their physical lines; nested cards (old Android) come out on their own."""
    first = next(((n, line) for n, line in numbered if line.strip()), None)
    if first is None or not _is_marker(first[1], b"BEGIN:VCARD"):
        raise FormatError(f"{name}: not a vCard file (it does not start with BEGIN:VCARD)")
    yield _READY
    stack = [_RawCard(first[0])]
    for number, line in numbered:
        if _is_marker(line, b"BEGIN:VCARD"):
            stack.append(_RawCard(number))
        elif _is_marker(line, b"END:VCARD") and stack:
            yield stack.pop()
        elif stack:
            stack[-1].lines.append((number, line))
        # Lines between cards (blank lines, a VLIST from SOGo) hold no contact.
    for card in reversed(stack):
        yield RecordError(card.start, None, "card has no END:VCARD (file cut short?)")


def _read_card(card: _RawCard, codec: str) -> Item:
    try:
        normalised = normalise(card.lines, card.start, codec)
    except FieldTooLarge as error:
        return RecordError(error.line, error.name.lower(), str(error))
    try:
        parsed = vobject.readOne(normalised.text)
    except Exception as error:  # noqa: BLE001 - vobject raises many types; report, go on
        return _unreadable(card, error)
    return card_to_record(parsed, normalised.line_of, card.start)


def _unreadable(card: _RawCard, error: Exception) -> RecordError:
    message = " ".join(str(error).split()) or type(error).__name__
    return RecordError(card.start, None, f"card unreadable: {message}")
