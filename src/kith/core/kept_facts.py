"""Facts kept on write: one person's running totals, folded one event at a time.

`summarize` reads a whole history for one day; a garden of a million interactions cannot
afford that on every read. `KeptFacts` holds the same totals with no `today` in them, so a
write folds its one event in (`with_interaction`, `with_exchange`, ...) and a read turns the
totals into `Facts` for any day on or after the latest event (`facts_on`).

Decayed sums are anchored: each is kept as a total at an anchor day A, the latest event of
its kind, so its value on day T is `total * 2 ** (-(T - A) / h)`. An event at t after A
decays the total to t and becomes the anchor; an earlier one adds `w * 2 ** ((t - A) / h)`.
Every term is at most its weight, so nothing overflows however old the garden grows, and no
row needs rewriting as days pass.
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from itertools import groupby
from operator import itemgetter
from typing import Any

from kith.core.facts import Facts, earliest, known_since, last_contact, latest
from kith.core.model import (
    Ask,
    AskOutcome,
    Breach,
    Direction,
    Exchange,
    History,
    Initiator,
    Interaction,
    InteractionKind,
    TheirAsk,
)
from kith.core.rules import Rules
from kith.core.summarize import is_contact


@dataclass(frozen=True)
class KeptFacts:
    """One person's totals over their whole history, with decayed sums anchored."""

    person_id: int
    latest_on: date | None = None  # the latest date of anything below: reads before it fall back
    interactions: int = 0
    by_me: int = 0
    contacts: int = 0
    first_contact: date | None = None
    last_answered: date | None = None  # the latest contact: anchor of decayed, evidence_contacts
    unanswered_streak: int = 0
    last_outreach: date | None = None
    decayed: tuple[float, ...] = ()  # one per rules.half_lives, anchored at last_answered
    evidence_contacts: float = 0.0
    given_count: int = 0
    given_weight: int = 0
    first_given: date | None = None
    last_intro: date | None = None
    received_count: int = 0
    received_weight: int = 0
    first_received: date | None = None
    last_received: date | None = None  # anchor of evidence_received
    evidence_received: float = 0.0
    breaches: int = 0
    open_breaches: int = 0
    last_open_breach: date | None = None
    last_mended: date | None = None
    asks_open: int = 0
    asks_yes: int = 0
    asks_no: int = 0
    asks_ignored: int = 0
    last_yes: date | None = None  # anchor of evidence_yes
    evidence_yes: float = 0.0
    their_asks: int = 0
    their_pitches: int = 0
    premature_pitches: int = 0
    last_premature_pitch: date | None = None


# The unanswered outreaches already kept, dated after a day: how many, and the latest.
Outreach = tuple[int, date | None]


def anchored_add(
    total: float, anchor: date | None, on: date, weight: float, half_life: float
) -> tuple[float, date]:
    """Add `weight` dated `on` to a sum anchored at `anchor`; the new total and anchor."""
    if anchor is None:
        return weight, on
    if on > anchor:
        return total * math.pow(0.5, (on - anchor).days / half_life) + weight, on
    return total + weight * math.pow(0.5, (anchor - on).days / half_life), anchor


def anchored_value(total: float, anchor: date | None, today: date, half_life: float) -> float:
    """The value on `today` (not before `anchor`) of a sum anchored at `anchor`."""
    if anchor is None:
        return 0.0
    return total * math.pow(0.5, (today - anchor).days / half_life)


def needs_outreach_after(kept: KeptFacts, item: Interaction) -> bool:
    """Does folding `item` in need the outreaches kept after its day (`Outreach`)?

    A contact later than every other one ends the run of unanswered outreach at its day:
    only the outreaches dated after it stay in the run, and only the history knows them.
    """
    return is_contact(item) and (kept.last_answered is None or item.on > kept.last_answered)


