"""Checking the garden: the database's integrity, and the kept facts against the history."""

from __future__ import annotations

from dataclasses import dataclass

from kith.app.garden import Garden
from kith.store import db, kept_facts
from kith.store.people import load_people


@dataclass(frozen=True)
class Checkup:
    """What `kith doctor` found, and what it mended."""

    integrity: list[str] | None  # SQLite's findings ([] when sound); None: not SQLite
    kept: bool  # are the garden's facts kept on write?
    drift: list[tuple[int, str]]  # (id, name) of people whose kept facts differ from a rebuild
    rebuilt: int | None  # rows rebuilt (with --rebuild-facts), else None

    @property
    def ok(self) -> bool:
        """Sound database, and kept facts equal to the history (or rebuilt from it)."""
        sound = not self.integrity
        return sound and self.kept and (not self.drift or self.rebuilt is not None)


def doctor(garden: Garden, *, rebuild_facts: bool = False) -> Checkup:
    """Check the database and the kept facts; with `rebuild_facts`, rebuild them after."""
    with garden.transaction() as conn:
        integrity = db.integrity_problems(conn)
        kept = kept_facts.kept_key(conn, garden.account_id) is not None
        drifted = kept_facts.drift(conn, garden.account_id)
        found = load_people(conn, garden.account_id, drifted) if drifted else []
        names = {p.id: p.name for p in found}
        rebuilt = None
        if rebuild_facts:
            rebuilt = kept_facts.rebuild(conn, garden.account_id, garden.rules)
            kept = True
    return Checkup(
        integrity=integrity,
        kept=kept,
        drift=[(pid, names.get(pid, "(gone)")) for pid in drifted],
        rebuilt=rebuilt,
    )
