"""Pre-normalise one card's raw lines into plain vCard 3.0 text that vobject reads well.

Small fixes for what real clients write and vobject chokes on or misreads, each one
line of code below:

- folding: continuation lines start with a space or tab; 2.1 base64 and some exporters
  continue without indentation, so a line that is not `NAME[;params]:` continues the last;
- quoted-printable (2.1): a value ending in `=` goes on on the next line whatever that line
  starts with (a soft break); the value is decoded here, not by vobject;
- charsets: 2.1 mixes them per property (`CHARSET=SHIFT_JIS`, `windows-1252`); values are
  decoded property by property, without CHARSET from UTF-8, else the file's legacy codec;
- `#` comment lines (old Android) are dropped;
- only the properties kith uses are kept, so photos, keys, sounds and X- blobs (base64,
  embedded XML) never reach the parser; Android's nickname row becomes NICKNAME;
- an unescaped comma in a single-valued text (Gmail's `FN:Richter, James`) is escaped:
  vobject would otherwise keep only the text before it;
- VERSION becomes 3.0: vobject only knows 3.0 and reads 2.1/4.0 text the same way.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import quopri
import re
from collections.abc import Sequence
from dataclasses import dataclass

KEPT = frozenset(
    {"FN", "N", "NICKNAME", "EMAIL", "TEL", "ORG", "TITLE", "URL", "NOTE", "CATEGORIES"}
    | {"BDAY", "UID"}
)
_LISTS = frozenset({"N", "NICKNAME", "CATEGORIES"})  # commas separate values there
_PROPERTY = re.compile(rb"^(?:[A-Za-z0-9_-]+\.)?[A-Za-z0-9_-]+[ \t]*[;:]")
_QP_HEAD = re.compile(rb"quoted-printable", re.IGNORECASE)
_BARE_PARAM = re.compile(r"^[A-Za-z0-9-]+$")
_ANDROID_NICKNAME = "vnd.android.cursor.item/nickname"
# The biggest single property kith reads (a name, a note, a list of categories). Far past
# any real contact's note, and it keeps one hostile card from holding the parser (vobject
# spends about 2 s per MB of one value): a bigger one is refused with its line.
MAX_FIELD_BYTES = 100_000
_HEAD_BYTES = 1000  # a property's name and parameters are looked for in its first bytes


@dataclass(frozen=True)
class Normalised:
    text: str
    start: int
    # The file's line for each kept property, by lower-case name in order: vobject keeps
    # that order per name, and its own lineNumber counts CR and LF apart, so is no use.
    lines: dict[str, list[int]]

    def line_of(self, name: str, index: int) -> int:
        """The file line of the `index`-th `name` property vobject returned."""
        numbers = self.lines.get(name, [])
        return numbers[index] if index < len(numbers) else self.start


@dataclass(frozen=True)
class _Property:
    group: str
    name: str
    params: list[str]
    value: bytes


class FieldTooLarge(ValueError):
    """One property kith keeps is bigger than MAX_FIELD_BYTES: the card is refused."""

    def __init__(self, line: int, name: str, size: int) -> None:
        super().__init__(
            f"{name} is {size:,} bytes long, over the {MAX_FIELD_BYTES:,}-byte limit for one"
            " field; the card was skipped"
        )
        self.line = line
        self.name = name


def _name_of(head: bytes) -> str:
    found = _PROPERTY.match(head)
    whole = found.group(0)[:-1].strip() if found else b""
    return whole.rpartition(b".")[2].decode("ascii", "replace").upper()


def normalise(lines: Sequence[tuple[int, bytes]], start: int, codec: str) -> Normalised:
    """The card as 3.0 text; FieldTooLarge if a property kith keeps is over the limit."""
    out = ["BEGIN:VCARD", "VERSION:3.0"]
    numbers: dict[str, list[int]] = {}
    for logical in _logical_lines(lines):
        number = logical.number
        if logical.size > MAX_FIELD_BYTES:
            name = _name_of(logical.parts[0][:_HEAD_BYTES])
            if name in KEPT or name == "X-ANDROID-CUSTOM":
                raise FieldTooLarge(number, name, logical.size)
            continue  # a photo or a key: never read, whatever its size
        rendered = _render(_split(logical.text()), codec)
        if rendered is not None:
            name, text = rendered
            out.append(text)
            numbers.setdefault(name.lower(), []).append(number)
    out.append("END:VCARD")
    return Normalised("\r\n".join(out) + "\r\n", start, numbers)


def _is_qp(head: bytes) -> bool:
    return bool(_QP_HEAD.search(head.split(b":", 1)[0]))


class _Logical:
    """One property's physical lines, joined once at the end: appending stays linear."""

    __slots__ = ("number", "parts", "qp", "size")

    def __init__(self, number: int, first: bytes) -> None:
        self.number = number
        self.parts = [first]
        self.size = len(first)
        # Quoted-printable is declared in the head, on the property's first line.
        self.qp = _is_qp(first[:_HEAD_BYTES]) if b":" in first[:_HEAD_BYTES] else False

    def add(self, part: bytes) -> None:
        self.parts.append(part)
        self.size += len(part)

    def ends_soft(self) -> bool:
        """A quoted-printable value ending in "=": the next line goes on with it."""
        return self.qp and self.parts[-1].endswith(b"=")

    def drop_soft_break(self) -> None:
        self.parts[-1] = self.parts[-1][:-1]
        self.size -= 1

    def text(self) -> bytes:
        return b"".join(self.parts)