def with_interaction(
    kept: KeptFacts, item: Interaction, rules: Rules, after: Outreach = (0, None)
) -> KeptFacts:
    """Fold in one interaction; `after` as `needs_outreach_after` says (else ignored)."""
    changes: dict[str, object] = {
        "interactions": kept.interactions + 1,
        "by_me": kept.by_me + (item.by is Initiator.ME),
        "first_contact": earliest(kept.first_contact, item.on),
        "latest_on": latest(kept.latest_on, item.on),
    }
    if is_contact(item):
        weight = rules.weight(item.kind)
        sums = [0.0] * len(rules.half_lives) if not kept.decayed else list(kept.decayed)
        decayed = []
        for total, half_life in zip(sums, rules.half_lives, strict=True):
            decayed.append(anchored_add(total, kept.last_answered, item.on, weight, half_life)[0])
        evidence = rules.contact_evidence(item.by is Initiator.THEM)
        changes["evidence_contacts"], changes["last_answered"] = anchored_add(
            kept.evidence_contacts, kept.last_answered, item.on, evidence, rules.trust_half_life
        )
        changes["decayed"] = tuple(decayed)
        changes["contacts"] = kept.contacts + 1
        if needs_outreach_after(kept, item):
            changes["unanswered_streak"], changes["last_outreach"] = after
    elif kept.last_answered is None or item.on > kept.last_answered:
        changes["unanswered_streak"] = kept.unanswered_streak + 1
        changes["last_outreach"] = latest(kept.last_outreach, item.on)
    return dataclasses.replace(kept, **changes)  # type: ignore[arg-type]  # fields named above


def with_exchange(kept: KeptFacts, item: Exchange, rules: Rules) -> KeptFacts:
    """Fold in one unit of help, given or received."""
    newest = latest(kept.latest_on, item.on)
    if item.direction is Direction.GIVEN:
        intro = item.on if item.intro_id is not None else None
        return dataclasses.replace(
            kept,
            latest_on=newest,
            given_count=kept.given_count + 1,
            given_weight=kept.given_weight + item.weight,
            first_given=earliest(kept.first_given, item.on),
            last_intro=latest(kept.last_intro, intro),
        )
    evidence, anchor = anchored_add(
        kept.evidence_received, kept.last_received, item.on, item.weight, rules.trust_half_life
    )
    return dataclasses.replace(
        kept,
        latest_on=newest,
        received_count=kept.received_count + 1,
        received_weight=kept.received_weight + item.weight,
        first_received=earliest(kept.first_received, item.on),
        last_received=anchor,
        evidence_received=evidence,
    )


def with_ask(kept: KeptFacts, item: Ask, rules: Rules) -> KeptFacts:
    """Fold in one ask of mine, with the outcome it has."""
    kept = dataclasses.replace(kept, latest_on=latest(kept.latest_on, item.on, item.outcome_on))
    if item.outcome is AskOutcome.OPEN:
        return dataclasses.replace(kept, asks_open=kept.asks_open + 1)
    if item.outcome is AskOutcome.NO:
        return dataclasses.replace(kept, asks_no=kept.asks_no + 1)
    if item.outcome is AskOutcome.IGNORED:
        return dataclasses.replace(kept, asks_ignored=kept.asks_ignored + 1)
    evidence, anchor = anchored_add(
        kept.evidence_yes, kept.last_yes, item.outcome_on or item.on, 1.0, rules.trust_half_life
    )
    return dataclasses.replace(
        kept, asks_yes=kept.asks_yes + 1, evidence_yes=evidence, last_yes=anchor
    )


def with_breach(kept: KeptFacts, item: Breach) -> KeptFacts:
    """Fold in one breach, open or already made right."""
    newest = latest(kept.latest_on, item.on, item.resolved_on)
    if item.resolved_on is None:
        return dataclasses.replace(
            kept,
            latest_on=newest,
            breaches=kept.breaches + 1,
            open_breaches=kept.open_breaches + 1,
            last_open_breach=latest(kept.last_open_breach, item.on),
        )
    return dataclasses.replace(
        kept,
        latest_on=newest,
        breaches=kept.breaches + 1,
        last_mended=latest(kept.last_mended, item.resolved_on),
    )


