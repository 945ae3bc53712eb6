"""Guess how a contacts file is encoded, from its first bytes only (files stream).

Order: a BOM (UTF-8, UTF-16 LE/BE); UTF-16 without a BOM (macOS Address Book writes it),
seen from NUL bytes on one side of each pair; UTF-8; then Shift_JIS (Japanese phones and
Thunderbird imports) when the bytes read as Japanese text and not as Windows-1252 letters;
else Windows-1252, the legacy encoding of Western Outlook and Excel exports.
Other legacy encodings (Cyrillic, Chinese, ...) are read as Windows-1252: a statistical
detector guessed wrong on samples this small (tried: charset-normalizer took Shift_JIS for
Korean and Windows-1252 for Central European), so we keep the rule predictable instead.
"""

from __future__ import annotations

import codecs
import io
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

SAMPLE_SIZE = 64 * 1024
UTF16_CODECS = frozenset({"utf-16", "utf-16-le", "utf-16-be"})


def sniff(sample: bytes, *, complete: bool) -> str:
    """The codec to read a file whose first bytes are `sample` (`complete`: the whole file)."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    utf16 = _utf16_without_bom(sample)
    if utf16:
        return utf16
    if _decodes(sample, "utf-8", complete=complete):
        return "utf-8"
    if _reads_as_japanese(sample, complete=complete):
        return "cp932"
    return "cp1252" if _decodes(sample, "cp1252", complete=True) else "latin-1"


def read_sample(stream: BinaryIO) -> tuple[bytes, bool]:
    """The first bytes of a seekable stream, and whether they are all of it; rewinds."""
    sample = stream.read(SAMPLE_SIZE + 1)
    stream.seek(0)
    return sample[:SAMPLE_SIZE], len(sample) <= SAMPLE_SIZE


def _decodes(sample: bytes, codec: str, *, complete: bool) -> bool:
    decoder = codecs.getincrementaldecoder(codec)(errors="strict")
    try:
        decoder.decode(sample, final=complete)
    except UnicodeDecodeError:
        return False
    return True


def _utf16_without_bom(sample: bytes) -> str | None:
    head = sample[:400]
    pairs = len(head) // 2
    if pairs < 4:
        return None
    even_nuls = sum(1 for i in range(0, pairs * 2, 2) if head[i] == 0)
    odd_nuls = sum(1 for i in range(1, pairs * 2, 2) if head[i] == 0)
    # Mostly-ASCII text in UTF-16 has a NUL in nearly every pair, always on the same side.
    if even_nuls > pairs * 0.6 and odd_nuls == 0:
        return "utf-16-be"
    if odd_nuls > pairs * 0.6 and even_nuls == 0:
        return "utf-16-le"
    return None


def _is_japanese(char: str) -> bool:
    code = ord(char)
    return 0x3040 <= code <= 0x30FF or 0x4E00 <= code <= 0x9FFF or 0xFF01 <= code <= 0xFF9F


def _reads_as_japanese(sample: bytes, *, complete: bool) -> bool:
    try:
        text = codecs.getincrementaldecoder("cp932")(errors="strict").decode(sample, complete)
    except UnicodeDecodeError:
        return False
    wide = [c for c in text if ord(c) > 0x7F]
    if not wide or sum(map(_is_japanese, wide)) < 0.8 * len(wide):
        return False
    # Western text can also decode as Shift_JIS by accident; its Windows-1252 reading is
    # then letters (é, ü), while Shift_JIS read as Windows-1252 is symbols (Œ, •, ‰).
    western = [c for c in sample.decode("cp1252", errors="replace") if ord(c) > 0x7F]
    letters = sum(1 for c in western if unicodedata.category(c).startswith("L"))
    return letters < 0.7 * len(western)


def open_text(path: Path) -> tuple[io.TextIOWrapper, str]:
    """Open a text file (CSV) with its sniffed codec; `newline=""` as the csv module wants."""
    raw = path.open("rb")
    sample, complete = read_sample(raw)
    codec = sniff(sample, complete=complete)
    return io.TextIOWrapper(raw, encoding=codec, errors="strict", newline=""), codec


def iter_byte_lines(path: Path) -> tuple[Iterator[bytes], str]:
    """Physical lines as bytes without their line ends, and the codec sniffed for them.

    UTF-16 files are transcoded to UTF-8 so callers can work on ASCII-compatible bytes
    (vCard 2.1 mixes charsets per property, so vCards are decoded property by property).
    Lines end in LF, CRLF, CR CR LF (iOS 6) or, when the file has no LF at all, CR.
    """
    raw = path.open("rb")
    sample, complete = read_sample(raw)
    codec = sniff(sample, complete=complete)
    if codec in UTF16_CODECS:
        return _utf16_lines(raw, codec), "utf-8"
    if b"\n" not in sample and b"\r" in sample:
        return _cr_lines(raw), codec
    return _lf_lines(raw, strip_bom=codec == "utf-8-sig"), codec


def _utf16_lines(raw: BinaryIO, codec: str) -> Iterator[bytes]:
    with io.TextIOWrapper(raw, encoding=codec, errors="replace", newline=None) as text:
        for line in text:
            yield line.rstrip("\n").encode("utf-8")


def _lf_lines(raw: BinaryIO, *, strip_bom: bool) -> Iterator[bytes]:
    with raw:
        for number, line in enumerate(raw):
            if number == 0 and strip_bom:
                line = line.removeprefix(codecs.BOM_UTF8)  # noqa: PLW2901
            yield line.rstrip(b"\r\n")


def _cr_lines(raw: BinaryIO) -> Iterator[bytes]:
    # The unfinished line is kept as parts, joined once: a huge line stays linear.
    with raw:
        pending: list[bytes] = []
        for chunk in iter(lambda: raw.read(SAMPLE_SIZE), b""):
            first, *rest = chunk.split(b"\r")
            pending.append(first)
            if rest:
                yield b"".join(pending)
                yield from rest[:-1]
                pending = [rest[-1]]
        if any(pending):
            yield b"".join(pending)
