"""Terminal safety: control and bidi characters are shown as escapes, never sent raw."""

from __future__ import annotations

import io

from hypothesis import given
from hypothesis import strategies as st
from rich.text import Text

from kith.cli.terminal import SafeConsole, neutralise

BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
UNSAFE = {chr(c) for c in [*range(0x20), 0x7F, *range(0x80, 0xA0)]} - {"\t", "\n"} | set(BIDI)


def test_escape_sequences_become_visible_text() -> None:
    assert neutralise("Ana \x1b[31mRuiz") == "Ana \\x1b[31mRuiz"
    assert neutralise("over\rwrite") == "over\\x0dwrite"
    assert neutralise("\x9b31m") == "\\x9b31m"  # the one-byte C1 CSI
    assert neutralise("abc\u202edef") == "abc\\u202edef"


def test_tabs_newlines_and_ordinary_text_are_kept() -> None:
    text = "Zoë Ωmega 李雷\tnote\nsecond line — ok ✓"
    assert neutralise(text) == text


@given(st.text())
def test_no_unsafe_character_survives(text: str) -> None:
    assert not set(neutralise(text)) & UNSAFE


def test_the_console_neutralises_strings_text_and_tables_but_keeps_its_styles() -> None:
    out = io.StringIO()
    console = SafeConsole(
        file=out, force_terminal=True, color_system="standard", width=200, highlight=False
    )
    console.print("plain \x1b]0;title\x07", markup=False)
    console.print(Text.assemble(("bold \x1b[2J", "bold"), " \u202eevil"))
    written = out.getvalue()
    assert "\x1b]0;" not in written and "\x1b[2J" not in written and "\u202e" not in written
    assert "\\x1b]0;title\\x07" in written
    assert "\\x1b[2J" in written and "\\u202eevil" in written
    assert "\x1b[1m" in written  # Rich's own bold still reaches the terminal
