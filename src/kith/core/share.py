"""Vetting a network before sharing it: a defective contact exposes everyone you share with.

Only people you can vouch for leave: trusted by default (growing at the lowest), never a
seed, a weed, a pruned person or anyone with an unresolved breach. What leaves is public
and professional: no notes ever, and emails, phones and links only with the person's
consent. Every person held back gets a reason, for the risk report.
"""

from __future__ import annotations

from typing import Any

from kith.core.lifecycle import Verdict
from kith.core.model import Person, PersonState, Stage
from kith.core.scores import strength_band

# How far each stage vouches, for comparing against the minimum asked for.
_RANK = {Stage.SEED: 0, Stage.GROWING: 1, Stage.TRUSTED: 2}
SHAREABLE_MIN_STAGES = (Stage.GROWING, Stage.TRUSTED)


def vet(person: Person, verdict: Verdict, min_stage: Stage = Stage.TRUSTED) -> tuple[bool, str]:
    """(shareable, why): may this person leave in a shared network, and the reason."""
    if min_stage not in SHAREABLE_MIN_STAGES:
        raise ValueError(f"min_stage must be growing or trusted, not {min_stage.value}")
    held = _held_back(person, verdict, min_stage)
    if held:
        return False, held
    quiet = ", quiet lately" if verdict.stage is Stage.DORMANT else ""
    return True, f"{verdict.grown.value}{quiet}: you can vouch for them"


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
    quiet = ", quiet lately" if verdict.stage is Stage.DORMANT else ""
    return f"{verdict.grown.value}{quiet}, {strength_band(verdict.strength.value)}"


def _held_back(person: Person, verdict: Verdict, min_stage: Stage) -> str:
    if person.state is PersonState.PRUNED or verdict.stage is Stage.PRUNED:
        return "pruned: no longer part of your network"
    if verdict.stage is Stage.WEED:
        first = verdict.reasons[0] if verdict.reasons else "a defect"
        return f"flagged as a weed ({first})"
    if verdict.open_breaches:
        return "an unresolved breach of trust"
    if verdict.grown is Stage.SEED:
        return "a seed: you do not know them well enough yet to vouch for them"
    if _RANK[verdict.grown] < _RANK[min_stage]:
        return f"{verdict.grown.value}, not yet {min_stage.value}"
    return ""
