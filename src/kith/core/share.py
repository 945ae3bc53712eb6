"""Vetting a network before sharing it: a defective contact exposes everyone you share with.

Only people you can vouch for leave: trusted by default (growing at the lowest), never a
seed, a weed, a pruned person or anyone with an unresolved breach. What leaves is public
and professional: no notes ever, and emails, phones and links only with the person's
consent. Every person held back gets a reason, for the risk report.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kith.core.lifecycle import Verdict
from kith.core.model import Person, PersonState, Stage
from kith.core.scores import strength_band

# How far each stage vouches, for comparing against the minimum asked for.
_RANK = {Stage.SEED: 0, Stage.GROWING: 1, Stage.TRUSTED: 2}
SHAREABLE_MIN_STAGES = (Stage.GROWING, Stage.TRUSTED)


@dataclass(frozen=True)
class Standing:
    """What vetting reads of a person's verdict.

    From `lifecycle.judge`, or from the columns of a whole garden's judgement
    (`garden_judgement`), which has no reasons worded.
    """

    stage: Stage
    grown: Stage
    strength: float
    open_breaches: int = 0
    known_days: int = 0
    pruned: bool = False  # the person's state (the verdict's stage says it too)
    weed_reason: str = "a defect"


def standing(person: Person, verdict: Verdict) -> Standing:
    """A person's standing, from their verdict."""
    return Standing(
        stage=verdict.stage,
        grown=verdict.grown,
        strength=verdict.strength.value,
        open_breaches=verdict.open_breaches,
        known_days=verdict.known_days,
        pruned=person.state is PersonState.PRUNED,
        weed_reason=verdict.reasons[0] if verdict.reasons else "a defect",
    )


def vet(person: Person, verdict: Verdict, min_stage: Stage = Stage.TRUSTED) -> tuple[bool, str]:
    """(shareable, why): may this person leave in a shared network, and the reason."""
    return vet_standing(standing(person, verdict), min_stage)


def vet_standing(
    stands: Standing, min_stage: Stage = Stage.TRUSTED, *, once_vouched: bool = False
) -> tuple[bool, str]:
    """`vet` over a standing.

    `once_vouched`: they passed at `min_stage` before (a share vetted again), so falling
    short of it is "no longer", not "not yet".
    """
    if min_stage not in SHAREABLE_MIN_STAGES:
        raise ValueError(f"min_stage must be growing or trusted, not {min_stage.value}")
    held = _held_back(stands, min_stage, once_vouched=once_vouched)
    if held:
        return False, held
    quiet = ", quiet lately" if stands.stage is Stage.DORMANT else ""
    return True, f"{stands.grown.value}{quiet}: you can vouch for them"


def shareable_contact(person: Person, verdict: Verdict) -> dict[str, Any]:
    """The part of a person that may leave: never notes; contact details only by consent."""
    contact: dict[str, Any] = {
        "name": person.name,
        "company": person.company,
        "title": person.title,
        "interests": list(person.interests),
        "offers": list(person.offers),
        "needs": list(person.needs),
        "how_well_known": how_well_known(verdict),
    }
    if person.consent_share:
        contact |= {
            "emails": list(person.emails),
            "phones": list(person.phones),
            "links": list(person.links),
        }
    return contact


def how_well_known(verdict: Verdict) -> str:
    """How well I know someone, in the words a share file gives."""
    return how_well(Standing(verdict.stage, verdict.grown, verdict.strength.value))


def how_well(stands: Standing) -> str:
    """`how_well_known` over a standing: "trusted, a strong tie"."""
    quiet = ", quiet lately" if stands.stage is Stage.DORMANT else ""
    return f"{stands.grown.value}{quiet}, {strength_band(stands.strength)}"


def _held_back(stands: Standing, min_stage: Stage, *, once_vouched: bool) -> str:
    if stands.pruned or stands.stage is Stage.PRUNED:
        return "pruned: no longer part of your network"
    if stands.stage is Stage.WEED:
        return f"flagged as a weed ({stands.weed_reason})"
    if stands.open_breaches:
        return "an unresolved breach of trust"
    if stands.grown is Stage.SEED:
        return "a seed: you do not know them well enough yet to vouch for them"
    if _RANK[stands.grown] < _RANK[min_stage]:
        then = "no longer" if once_vouched else "not yet"
        return f"{stands.grown.value}, {then} {min_stage.value}"
    return ""
