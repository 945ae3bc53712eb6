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


def normalise(lines: Sequence[tuple[int, bytes]], start: int, codec: str) -> Normalised:
    out = ["BEGIN:VCARD", "VERSION:3.0"]
    numbers: dict[str, list[int]] = {}
    for number, line in _logical_lines(lines):
        rendered = _render(_split(line), codec)
        if rendered is not None:
            name, text = rendered
            out.append(text)
            numbers.setdefault(name.lower(), []).append(number)
    out.append("END:VCARD")
    return Normalised("\r\n".join(out) + "\r\n", start, numbers)


def _is_qp(line: bytes) -> bool:
    head = line.split(b":", 1)[0]
    return bool(_QP_HEAD.search(head))


def _logical_lines(lines: Sequence[tuple[int, bytes]]) -> list[tuple[int, bytes]]:
    """Unfold, join quoted-printable soft breaks and stray continuations, drop comments."""
    out: list[tuple[int, bytes]] = []
    soft_break = False
    for number, line in lines:
        if soft_break:  # the last value ended in "=": this line goes on with it, as it is
            first, text = out[-1]
            out[-1] = (first, text[:-1] + line)
            soft_break = line.endswith(b"=")
            continue
        if not line.strip():
            continue
        if line[:1] in (b" ", b"\t") and out:
            out[-1] = (out[-1][0], out[-1][1] + line[1:])
        elif _PROPERTY.match(line):
            out.append((number, line))
        elif line.startswith(b"#"):
            continue
        elif out:
            out[-1] = (out[-1][0], out[-1][1] + line)
        if out:
            soft_break = out[-1][1].endswith(b"=") and _is_qp(out[-1][1])
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
        head, value = _split_unquoted(line, 0x3A, limit=1)
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
