"""Mutual interest and "How can I help you?": starters, help matching, introductions.

Everything here is pure: people, my ties' strength and trust, and the vocabulary come in as
parameters, and the reasons go out in words a person can read.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from kith.core import tag_matrix as tm
from kith.core.model import Me, Person
from kith.core.tags import (
    Vocabulary,
    canonical_keys,
    help_matches,
    normalise,
    shared_interests,
)

# How many conversation starters to offer: a handful to choose from, not a script.
MAX_STARTERS = 5
# The question a good networker always has ready (DESIGN.md: "How can I help you?").
HELP_QUESTION = "How can I help you at the moment?"

# Shared interests make an intro warmer but are not its purpose: they add at most this much
# to a help score that is 0.5 for one met need one way and 1.0 when both sides gain.
INTEREST_WEIGHT = 0.25


@dataclass(frozen=True)
class HelpMatch:
    """A person and the (need, offer) pairs of one side's needs the other side's offers meet."""

    person_id: int
    name: str
    matches: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class IntroCandidate:
    """Someone I might introduce, with my tie to them (both 0..1).

    `vouchable` is the caller's verdict that I can vouch for them: weeds, pruned people,
    anyone with a breach and new seeds are not. Non-vouchable candidates are never proposed.
    """

    person: Person
    strength: float
    trust: float
    vouchable: bool


@dataclass(frozen=True)
class IntroSuggestion:
    """Two people who should meet, why, and how well they fit."""

    a_id: int
    b_id: int
    a_name: str
    b_name: str
    why: str
    score: float


# --- conversation starters ------------------------------------------------------------------

_INTEREST_STARTERS = (
    "You both love {}: what got you into it?",
    "What's new in {} for you lately?",
    "Any {} recommendations you'd pass on?",
)
_TOPIC_STARTERS = (
    "Last time you talked about {}: how did it turn out?",
    "Any news on {} since you last spoke?",
)


def starters(shared: Sequence[str], last_topics: Sequence[str]) -> list[str]:
    """Openers built only from what the two really share and what they last discussed.

    Topics and interests alternate (continuity first), and the help question closes the list.
    """
    topics = [_TOPIC_STARTERS[i % 2].format(t) for i, t in enumerate(_distinct(last_topics))]
    interests = [_INTEREST_STARTERS[i % 3].format(s) for i, s in enumerate(_distinct(shared))]
    woven = [s for pair in _zip_longest(topics, interests) for s in pair]
    return [*woven[: MAX_STARTERS - 1], HELP_QUESTION]


def _distinct(texts: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    kept: list[str] = []
    for text in texts:
        key = normalise(text)
        if key and key not in seen:
            seen.add(key)
            kept.append(text.strip())
    return kept


def _zip_longest(a: list[str], b: list[str]) -> list[tuple[str, ...]]:
    return [tuple(x[i] for x in (a, b) if i < len(x)) for i in range(max(len(a), len(b)))]


# --- help matching --------------------------------------------------------------------------


def can_help(helper: Person, needer: Person, vocab: Vocabulary) -> list[tuple[str, str]]:
    """The needs of `needer` that the offers of `helper` meet, as (need, offer) pairs."""
    return help_matches(needer.needs, helper.offers, vocab)


def whom_i_can_help(me: Me, people: Iterable[Person], vocab: Vocabulary) -> list[HelpMatch]:
    """People whose needs my offers meet: most needs met first, then by name."""
    people = list(people)
    keys = canonical_keys([*me.offers, *(n for p in people for n in p.needs)], vocab)
    offers = _offer_index(me.offers, keys, vocab)
    found = [
        HelpMatch(p.id, p.name, matches)
        for p in people
        if (matches := _met_needs(p.needs, offers, keys))
    ]
    return sorted(found, key=lambda h: (-len(h.matches), h.name.casefold(), h.person_id))


def who_can_help(person: Person, people: Iterable[Person], vocab: Vocabulary) -> list[HelpMatch]:
    """Others whose offers meet this person's needs: most needs met first, then by name."""
    others = [p for p in people if p.id != person.id]
    keys = canonical_keys([*person.needs, *(o for p in others for o in p.offers)], vocab)
    found = []
    for other in others:
        matches = _met_needs(person.needs, _offer_index(other.offers, keys, vocab), keys)
        if matches:
            found.append(HelpMatch(other.id, other.name, matches))
    return sorted(found, key=lambda h: (-len(h.matches), h.name.casefold(), h.person_id))


