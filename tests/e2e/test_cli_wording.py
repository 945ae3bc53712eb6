"""Counts in the CLI's sentences are never '1 people' or 'removed 1 tags'."""

from __future__ import annotations

import re

from tests.conftest import Kith

# A count of one followed by a plural noun kith uses: the bugs this guards against.
ONE_PLURAL = re.compile(
    r"\b1 (people|tags|interactions|days|pairs|emails|phones|links|breaches|asks|intros"
    r"|introductions|errors|warnings|merges|cards|snoozes|exchanges)\b"
)


def test_one_of_anything_is_singular(kith_sqlite: Kith) -> None:
    kith = kith_sqlite
    planted = kith.ok("seed", "Ana Ruiz", "--interest", "tea", "--cadence", "1").stdout
    outputs = [planted, kith.ok("list").stdout, kith.ok("show", "Ana").stdout]
    assert "1 person" in outputs[1]
    assert "cadence: 1 day" in outputs[2]
    kith.ok("log", "Ana", "call")
    outputs.append(kith.ok("show", "Ana").stdout)
    assert "1 interaction" in outputs[-1]
    outputs.append(kith.ok("snooze", "Ana", "--days", "1").stdout)
    assert "for 1 day" in outputs[-1]
    forgot = kith.ok("forget", "Ana", "--yes").stdout
    assert "removed 1 tag, 1 interaction, 1 snooze" in forgot
    outputs.append(forgot)
    for text in outputs:
        assert not ONE_PLURAL.search(text), text


def test_merge_says_what_moved_in_the_singular(kith_sqlite: Kith) -> None:
    kith_sqlite.ok("seed", "Ana Ruiz", "--email", "ana@example.org")
    kith_sqlite.ok("seed", "Ana R.", "--interest", "tea", "--email", "ana.r@example.org")
    kith_sqlite.ok("log", "Ana R.", "meeting")
    merged = kith_sqlite.ok("merge", "Ana Ruiz", "Ana R.").stdout
    assert "1 tag" in merged and "1 interaction" in merged
    assert not ONE_PLURAL.search(merged), merged
