"""What a line of quick capture would save, or saved: one view for the CLI, the API and the page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from kith.app.result_views import PersonRef
from kith.core.model import InteractionKind


class QuickAction(StrEnum):
    """What a line becomes: a new person, a contact with a known one, an introduction."""

    SEED = "seed"
    LOG = "log"
    INTRO = "intro"


@dataclass(frozen=True)
class QuickCaptureView:
    """A quick capture, before (`saved` false) or after saving.

    `person` is who the line is about once known (the one resolved for a log, the one planted
    by a saved seed, the first of an introduction); `other` is the second of an introduction.
    `tags` are a seed's interests or a log's topics. When the name could mean several people,
    `candidates` lists them and `problem` says why nothing can be saved as written.
    """

    text: str
    action: QuickAction
    saved: bool
    summary: str
    name: str
    person: PersonRef | None
    other: PersonRef | None
    kind: InteractionKind | None
    on: date
    met: str | None
    tags: tuple[str, ...]
    note: str | None
    candidates: tuple[PersonRef, ...]
    problem: str | None

    @property
    def extra_note(self) -> str | None:
        """The note to show beside the summary (an introduction's why is in it already)."""
        return None if self.action is QuickAction.INTRO else self.note

    @property
    def ready(self) -> bool:
        """Whether saving would go ahead (no ambiguity left)."""
        return self.problem is None