def _offer_index(
    offers: Iterable[str], keys: Mapping[str, str], vocab: Vocabulary
) -> dict[str, str]:
    """Need key -> the offer that meets it: an offer of the same term wins over a narrower one."""
    index: dict[str, str] = {}
    broader: list[tuple[str, str]] = []
    for offer in offers:
        key = keys.get(offer)
        if key is None or not offer.strip():
            continue
        index.setdefault(key, offer.strip())
        broader.extend((b, offer.strip()) for b in vocab.broader.get(key, ()))
    for key, offer in broader:
        index.setdefault(key, offer)
    return index


def _met_needs(
    needs: Iterable[str], offers: Mapping[str, str], keys: Mapping[str, str]
) -> tuple[tuple[str, str], ...]:
    met: dict[str, tuple[str, str]] = {}
    for need in needs:
        key = keys.get(need)
        if key is not None and key in offers and need.strip():
            met.setdefault(key, (need.strip(), offers[key]))
    return tuple(met.values())


# --- introductions --------------------------------------------------------------------------


def _saturating(count: tm.FloatArray) -> tm.FloatArray:
    # The first match carries the most; each further one adds half as much again.
    return np.asarray(1.0 - np.power(0.5, count), dtype=np.float64)


def suggest_intros(
    candidates: Sequence[IntroCandidate], vocab: Vocabulary, limit: int = 10
) -> list[IntroSuggestion]:
    """The best introductions between two people I can vouch for, best first.

    An intro needs a purpose, so only pairs where one's offers meet the other's needs are
    considered. Score = (help + shared interests) × confidence, where help is 0.5 for needs
    met one way and about 1.0 when both sides gain (reciprocal pairs succeed about twice as
    often: Pizzato et al. 2010, RECON), shared interests add up to INTEREST_WEIGHT, and the
    confidence 0.5..1 grows with the strength and trust of my weaker tie of the two, since I
    vouch for both.
    """
    people = _by_tie(_vouchable(candidates))
    if len(people) < 2 or limit <= 0:
        return []
    matrices = _IntroMatrices.build([c.person for c in people], vocab)
    ties = np.array([_tie(c) for c in people], dtype=np.float64)
    best = _best_in_widening_circles(matrices, ties, limit)
    return [
        _suggestion(people[r].person, people[c].person, score, matrices.keys, vocab)
        for score, r, c in best
    ]


# Intros are searched among the people I know best first: a circle of this many, doubled
# until no one outside it could still make the top list, and never wider than the cap.
# Popular needs ("hiring") met by popular offers make the pairs grow with the square of the
# circle, so past the cap the list is the best among the CIRCLE_CAP closest people.
CIRCLE_START = 1_000
CIRCLE_CAP = 8_000
_BEST_HELP = 2.0  # the help score's supremum: needs met both ways, many each


def _best_in_widening_circles(
    m: _IntroMatrices, ties: tm.FloatArray, limit: int
) -> list[tuple[float, int, int]]:
    size = min(CIRCLE_START, ties.size)
    while True:
        best = _best_within(m, ties, size, limit)
        if size >= min(ties.size, CIRCLE_CAP):
            return best
        # Anyone outside has a tie no stronger than ties[size] (people are sorted by tie).
        outside_bound = (_BEST_HELP + INTEREST_WEIGHT) * _confidence(ties[size])
        if len(best) >= limit and best[-1][0] >= outside_bound:
            return best
        size = min(size * 2, ties.size, CIRCLE_CAP)


def _best_within(
    m: _IntroMatrices, ties: tm.FloatArray, size: int, limit: int
) -> list[tuple[float, int, int]]:
    fit = (m.needs[:size] @ m.offers[:size].T).tocsr()
    # Fit counts are small integers, so one sparse sum carries both directions of a pair.
    base = float(fit.max()) + 1.0 if fit.nnz else 1.0
    rows, cols, both = _upper_entries(fit + base * fit.T)
    if rows.size == 0:
        return []
    help_score = _saturating(np.mod(both, base)) + _saturating(np.floor_divide(both, base))
    confidence = _confidence(np.minimum(ties[rows], ties[cols]))
    # Shared interests cost a row product per pair, so only pairs that could still reach
    # the top `limit` with the most interest bonus possible get them counted.
    floor = help_score * confidence
    kth = -np.partition(-floor, min(limit, floor.size) - 1)[min(limit, floor.size) - 1]
    hopeful = (help_score + INTEREST_WEIGHT) * confidence >= kth
    rows, cols = rows[hopeful], cols[hopeful]
    shared = tm.row_overlap(m.interests, rows, cols)
    score = (help_score[hopeful] + INTEREST_WEIGHT * _saturating(shared)) * confidence[hopeful]
    top = np.lexsort((cols, rows, -score))[:limit]  # rows are in tie order: ties break alike
    return [(float(score[k]), int(rows[k]), int(cols[k])) for k in top]


