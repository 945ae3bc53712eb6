"""Mutated backups: each is refused naming a path, or restores and every read works.

The mutations start from the demo garden's backup and change one or two values anywhere
(a field of me, a person or a history row, or a new snooze) to values a hostile or broken
file might hold. Whatever the restore accepts must then survive every read command.
"""

from __future__ import annotations

import itertools
import re
from datetime import date
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kith.app.errors import KithError
from kith.app.garden import open_garden
from kith.app.importing import import_file
from kith.settings import Settings
from tests.conftest import TODAY
from tests.integration._backups import demo_backup, read_everything, write

SECTIONS = ("me", "people", "interactions", "exchanges", "asks", "breaches", "intros", "snoozes")
WORDS = ["active", "pruned", "given", "received", "me", "them", "small", "large", "made", "asked",
         "meeting", "call", "advice", "intro", "yes", "open", "seed", "zombie"]  # fmt: skip
DATES = ["2026-11-27", "2026-11-28", "1900-01-01", "1899-12-31", "2026-02-30", "0001-01-01",
         "9999-12-31", "2026-1-5", "20261127", "2025-06-15"]  # fmt: skip

values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 45),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(WORDS + DATES),
    st.text(max_size=12),
    st.text(st.characters(max_codepoint=0x9F), max_size=6),
    st.sampled_from(["x" * 300, "x" * 301, "ß" * 151, " ", "a@b.example", "+49 30 1234567"]),
    st.lists(st.text(max_size=8), max_size=4),
    st.lists(st.lists(st.integers(), max_size=2), max_size=2),
    st.dictionaries(st.text(max_size=4), st.integers(), max_size=2),
)


LETTERS = st.characters(blacklist_categories=("Cs", "Cc"))


def like(original: object) -> st.SearchStrategy[Any]:
    """Values of the original's kind that a valid backup could hold, so many files restore."""
    if isinstance(original, bool):
        return st.booleans()
    if isinstance(original, int):
        return st.integers(1, 45) | st.integers(1, 3650)
    if isinstance(original, list):
        return st.lists(st.text(LETTERS, min_size=1, max_size=10), max_size=5)
    if isinstance(original, str) and original in WORDS:
        return st.sampled_from(WORDS)
    if isinstance(original, str) and original[:2] in ("19", "20") and len(original) == 10:
        return st.dates(date(1900, 1, 1), TODAY).map(date.isoformat)
    return st.text(LETTERS, min_size=1, max_size=30)


@st.composite
def mutations(draw: st.DrawFn) -> list[tuple[str, int, str, Any]]:
    document = demo_backup(Path("/nonexistent"))  # already made by the test: no I/O here
    chosen = []
    for _ in range(draw(st.integers(1, 2))):
        section = draw(st.sampled_from(SECTIONS))
        rows = document[section]
        if section == "me" or not rows:
            template = document["me"] if section == "me" else {"person_id": 1, "until": DATES[0]}
            index = -1
        else:
            index = draw(st.integers(0, len(rows) - 1))
            template = rows[index]
        key = draw(st.sampled_from([*sorted(template), "extra"]))
        plausible = like(template.get(key))  # three draws in four: mostly files that restore
        chosen.append(
            (section, index, key, draw(st.one_of(plausible, plausible, plausible, values)))
        )
    return chosen


def _apply(document: dict[str, Any], changes: list[tuple[str, int, str, Any]]) -> None:
    for section, index, key, value in changes:
        if section == "me":
            document["me"][key] = value
        elif index == -1:
            document[section].append({"person_id": 1, "until": DATES[0], key: value})
        else:
            document[section][index][key] = value


NAMED = re.compile(r"(me|people|interactions|exchanges|asks|breaches|intros|snoozes)[\[.]")
accounts = itertools.count()


def test_every_mutated_backup_is_refused_by_path_or_restores_and_reads(
    database_url: str, tmp_path: Path
) -> None:
    demo_backup(tmp_path)
    outcomes = {"refused": 0, "restored": 0}

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(mutations())
    def restore_and_read(changes: list[tuple[str, int, str, Any]]) -> None:
        document = demo_backup(tmp_path)
        _apply(document, changes)
        path = write(document, tmp_path / "mutated.json")
        account = f"fuzz-{next(accounts)}"
        garden = open_garden(Settings(database_url=database_url, account=account), TODAY)
        try:
            try:
                import_file(garden, "json", path)
            except KithError as refused:
                message = str(refused)
            else:
                message = ""
            if message:
                assert NAMED.search(message), message
                outcomes["refused"] += 1
                return
            outcomes["restored"] += 1
            read_everything(garden, tmp_path)
        finally:
            garden.engine.dispose()

    restore_and_read()
    assert outcomes["refused"] and outcomes["restored"], outcomes