def with_their_ask(kept: KeptFacts, item: TheirAsk) -> KeptFacts:
    """Fold in one thing they asked of me (or pitched me)."""
    return dataclasses.replace(
        kept,
        latest_on=latest(kept.latest_on, item.on),
        their_asks=kept.their_asks + (not item.pitch),
        their_pitches=kept.their_pitches + item.pitch,
        premature_pitches=kept.premature_pitches + item.premature,
        last_premature_pitch=latest(kept.last_premature_pitch, item.on if item.premature else None),
    )


def kept_from_history(history: History, rules: Rules) -> KeptFacts:
    """The kept totals of a whole history, folded in date order (the rebuild)."""
    kept = KeptFacts(person_id=history.person.id)
    for i in sorted(history.interactions, key=lambda i: i.on):
        # In date order no outreach is ever dated after the contact being folded in.
        kept = with_interaction(kept, i, rules)
    for e in history.exchanges:
        kept = with_exchange(kept, e, rules)
    for a in history.asks:
        kept = with_ask(kept, a, rules)
    for b in history.breaches:
        kept = with_breach(kept, b)
    for t in history.their_asks:
        kept = with_their_ask(kept, t)
    return kept


@dataclass(slots=True)
class Folding:
    """One person's kept totals while a rebuild folds their whole history in (`frozen` once).

    The arithmetic of `with_interaction`, `with_exchange`, ... step for step, so the floats
    come out bit for bit the same, on a mutable record: a rebuild folds a million events,
    and replacing a 35-field frozen dataclass per event was most of its cost. Days are
    ordinals (`date.toordinal`), 0 for none: the subtraction of two gives the same whole
    days as subtracting the dates, and comparing ints is cheap.
    """

    person_id: int
    latest_on: int = 0
    interactions: int = 0
    by_me: int = 0
    contacts: int = 0
    first_contact: int = 0
    last_answered: int = 0
    unanswered_streak: int = 0
    last_outreach: int = 0
    decayed: list[float] = dataclasses.field(default_factory=list)
    evidence_contacts: float = 0.0
    given_count: int = 0
    given_weight: int = 0
    first_given: int = 0
    last_intro: int = 0
    received_count: int = 0
    received_weight: int = 0
    first_received: int = 0
    last_received: int = 0
    evidence_received: float = 0.0
    breaches: int = 0
    open_breaches: int = 0
    last_open_breach: int = 0
    last_mended: int = 0
    asks_open: int = 0
    asks_yes: int = 0
    asks_no: int = 0
    asks_ignored: int = 0
    last_yes: int = 0
    evidence_yes: float = 0.0
    their_asks: int = 0
    their_pitches: int = 0
    premature_pitches: int = 0
    last_premature_pitch: int = 0

    def frozen(self) -> KeptFacts:
        """The totals as KeptFacts, days as dates."""
        values = [getattr(self, name) for name in _FOLDED]
        for n in _DAYS:
            values[n] = date.fromordinal(values[n]) if values[n] else None
        values[_DECAYED_AT] = tuple(values[_DECAYED_AT])
        return KeptFacts(self.person_id, *values)


_FOLDED = tuple(f.name for f in dataclasses.fields(KeptFacts) if f.name != "person_id")
_DAYS = tuple(
    n
    for n, f in enumerate(f for f in dataclasses.fields(KeptFacts) if f.name != "person_id")
    if f.type == "date | None"
)
_DECAYED_AT = _FOLDED.index("decayed")


def _later(day: int, other: int) -> int:
    return day if day > other else other


def _sooner(day: int, other: int) -> int:
    return day if not other or day < other else other


def _anchored_add_days(
    total: float, anchor: int, on: int, weight: float, half_life: float
) -> tuple[float, int]:
    """`anchored_add` on ordinals (0: no anchor), the same arithmetic."""
    if not anchor:
        return weight, on
    if on > anchor:
        return total * math.pow(0.5, (on - anchor) / half_life) + weight, on
    return total + weight * math.pow(0.5, (anchor - on) / half_life), anchor


