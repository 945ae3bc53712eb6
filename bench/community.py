"""A synthetic community for the path benchmark: members, a trust graph, offers, flags.

Degrees are heavy-tailed the way social networks are (a few members know thousands, most
know a handful): a directed Chung–Lu graph whose expected degrees follow a Pareto law (tail
exponent PARETO_SHAPE, so the degree distribution has a power-law tail near 2.5, as measured
for online social networks), with most ties returned (RECIPROCITY), since "I know her" is
usually mutual. Seeded, so every run builds the same community.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from kith.core.ties import TieGraph, tie_graph

PARETO_SHAPE = 1.5  # expected degree ~ Pareto(1.5): a power-law tail, hubs of thousands
MAX_PROPENSITY = 600.0  # the largest hub is a few thousand ties, not the whole group
RECIPROCITY = 0.6  # share of ties that go both ways
OFFERS = 400  # distinct things members offer ("fundraising advice", "intro to Acme", ...)
OFFERS_EACH = 2
OFFER_ZIPF = 0.9  # popularity of offers: a few common, a long tail of rare ones
FLAGGED_SHARE = 0.01  # members the trust metric flags or who are weeds
MATCH_RANGE = (0.005, 0.02)  # queries use offers held by 0.5-2% of members
STAGES = ("seed", "growing", "trusted")

IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Community:
    graph: TieGraph
    sources: IntArray  # per tie, as given to tie_graph (for the references)
    targets: IntArray
    strengths: npt.NDArray[np.float64]
    offer_ptr: IntArray  # members holding offer o: offer_members[offer_ptr[o]:offer_ptr[o+1]]
    offer_members: IntArray
    flagged: IntArray
    query_offers: IntArray  # offers held by MATCH_RANGE of the members

    def holders(self, offer: int) -> IntArray:
        return self.offer_members[self.offer_ptr[offer] : self.offer_ptr[offer + 1]]


def build(members: int, ties: int, seed: int) -> Community:
    rng = np.random.default_rng(seed)
    src, dst = _heavy_tailed_ties(members, ties, rng)
    strengths = np.clip(rng.beta(2.0, 3.0, size=src.size), 0.01, 1.0)
    stage_codes = np.digitize(strengths, [0.3, 0.6])
    days = np.minimum(rng.lognormal(6.0, 1.0, size=src.size), 40 * 365).astype(np.int64)
    contacts = rng.geometric(0.08, size=src.size)
    graph = tie_graph(
        src,
        dst,
        strengths,
        names=[f"Member {i}" for i in range(members)],
        stage=[STAGES[c] for c in stage_codes.tolist()],
        days_known=days,
        contacts=contacts,
    )
    offer_ptr, offer_members = _offers(members, rng)
    share = np.diff(offer_ptr) / members
    query_offers = np.flatnonzero((share >= MATCH_RANGE[0]) & (share <= MATCH_RANGE[1]))
    flagged = np.sort(rng.choice(members, size=int(members * FLAGGED_SHARE), replace=False))
    return Community(graph, src, dst, strengths, offer_ptr, offer_members, flagged, query_offers)


def _heavy_tailed_ties(n: int, m: int, rng: np.random.Generator) -> tuple[IntArray, IntArray]:
    """m distinct directed ties, no self-ties, endpoints drawn by Pareto propensity."""
    propensity = np.minimum(rng.pareto(PARETO_SHAPE, size=n) + 1.0, MAX_PROPENSITY)
    p = propensity / propensity.sum()
    codes = np.empty(0, dtype=np.int64)
    while codes.size < m:
        batch = int((m - codes.size) * 0.7) + 1000
        u = rng.choice(n, size=batch, p=p)
        v = rng.choice(n, size=batch, p=p)
        back = rng.random(batch) < RECIPROCITY
        su = np.concatenate([u, v[back]])
        sv = np.concatenate([v, u[back]])
        keep = su != sv
        codes = np.unique(np.concatenate([codes, su[keep] * n + sv[keep]]))
    codes = rng.permutation(codes)[:m]
    return codes // n, codes % n


def _offers(n: int, rng: np.random.Generator) -> tuple[IntArray, IntArray]:
    popularity = 1.0 / np.arange(1, OFFERS + 1) ** OFFER_ZIPF
    held = rng.choice(OFFERS, size=(n, OFFERS_EACH), p=popularity / popularity.sum())
    member = np.repeat(np.arange(n, dtype=np.int64), OFFERS_EACH)
    offer = held.ravel()
    codes = np.unique(offer * n + member)  # a member drawing one offer twice holds it once
    offer, member = codes // n, codes % n
    ptr = np.zeros(OFFERS + 1, dtype=np.int64)
    np.cumsum(np.bincount(offer, minlength=OFFERS), out=ptr[1:])
    return ptr, member
