"""Terminal safety: text from the garden never drives the terminal.

A name imported from a vCard or posted to the API can hold ESC sequences (`\\x1b[31m`,
a cursor move, a window title, OSC 8 links), other C0 and C1 controls (a carriage return
that overwrites the line before it) or bidi overrides (U+202E, which reorders what follows,
the "Trojan Source" trick). Every human-readable line the CLI prints goes through one
`SafeConsole`, which shows each such character as a visible escape (`\\x1b`, `\\u202e`)
instead of sending it. Rich's own styling is unaffected: it lives in the segments' styles
and in control segments (progress bars, cursor moves), never in their text.
JSON output is not touched: `json.dumps` escapes every C0 control already, and scripts
read the values as stored.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from rich.console import Console, ConsoleOptions, RenderableType
from rich.segment import Segment
from rich.text import Text

# C0 controls but tab and newline, DEL, C1 controls, and the Unicode bidi controls:
# embeddings and overrides (U+202A-U+202E), isolates (U+2066-U+2069) and the marks
# (U+200E, U+200F, U+061C), which can flip how a line reads without being seen.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def neutralise(text: str) -> str:
    """`text` with every control and bidi character shown as an escape, never sent raw."""
    return _UNSAFE.sub(_visible, text)


class SafeConsole(Console):
    """A Rich console whose printed text cannot carry control characters to the terminal.

    Text is neutralised before layout, so tables measure what is shown; the segments are
    checked once more on the way out for anything a renderable made up itself.
    """

    def render_str(self, text: str, **kwargs: Any) -> Text:
        return super().render_str(neutralise(text), **kwargs)

    def render(
        self, renderable: RenderableType, options: ConsoleOptions | None = None
    ) -> Iterable[Segment]:
        if isinstance(renderable, Text) and _UNSAFE.search(renderable.plain):
            renderable = _safe_text(self, renderable)
        for segment in super().render(renderable, options):
            if segment.control or not _UNSAFE.search(segment.text):
                yield segment
            else:
                yield Segment(neutralise(segment.text), segment.style, segment.control)


def _safe_text(console: Console, text: Text) -> Text:
    """The same Text, styles and all, with each styled run neutralised."""
    safe = Text(
        justify=text.justify,
        overflow=text.overflow,
        no_wrap=text.no_wrap,
        end=text.end,
        tab_size=text.tab_size,
        style=text.style,
    )
    for segment in text.render(console, end=""):
        if not segment.control:
            safe.append(neutralise(segment.text), segment.style)
    return safe