class DayOrdinals(dict[object, int]):
    """Days as a store reads them raw (ISO text, dates, None) to ordinals, 0 for None.

    A garden spans a few thousand days: each is parsed once, then looked up.
    """

    def __missing__(self, raw: object) -> int:
        day = 0
        if isinstance(raw, str):
            day = date.fromisoformat(raw).toordinal()
        elif isinstance(raw, date):
            day = raw.toordinal()
        self[raw] = day
        return day


def fold_interactions(
    folds: dict[int, Folding], rows: Iterable[Any], days: DayOrdinals, rules: Rules
) -> None:
    """Fold in interaction rows (person_id, day, kind, by, unanswered), as read.

    Each person's rows come together and in date order, so no outreach is dated after the
    contact folded in: `with_interaction` with no outreach after, step for step. A rebuild
    folds a million of them, so no object nor call per row: kinds and initiators are their
    values, days go through `days`, and each person's run is folded in local variables.
    """
    weights = {k.value: rules.weight(k) for k in InteractionKind}
    decays = _Decays(rules)
    for pid, run in groupby(rows, key=itemgetter(0)):
        f = folds.get(pid) or folds.setdefault(pid, Folding(pid))
        _fold_run(f, run, days, weights, decays)


class _Decays(dict[int, tuple[tuple[float, ...], float]]):
    """By age in days: the factor `0.5 ** (age / h)` of each half-life, and of trust's.

    The same `math.pow` as `anchored_add` computes, once per age instead of once per event.
    """

    def __init__(self, rules: Rules) -> None:
        super().__init__()
        self.rules = rules

    def __missing__(self, age: int) -> tuple[tuple[float, ...], float]:
        r = self.rules
        found = (
            tuple(math.pow(0.5, age / h) for h in r.half_lives),
            math.pow(0.5, age / r.trust_half_life),
        )
        self[age] = found
        return found


def _fold_run(
    f: Folding, run: Iterable[Any], days: DayOrdinals, weights: dict[str, float], decays: _Decays
) -> None:
    """One person's interactions in date order, folded in local variables, stored once."""
    rules = decays.rules
    by_them_evidence, by_me_evidence = rules.trust_per_their_contact, rules.trust_per_contact
    count, by_me, contacts = f.interactions, f.by_me, f.contacts
    first, newest, anchor = f.first_contact, f.latest_on, f.last_answered
    streak, outreach = f.unanswered_streak, f.last_outreach
    decayed, evidence_sum = f.decayed, f.evidence_contacts
    n = len(rules.half_lives)
    them = Initiator.THEM.value
    for _, day, kind, by, unanswered in run:
        on, by_them = days[day], by == them
        count += 1
        by_me += not by_them
        if not first or on < first:
            first = on
        newest = max(newest, on)
        if not by_them and unanswered:  # outreach left unanswered: no contact
            if not anchor or on > anchor:
                streak += 1
                outreach = max(outreach, on)
            continue
        weight = weights[kind]
        evidence = by_them_evidence if by_them else by_me_evidence
        contacts += 1
        if not anchor:  # anchored_add with no anchor yet: the weight itself
            decayed = [weight] * n
            evidence_sum, anchor, streak, outreach = evidence, on, 0, 0
        elif on > anchor:  # decay the totals to the new anchor, then add
            factors, trust = decays[on - anchor]
            decayed = [total * p + weight for total, p in zip(decayed, factors, strict=True)]
            evidence_sum = evidence_sum * trust + evidence
            anchor, streak, outreach = on, 0, 0
        else:  # on the anchor's day (or before): add the decayed weight
            factors, trust = decays[anchor - on]
            decayed = [total + weight * p for total, p in zip(decayed, factors, strict=True)]
            evidence_sum = evidence_sum + evidence * trust
    f.interactions, f.by_me, f.contacts = count, by_me, contacts
    f.first_contact, f.latest_on, f.last_answered = first, newest, anchor
    f.unanswered_streak, f.last_outreach = streak, outreach
    f.decayed, f.evidence_contacts = decayed, evidence_sum