def _logical_lines(lines: Sequence[tuple[int, bytes]]) -> list[_Logical]:
    """Unfold, join quoted-printable soft breaks and stray continuations, drop comments.

    Linear in the input: each physical line is appended once, each property joined once.
    """
    out: list[_Logical] = []
    soft_break = False
    for number, line in lines:
        if soft_break:  # the last value ended in "=": this line goes on with it, as it is
            out[-1].drop_soft_break()
            out[-1].add(line)
            soft_break = line.endswith(b"=")
            continue
        if not line.strip():
            continue
        if line[:1] in (b" ", b"\t") and out:
            out[-1].add(line[1:])
        elif _PROPERTY.match(line):
            out.append(_Logical(number, line))
        elif line.startswith(b"#"):
            continue
        elif out:
            out[-1].add(line)
        if out:
            soft_break = out[-1].ends_soft()
    return out


def _split_unquoted(text: bytes, separator: int, limit: int = -1) -> list[bytes]:
    """Split on a byte outside double quotes (quoted parameter values may hold ; and :)."""
    parts, current, quoted = [], bytearray(), False
    for byte in text:
        if byte == 0x22:  # "
            quoted = not quoted
        if byte == separator and not quoted and limit != 0:
            parts.append(bytes(current))
            current = bytearray()
            limit -= 1
        else:
            current.append(byte)
    parts.append(bytes(current))
    return parts


def _split(line: bytes) -> _Property:
    head, _, value = line.partition(b":")
    if b'"' in head:  # a quoted parameter may contain ":"
        parts = _split_unquoted(line, 0x3A, limit=1)
        # A quote left open swallows every ":" after it: then the first ":" ends the name,
        # as it would without quotes (found by tests/integration/test_import_fuzz.py).
        if len(parts) == 2:
            head, value = parts
    name, *params = _split_unquoted(head, 0x3B)
    group, _, bare = name.strip().rpartition(b".")
    return _Property(
        group=group.decode("ascii", "replace"),
        name=bare.decode("ascii", "replace").upper(),
        params=[p.decode("utf-8", "replace").strip() for p in params],
        value=value,
    )


def _render(prop: _Property, codec: str) -> tuple[str, str] | None:
    """The property's name and its one 3.0 line, or None when kith does not use it."""
    name, params, value = prop.name, prop.params, prop.value
    if name == "X-ANDROID-CUSTOM":
        name, params, value = _android_nickname(value)
    if name not in KEPT:
        return None
    text = _decode(value, params, codec)
    text = re.sub(r"\r\n|\r|\n", r"\\n", text)
    if name not in _LISTS:
        text = re.sub(r"(?<!\\),", r"\\,", text)
    kept = ";".join(p for p in params if _keep_param(p))
    group = f"{prop.group}." if prop.group else ""
    return name, f"{group}{name}{';' + kept if kept else ''}:{text}"


def _android_nickname(value: bytes) -> tuple[str, list[str], bytes]:
    """Android 2.1 writes a nickname as X-ANDROID-CUSTOM:vnd...nickname;NAME;..."""
    kind, _, rest = value.partition(b";")
    if kind.decode("ascii", "replace") == _ANDROID_NICKNAME:
        return "NICKNAME", [], rest.split(b";", 1)[0]
    return "X-ANDROID-CUSTOM", [], value


def _param(params: list[str], key: str) -> str | None:
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().upper() == key:
            return value.strip().strip('"')
    return None


def _encoding(params: list[str]) -> str | None:
    declared = (_param(params, "ENCODING") or "").upper()
    bare = {p.upper() for p in params if "=" not in p}
    if declared in ("QUOTED-PRINTABLE", "QP") or "QUOTED-PRINTABLE" in bare:
        return "qp"
    if declared in ("B", "BASE64") or "BASE64" in bare:
        return "base64"
    return None


def _decode(value: bytes, params: list[str], codec: str) -> str:
    encoding = _encoding(params)
    data = value
    if encoding == "qp":
        data = quopri.decodestring(value)
    elif encoding == "base64":
        try:
            data = base64.b64decode(value)
        except (binascii.Error, ValueError):
            data = value
    return _text(data, _param(params, "CHARSET"), codec)


def _text(data: bytes, charset: str | None, codec: str) -> str:
    """Decode with the declared charset, else UTF-8, else the file's legacy codec.

    Declared charsets lie too (Thunderbird sync writes CHARSET=UTF-8 over Latin-1 bytes),
    so a declared charset that does not decode cleanly falls through to the guesses.
    """
    fallback = codec if codec not in ("utf-8", "utf-8-sig") else "cp1252"
    for candidate in (charset, "utf-8"):
        if candidate:
            try:
                return data.decode(codecs.lookup(candidate).name)
            except (LookupError, UnicodeDecodeError):
                continue
    return data.decode(fallback, errors="replace")


def _keep_param(param: str) -> bool:
    """TYPE and PREF help no one here but are harmless; encodings are already applied."""
    name = param.partition("=")[0].strip().upper()
    if name in ("ENCODING", "CHARSET", "QUOTED-PRINTABLE", "BASE64", "8BIT"):
        return False
    return name in ("TYPE", "PREF") or bool(_BARE_PARAM.match(param))