def _upper_entries(
    matrix: sparse.csr_array,
) -> tuple[tm.IntArray, tm.IntArray, tm.FloatArray]:
    upper = sparse.triu(matrix, k=1, format="coo")
    return upper.row.astype(np.int64), upper.col.astype(np.int64), upper.data.astype(np.float64)


def _confidence(tie: tm.FloatArray | float) -> tm.FloatArray:
    return np.asarray(0.5 + 0.5 * np.asarray(tie), dtype=np.float64)


def _tie(c: IntroCandidate) -> float:
    return (c.strength + c.trust) / 2


def _by_tie(people: list[IntroCandidate]) -> list[IntroCandidate]:
    return sorted(people, key=lambda c: (-_tie(c), c.person.id))


def _vouchable(candidates: Sequence[IntroCandidate]) -> list[IntroCandidate]:
    kept: dict[int, IntroCandidate] = {}
    for c in candidates:
        if c.vouchable and c.person.id not in kept:
            clamped = IntroCandidate(c.person, _unit(c.strength), _unit(c.trust), True)
            kept[c.person.id] = clamped
    return list(kept.values())


def _unit(x: float) -> float:
    return 0.0 if math.isnan(x) else min(1.0, max(0.0, x))  # NaN: nothing known


@dataclass(frozen=True)
class _IntroMatrices:
    needs: sparse.csr_array  # people × help keys, 0/1
    offers: sparse.csr_array  # people × help keys, 0/1, broader terms included
    interests: sparse.csr_array  # people × interest keys, 0/1
    keys: Mapping[str, str]  # every tag written -> its canonical key

    @staticmethod
    def build(people: Sequence[Person], vocab: Vocabulary) -> _IntroMatrices:
        keys = canonical_keys(
            [t for p in people for t in (*p.interests, *p.needs, *p.offers)], vocab
        )
        needs = [{keys[t] for t in p.needs if t.strip()} for p in people]
        offers = [tm.with_broader((keys[t] for t in p.offers if t.strip()), vocab) for p in people]
        interests = [{keys[t] for t in p.interests if t.strip()} for p in people]
        help_columns = tm.column_index([*needs, *offers])
        return _IntroMatrices(
            needs=tm.incidence(needs, help_columns),
            offers=tm.incidence(offers, help_columns),
            interests=tm.incidence(interests, tm.column_index(interests)),
            keys=keys,
        )


def _suggestion(
    a: Person, b: Person, score: float, keys: Mapping[str, str], vocab: Vocabulary
) -> IntroSuggestion:
    # The same keys as the scores, so the words name exactly the matches that were counted.
    a_gets = list(_met_needs(a.needs, _offer_index(b.offers, keys, vocab), keys))
    b_gets = list(_met_needs(b.needs, _offer_index(a.offers, keys, vocab), keys))
    if not a_gets:  # the one whose need is met reads first
        a, b, a_gets, b_gets = b, a, b_gets, a_gets
    parts = [*_help_words(a, b, a_gets, vocab), *_help_words(b, a, b_gets, vocab)]
    shared = shared_interests(a.interests, b.interests, vocab)
    if shared:
        parts.append(f"both love {_and_list(shared[:3])}")
    return IntroSuggestion(a.id, b.id, a.name, b.name, "; ".join(parts), round(score, 4))


def _help_words(
    needer: Person, helper: Person, matches: list[tuple[str, str]], vocab: Vocabulary
) -> list[str]:
    if not matches:
        return []
    needs = _and_list([_with_article(n, vocab) for n, _ in matches])
    offers = _and_list(list(dict.fromkeys(o for _, o in matches)))
    return [f"{needer.name} needs {needs}", f"{helper.name} offers {offers}"]


def _with_article(need: str, vocab: Vocabulary) -> str:
    # "needs a UX designer" but "needs legal advice": roles are countable, fields are not.
    key = normalise(need)
    if not vocab.is_role(key) or key.split(" ", 1)[0] in {"a", "an", "the"}:
        return need
    return f"{'an' if key[0] in 'aeio' else 'a'} {need}"


def _and_list(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"