def fold_exchange(
    f: Folding, on: int, given: bool, weight: int, intro: bool, *, rules: Rules
) -> None:
    """`with_exchange` on a Folding: `given` or received, `intro` when it names one."""
    f.latest_on = _later(on, f.latest_on)
    if given:
        f.given_count += 1
        f.given_weight += weight
        f.first_given = _sooner(on, f.first_given)
        if intro:
            f.last_intro = _later(on, f.last_intro)
        return
    f.evidence_received, f.last_received = _anchored_add_days(
        f.evidence_received, f.last_received, on, weight, rules.trust_half_life
    )
    f.received_count += 1
    f.received_weight += weight
    f.first_received = _sooner(on, f.first_received)


def fold_ask(f: Folding, on: int, outcome: AskOutcome, outcome_on: int, *, rules: Rules) -> None:
    """`with_ask` on a Folding (`outcome_on` 0 when there is none)."""
    f.latest_on = _later(_later(on, outcome_on), f.latest_on)
    if outcome is AskOutcome.OPEN:
        f.asks_open += 1
    elif outcome is AskOutcome.NO:
        f.asks_no += 1
    elif outcome is AskOutcome.IGNORED:
        f.asks_ignored += 1
    else:
        f.evidence_yes, f.last_yes = _anchored_add_days(
            f.evidence_yes, f.last_yes, outcome_on or on, 1.0, rules.trust_half_life
        )
        f.asks_yes += 1


def fold_breach(f: Folding, on: int, resolved_on: int) -> None:
    """`with_breach` on a Folding (`resolved_on` 0 while it is open)."""
    f.latest_on = _later(_later(on, resolved_on), f.latest_on)
    f.breaches += 1
    if not resolved_on:
        f.open_breaches += 1
        f.last_open_breach = _later(on, f.last_open_breach)
    else:
        f.last_mended = _later(resolved_on, f.last_mended)


def fold_their_ask(f: Folding, on: int, pitch: bool, premature: bool) -> None:
    """`with_their_ask` on a Folding."""
    f.latest_on = _later(on, f.latest_on)
    f.their_asks += not pitch
    f.their_pitches += pitch
    f.premature_pitches += premature
    if premature:
        f.last_premature_pitch = _later(on, f.last_premature_pitch)


def folded_history(history: History, rules: Rules) -> KeptFacts:
    """`kept_from_history` through a Folding: the same totals, bit for bit."""
    f = Folding(history.person.id)
    by_date = sorted(history.interactions, key=lambda i: i.on)
    rows = [(f.person_id, i.on, i.kind.value, i.by.value, i.unanswered) for i in by_date]
    fold_interactions({f.person_id: f}, rows, DayOrdinals(), rules)
    for e in history.exchanges:
        given = e.direction is Direction.GIVEN
        fold_exchange(f, e.on.toordinal(), given, e.weight, e.intro_id is not None, rules=rules)
    for a in history.asks:
        fold_ask(f, a.on.toordinal(), a.outcome, _ordinal(a.outcome_on), rules=rules)
    for b in history.breaches:
        fold_breach(f, b.on.toordinal(), _ordinal(b.resolved_on))
    for t in history.their_asks:
        fold_their_ask(f, t.on.toordinal(), t.pitch, t.premature)
    return f.frozen()


def _ordinal(day: date | None) -> int:
    return 0 if day is None else day.toordinal()


