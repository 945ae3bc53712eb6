"""What `show` and `list` present: a person's profile and timeline, and the garden's list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from kith.app import inputs, judging
from kith.app.garden import Garden
from kith.core.lifecycle import Verdict, with_mending_story
from kith.core.model import Direction, History, PersonState, Stage
from kith.core.tag_filter import has_tag
from kith.core.tags import load_vocabulary
from kith.store import history as history_store
from kith.store import people as people_store


@dataclass(frozen=True)
class Profile:
    """A person's whole history, their verdict, and who introduced them."""

    history: History
    verdict: Verdict
    via_name: str | None


def show(garden: Garden, reference: str) -> Profile:
    """The profile of the person `reference` names (`kith show`)."""
    with garden.reading() as conn:
        person_id = inputs.resolve(conn, garden.account_id, reference)
        person = people_store.load_people(conn, garden.account_id, ids=[person_id])[0]
        history = history_store.load_history(conn, garden.account_id, person)
        verdict = judging.judge_people(conn, garden, [person])[person_id]
        verdict = with_mending_story(verdict, history.breaches, garden.today)
        via = (
            people_store.load_people(conn, garden.account_id, ids=[person.via_id])
            if person.via_id is not None
            else []
        )
        return Profile(history, verdict, via[0].name if via else None)


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def timeline(history: History) -> list[dict[str, Any]]:
    """Every event with this person, newest first."""
    events: list[dict[str, Any]] = []
    for i in history.interactions:
        events.append(
            {
                "on": i.on,
                "type": "interaction",
                "kind": i.kind.value,
                "by": i.by.value,
                "unanswered": i.unanswered,
                "topics": list(i.topics),
                "note": i.note,
            }
        )
    for e in history.exchanges:
        events.append(
            {
                "on": e.on,
                "type": e.direction.value,
                "what": e.what,
                "kind": e.kind.value,
                "weight": e.weight,
            }
        )
    for a in history.asks:
        events.append(
            {
                "on": a.on,
                "type": "ask",
                "what": a.what,
                "size": a.size.value,
                "pitch": a.pitch,
                "ready": a.ready,
                "outcome": a.outcome.value,
            }
        )
    for b in history.breaches:
        events.append(
            {
                "on": b.on,
                "type": "breach",
                "what": b.what,
                "resolved_on": _iso(b.resolved_on),
                "resolution": b.resolution,
            }
        )
    for t in history.their_asks:
        events.append(
            {
                "on": t.on,
                "type": "their_pitch" if t.pitch else "their_ask",
                "what": t.what,
                "premature": t.premature,
            }
        )
    for intro in history.intros:
        events.append(
            {"on": intro.proposed_on, "type": "intro", "state": intro.state.value, "why": intro.why}
        )
    events.sort(key=lambda event: event["on"], reverse=True)
    return [{**event, "on": event["on"].isoformat()} for event in events]


def counts(history: History) -> dict[str, int]:
    """How many interactions, gifts, asks, breaches and intros a history holds."""
    return {
        "interactions": len(history.interactions),
        "given": sum(1 for e in history.exchanges if e.direction is Direction.GIVEN),
        "received": sum(1 for e in history.exchanges if e.direction is Direction.RECEIVED),
        "asks": len(history.asks),
        "breaches": len(history.breaches),
        "intros": len(history.intros),
        "their_asks": len(history.their_asks),
    }


def profile_json(profile: Profile) -> dict[str, Any]:
    """The contract's `show` document; more keys are welcome, these are fixed."""
    person = profile.history.person
    verdict = profile.verdict
    return {
        "id": person.id,
        "name": person.name,
        "stage": verdict.stage.value,
        "strength": round(verdict.strength.value, 3),
        "trust": round(verdict.trust.value, 3),
        "trust_uncertainty": round(verdict.trust.uncertainty, 3),
        "balance": verdict.balance,
        "next_feed": _iso(verdict.next_feed),
        "interests": list(person.interests),
        "needs": list(person.needs),
        "offers": list(person.offers),
        "reasons": list(verdict.reasons),
        "strength_reasons": list(verdict.strength.reasons),
        "trust_reasons": list(verdict.trust.reasons),
        "cadence": verdict.cadence_days,
        "emails": list(person.emails),
        "phones": list(person.phones),
        "links": list(person.links),
        "company": person.company,
        "title": person.title,
        "met_where": person.met_where,
        "met_on": _iso(person.met_on),
        "birthday": _iso(person.birthday),
        "via": profile.via_name,
        "note": person.note,
        "cadence_days": person.cadence_days,
        "consent_share": person.consent_share,
        "state": person.state.value,
        "pruned_reason": person.pruned_reason,
        "counts": counts(profile.history),
        "timeline": timeline(profile.history),
    }


@dataclass(frozen=True)
class ListedPerson:
    """One line of `kith list`: who, their stage and company."""

    id: int
    name: str
    stage: Stage
    company: str | None


def list_people(
    garden: Garden, stage: str | None = None, interest: str | None = None
) -> list[ListedPerson]:
    """Everyone but the pruned (unless asked for), optionally of one stage or interest."""
    wanted = inputs.choice("stage", stage, Stage) if stage else None
    states = [PersonState.PRUNED] if wanted is Stage.PRUNED else [PersonState.ACTIVE]
    with garden.reading() as conn:
        people = people_store.load_people(conn, garden.account_id, states=states)
        if interest:
            vocab = load_vocabulary()
            people = [p for p in people if has_tag(p.interests, interest, vocab)]
        verdicts = judging.judge_people(conn, garden, people)
    listed = [ListedPerson(p.id, p.name, verdicts[p.id].stage, p.company) for p in people]
    return [item for item in listed if wanted is None or item.stage is wanted]
