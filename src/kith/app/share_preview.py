"""Who a share file would hold, and who it would hold back and why: nothing written."""

from __future__ import annotations

from dataclasses import dataclass

from kith.app import reports
from kith.app.garden import Garden
from kith.core.model import Stage


@dataclass(frozen=True)
class SharePreview:
    """Who a share file would hold at a stage, and who would be held back and why."""

    min_stage: Stage
    shared: list[str]
    held_back: list[dict[str, str]]


def preview(garden: Garden, min_stage: str = "trusted") -> SharePreview:
    """Who `kith share` would export and who it would hold back, and why; nothing written."""
    stage = reports.share_stage(min_stage)
    with garden.reading() as conn:
        contacts, held = reports.vetted(conn, garden, stage)
    return SharePreview(stage, [str(contact["name"]) for contact in contacts], held)