def facts_on(kept: KeptFacts, met_on: date | None, today: date, rules: Rules) -> Facts:
    """The Facts on `today`, which must not be before `kept.latest_on` (then summarize).

    `last_topics` is left empty: the store reads it for the people shown.
    """
    decayed = kept.decayed or (0.0,) * len(rules.half_lives)
    return Facts(
        person_id=kept.person_id,
        today=today,
        known_since=known_since(met_on, kept.first_contact, today),
        first_contact=kept.first_contact,
        last_contact=last_contact(kept.last_answered, kept.last_intro),
        interactions=kept.interactions,
        by_me=kept.by_me,
        by_them=kept.interactions - kept.by_me,
        unanswered_streak=kept.unanswered_streak,
        decayed=tuple(
            anchored_value(total, kept.last_answered, today, h)
            for total, h in zip(decayed, rules.half_lives, strict=True)
        ),
        given_count=kept.given_count,
        given_weight=kept.given_weight,
        received_count=kept.received_count,
        received_weight=kept.received_weight,
        first_given=kept.first_given,
        first_received=kept.first_received,
        breaches=kept.breaches,
        open_breaches=kept.open_breaches,
        last_open_breach=kept.last_open_breach,
        asks_open=kept.asks_open,
        asks_yes=kept.asks_yes,
        asks_no=kept.asks_no,
        asks_ignored=kept.asks_ignored,
        contacts=kept.contacts,
        evidence_contacts=anchored_value(
            kept.evidence_contacts, kept.last_answered, today, rules.trust_half_life
        ),
        evidence_received=anchored_value(
            kept.evidence_received, kept.last_received, today, rules.trust_half_life
        ),
        evidence_yes=anchored_value(kept.evidence_yes, kept.last_yes, today, rules.trust_half_life),
        their_asks=kept.their_asks,
        their_pitches=kept.their_pitches,
        premature_pitches=kept.premature_pitches,
        last_premature_pitch=kept.last_premature_pitch,
        last_intro=kept.last_intro,
        last_outreach=kept.last_outreach,
        last_mended=kept.last_mended,
    )


def same_kept(a: KeptFacts, b: KeptFacts, rel_tol: float = 1e-9) -> bool:
    """Equal, the anchored sums to within rounding (the order of folding changes it)."""
    if a == b:  # a rebuild folds as the writes did: most often bit for bit the same
        return True

    def close(x: float, y: float) -> bool:
        return math.isclose(x, y, rel_tol=rel_tol, abs_tol=1e-12)

    floats = ("evidence_contacts", "evidence_received", "evidence_yes")
    left, right = a.decayed or (0.0,) * len(b.decayed), b.decayed or (0.0,) * len(a.decayed)
    if len(left) != len(right) or not all(map(close, left, right)):
        return False
    if not all(close(getattr(a, f), getattr(b, f)) for f in floats):
        return False
    return _without_sums(a) == _without_sums(b)


def _without_sums(kept: KeptFacts) -> KeptFacts:
    return dataclasses.replace(
        kept, decayed=(), evidence_contacts=0.0, evidence_received=0.0, evidence_yes=0.0
    )


def rules_key(rules: Rules) -> str:
    """The rules the kept totals depend on, as text: kept totals made under others are stale."""
    weights = {f"weight_{k.value.replace('-', '_')}": rules.weight(k) for k in InteractionKind}
    return json.dumps(
        {
            **weights,
            "half_lives": list(rules.half_lives),
            "trust_half_life": rules.trust_half_life,
            "trust_per_contact": rules.trust_per_contact,
            "trust_per_their_contact": rules.trust_per_their_contact,
        },
        sort_keys=True,
    )


@lru_cache(maxsize=8)
def rules_of_key(key: str) -> Rules:
    """The rules a `rules_key` was made from (its fields; the others at their defaults)."""
    fields = json.loads(key)
    fields["half_lives"] = tuple(fields["half_lives"])
    fields["half_life_from_days"] = Rules().half_life_from_days[: len(fields["half_lives"])]
    if len(fields["half_life_from_days"]) < len(fields["half_lives"]):
        fields["half_life_from_days"] = tuple(range(len(fields["half_lives"])))
    return dataclasses.replace(Rules(), **fields)
