"""One validation at every door: what the CLI stores, a restore accepts (core/limits.py).

Each value over a column's width, or holding a control character, is refused by the CLI
with one line naming its flag, and nothing is written; values at the limit are stored, and
the garden's JSON backup (from SQLite or PostgreSQL) restores into a new SQLite garden.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kith.core import limits
from tests.conftest import Kith

TOO_LONG = [
    (("seed", "A" * (limits.NAME + 1)), "name: is 301 characters long, more than 300"),
    (("seed", "X", "--company", "c" * (limits.COMPANY + 1)), "--company: is 301 characters"),
    (("seed", "X", "--title", "t" * (limits.TITLE + 1)), "--title: is 301 characters"),
    (("seed", "X", "--met", "m" * (limits.MET_WHERE + 1)), "--met: is 301 characters"),
    (("seed", "X", "--email", "e" * 400 + "@example.org"), "--email: is 412 characters"),
    (("seed", "X", "--phone", "+1 " + "5" * 70), "--phone: is 73 characters"),
    (("seed", "X", "--link", "https://x.org/" + "p" * 1000), "--link: is 1014 characters"),
    (("seed", "X", "--interest", "i" * (limits.TAG + 1)), "--interest: is 301 characters"),
    (("seed", "X", "--company", "a\x01b"), "--company: holds a control character (U+0001)"),
    (("seed", "X", "--note", "ok\x1b[31m"), "--note: holds a control character (U+001B)"),
    (("log", "Ana Ruiz", "call", "--topic", "t" * 301), "--topic: is 301 characters"),
    (("give", "Ana Ruiz", "w" * (limits.TEXT + 1)), "what: is 10001 characters"),
    (("breach", "Ana Ruiz", "x\x00y"), "what: holds a control character (U+0000)"),
    (
        ("seed", "X", *[a for n in range(limits.LIST_ITEMS + 1) for a in ("--interest", f"i{n}")]),
        "--interest: holds 201 values, more than 200",
    ),
]


@pytest.mark.parametrize(("args", "message"), TOO_LONG)
def test_a_value_a_restore_would_refuse_is_refused_at_the_door(
    kith: Kith, args: tuple[str, ...], message: str
) -> None:
    kith.ok("seed", "Ana Ruiz")
    refused = kith(*args)
    assert refused.exit_code == 1
    assert message in refused.stderr, refused.stderr
    assert refused.stderr.count("\n") == 1
    assert [p["name"] for p in kith.ok("list", "--json").json()] == ["Ana Ruiz"]


def test_values_at_the_limits_are_stored_and_their_backup_restores(
    kith: Kith, tmp_path: Path
) -> None:
    name = "N" * limits.NAME
    kith.ok(
        "seed",
        name,
        "--company",
        "c" * limits.COMPANY,
        "--note",
        "line one\nline\ttwo " + "n" * 1000,
        "--interest",
        "i" * limits.TAG,
        "--email",
        "e" * (limits.EMAIL - len("@example.org")) + "@example.org",
    )
    kith.ok("give", "#1", "w" * limits.TEXT)
    backup = tmp_path / "garden.json"
    kith.ok("export", "json", str(backup))
    fresh = Kith(f"sqlite:///{tmp_path / 'fresh.db'}", tmp_path)
    fresh.ok("init")
    fresh.ok("restore", str(backup))
    assert [p["name"] for p in fresh.ok("list", "--json").json()] == [name]
