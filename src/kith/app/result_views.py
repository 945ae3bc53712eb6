"""What the actions that change the garden report: forgetting a person, merging two.

Shaped once here; the CLI prints these (`--json` through `documents.to_json`) and the API
answers with them. Only the standard library is imported at run time, so the CLI can name
these types without loading the store.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the builders' inputs
    from kith.app.merging import Merged
    from kith.app.people import Forgotten


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
