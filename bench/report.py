"""Write one section of docs/performance.md, leaving the other benchmarks' sections alone."""

from __future__ import annotations

import re
from pathlib import Path

REPORT = Path(__file__).resolve().parent.parent / "docs" / "performance.md"
_HEADER = "# Performance\n\nBenchmarks under `bench/` write their own `## section` here.\n"


def write_section(title: str, body: str, path: Path = REPORT) -> None:
    """Replace the `## title` section (up to the next `## ` heading), or append it."""
    text = path.read_text(encoding="utf-8") if path.exists() else _HEADER
    section = f"## {title}\n\n{body.strip()}\n"
    heading = re.compile(rf"^## {re.escape(title)}[ \t]*$", re.MULTILINE)
    found = heading.search(text)
    if found is None:
        text = f"{text.rstrip()}\n\n{section}"
    else:
        following = re.compile(r"^## ", re.MULTILINE).search(text, found.end())
        end = following.start() if following else len(text)
        rest = text[end:]
        text = text[: found.start()] + section + ("\n" + rest if rest else "")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
