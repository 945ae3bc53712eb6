"""What the actions on the whole garden report: forget, merge, share and doctor.

Shaped once here; the CLI prints these (`--json` through `documents.to_json`) and the API
answers with them. Only the standard library is imported at run time, so the CLI can name
these types without loading the store.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the builders' inputs
    from kith.app.doctor import Checkup
    from kith.app.merging import Merged
    from kith.app.people import Forgotten
    from kith.app.reports import ShareReport


@dataclass(frozen=True)
class ForgetView:
    """Who was forgotten, and how many rows of each kind went with them."""

    id: int
    name: str
    removed: dict[str, int]

    @classmethod
    def of(cls, gone: Forgotten) -> ForgetView:
        """The view of one forgetting."""
        return cls(gone.person_id, gone.name, dict(gone.removed))


@dataclass(frozen=True)
class PersonRef:
    """A person named with their id."""

    id: int
    name: str


@dataclass(frozen=True)
class MergeView:
    """What merging B into A filled, moved and dropped, and the notes on what was dropped."""

    kept: PersonRef
    gone: PersonRef
    filled: tuple[str, ...]
    moved: dict[str, int]
    dropped: dict[str, int]
    notes: tuple[str, ...]

    @classmethod
    def of(cls, merged: Merged) -> MergeView:
        """The view of one merge."""
        return cls(
            kept=PersonRef(merged.kept_id, merged.kept),
            gone=PersonRef(merged.gone_id, merged.gone),
            filled=tuple(merged.filled),
            moved=dict(merged.moved),
            dropped=dict(merged.dropped),
            notes=tuple(merged.notes),
        )


@dataclass(frozen=True)
class HeldBack:
    """Someone a share leaves out, and why."""

    name: str
    why: str


@dataclass(frozen=True)
class ShareView:
    """What `kith share` wrote: how many were shared, who was held back and why, and where."""

    shared: int
    held_back: tuple[HeldBack, ...]
    file: str

    @classmethod
    def of(cls, report: ShareReport) -> ShareView:
        """The view of a written share file."""
        held = tuple(HeldBack(h["name"], h["why"]) for h in report.held_back)
        return cls(report.shared, held, str(report.path))


@dataclass(frozen=True)
class FactsCheck:
    """Whether the kept facts are kept, who drifted from the history, how many were rebuilt."""

    kept: bool
    drift: tuple[PersonRef, ...]
    rebuilt: int | None


@dataclass(frozen=True)
class CheckupView:
    """What `kith doctor` found: the database's integrity and the kept facts."""

    ok: bool
    integrity: tuple[str, ...] | None  # None: not SQLite (PostgreSQL keeps its own)
    facts: FactsCheck

    @classmethod
    def of(cls, found: Checkup) -> CheckupView:
        """The view of a checkup."""
        drift = tuple(PersonRef(pid, name) for pid, name in found.drift)
        integrity = None if found.integrity is None else tuple(found.integrity)
        return cls(found.ok, integrity, FactsCheck(found.kept, drift, found.rebuilt))
