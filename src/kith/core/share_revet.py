"""A shared contact vetted again whenever it is read: what its sharer can vouch for today.

The group never sees a judgement that has gone stale.

A share is a snapshot of what `core.share` let leave when it was shared (docs/notes.md,
issue 14). What others see of it is re-vetted against the sharer's judgement of the person
today, by the same rules (`share.vet_standing`) and against the floor the sharer chose then
(trusted by default, growing at the lowest): a contact who has since turned into a weed (a
taker, a breach not made right), been pruned, or whose tie has decayed below that floor is
held back from everyone, and the sharer alone is told why. Nothing is deleted: when the
person passes again (a breach forgiven, contact renewed, restored from pruning) the share is
shown again, as a good networker's word would be. How well the sharer knows them is worded
from today's judgement, and contact details go only while the person still consents.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kith.core.model import Stage
from kith.core.share import Standing, how_well, vet_standing

# Shares made before the floor was kept with them: the lowest stage that vouches (DESIGN.md,
# "vouchable stages only"), so that none of them vanishes for want of a record.
LEGACY_MIN_STAGE = Stage.GROWING
DETAILS = ("emails", "phones", "links")  # what leaves only with the person's consent
GONE = "no longer in your garden"


@dataclass(frozen=True)
class Revetted:
    """A share as it stands today: shown to others or held back (and why, for the sharer)."""

    shown: bool
    why: str  # when held back, the reason; when shown, why they can be vouched for
    how_well_known: str  # today's words: "trusted, a strong tie"
    known_days: int  # how long the sharer has known them, as of today
    contact: dict[str, Any]  # the snapshot as it may leave today


def min_stage_of(contact: Mapping[str, Any]) -> Stage:
    """The floor the sharer vetted this share against."""
    kept = contact.get("min_stage")
    return Stage(kept) if kept else LEGACY_MIN_STAGE


def revet(contact: Mapping[str, Any], stands: Standing | None, *, consent: bool) -> Revetted:
    """Vet a shared snapshot again against the sharer's judgement today.

    `stands` is None when the person is no longer in the sharer's garden; `consent` is
    whether the person consents, today, to their contact details being shared.
    """
    kept = {k: v for k, v in contact.items() if consent or k not in DETAILS}
    if stands is None:
        return Revetted(False, GONE, "", 0, kept)
    shown, why = vet_standing(stands, min_stage_of(contact), once_vouched=True)
    return Revetted(shown, why, how_well(stands), stands.known_days, kept)
