"""The trust metric's properties on small graphs built for each: sybil regions stay low,
warnings lower, the unreached are unknown rather than bad."""

from __future__ import annotations

import math
import random
import statistics

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kith.core.trust_rank import Rating, Standing, trust_rank

SEEDS = ("h0", "h1", "h2")


def honest_community(size: int = 60, vouches: int = 4, seed: int = 1) -> list[Rating]:
    """A ring (so everyone is reachable) plus random vouches, ratings 1 to 10."""
    rng = random.Random(seed)
    ratings = [Rating(f"h{i}", f"h{(i + 1) % size}", 5) for i in range(size)]
    for i in range(size):
        for j in rng.sample([k for k in range(size) if k != i], vouches):
            ratings.append(Rating(f"h{i}", f"h{j}", rng.randint(1, 10)))
    return ratings


def sybil_region(size: int, vouches: int, seed: int = 2) -> list[Rating]:
    """Fakes that vouch for each other with the highest rating."""
    rng = random.Random(seed)
    ratings = [Rating(f"s{i}", f"s{(i + 1) % size}", 10) for i in range(size)] if size > 1 else []
    for i in range(size):
        others = [k for k in range(size) if k != i]
        for j in rng.sample(others, min(vouches, len(others))):
            ratings.append(Rating(f"s{i}", f"s{j}", 10))
    return ratings


def split_scores(scores: dict[str, float]) -> tuple[list[float], list[float]]:
    honest = [v for k, v in scores.items() if k.startswith("h")]
    sybils = [v for k, v in scores.items() if k.startswith("s")]
    return honest, sybils


@pytest.mark.parametrize(("fakes", "vouches"), [(1, 0), (10, 9), (100, 99), (1000, 20)])
def test_a_sybil_region_behind_one_attack_edge_stays_below_the_honest_median(
    fakes: int, vouches: int
) -> None:
    attack = Rating("h7", "s0", 10)  # one honest member was fooled once
    ratings = [*honest_community(), *sybil_region(fakes, vouches), attack]
    honest, sybils = split_scores(trust_rank(ratings, SEEDS).scores)
    assert max(sybils) <= statistics.median(honest)


@settings(max_examples=15, deadline=None)
@given(
    fakes=st.integers(min_value=10, max_value=300),
    vouches=st.integers(min_value=0, max_value=30),
    fooled=st.integers(min_value=len(SEEDS), max_value=59),  # a seed's own vouch is trust
    region_seed=st.integers(min_value=0, max_value=1000),
)
def test_no_sybil_region_of_any_size_or_density_rises_above_the_honest_median(
    fakes: int, vouches: int, fooled: int, region_seed: int
) -> None:
    ratings = [
        *honest_community(),
        *sybil_region(fakes, vouches, region_seed),
        Rating(f"h{fooled}", "s0", 10),
        # fakes vouching for honest members buys them nothing
        *(Rating(f"s{i}", f"h{i % 60}", 10) for i in range(fakes)),
    ]
    honest, sybils = split_scores(trust_rank(ratings, SEEDS).scores)
    assert max(sybils) <= statistics.median(honest)


def test_vouching_by_many_fakes_counts_less_than_vouching_by_a_few_trusted() -> None:
    ratings = [*honest_community(), *sybil_region(100, 10)]
    ratings += [Rating(f"s{i}", "target", 10) for i in range(100)]
    ratings += [Rating("h3", "friend", 10), Rating("h4", "friend", 10)]
    scores = trust_rank(ratings, SEEDS).scores
    assert scores["target"] == 0  # no trust reaches the fakes, so none reaches their target
    assert scores["friend"] > scores["target"]


def test_a_warning_lowers_the_node_it_is_against() -> None:
    base = honest_community()
    warned = [*base, Rating("h0", "h30", -10)]
    before = trust_rank(base, SEEDS).scores
    after = trust_rank(warned, SEEDS).scores
    assert after["h30"] < before["h30"]


def test_a_warning_from_the_trusted_against_a_stranger_makes_them_distrusted() -> None:
    ranked = trust_rank([*honest_community(), Rating("h0", "crook", -8)], SEEDS)
    assert ranked.scores["crook"] < 0
    assert ranked.standing("crook") is Standing.DISTRUSTED


def test_an_accomplice_who_vouches_for_a_warned_node_is_lowered() -> None:
    base = [*honest_community(), Rating("h5", "crook", 2), Rating("h9", "pal", 2)]
    base += [Rating("crook", "pal", 10), Rating("pal", "crook", 10)]
    clean = trust_rank(base, SEEDS).scores
    warned = trust_rank([*base, Rating("h0", "crook", -10)], SEEDS).scores
    assert warned["pal"] < clean["pal"]


def test_warning_a_widely_trusted_node_costs_the_warner() -> None:
    base = [*honest_community(), Rating("h2", "grudge", 5)]
    before = trust_rank(base, SEEDS).scores
    after = trust_rank([*base, Rating("grudge", "h1", -10)], SEEDS).scores
    assert after["grudge"] < before["grudge"]


def test_an_isolated_node_is_unknown_not_bad() -> None:
    ratings = [
        *honest_community(),
        Rating("loner", "other", 0),  # a neutral rating: both named, neither vouched for
        Rating("far", "away", 9),  # a pair no trust reaches
        Rating("h0", "crook", -10),
    ]
    ranked = trust_rank(ratings, SEEDS)
    for node in ("loner", "other", "far", "away"):
        assert ranked.scores[node] == 0
        assert ranked.standing(node) is Standing.UNKNOWN
    assert ranked.scores["crook"] < ranked.scores["loner"]
    assert ranked.standing("h0") is Standing.TRUSTED
    assert ranked.standing("nobody at all") is Standing.UNKNOWN


def test_without_seeds_it_picks_the_most_rated_with_a_positive_balance() -> None:
    ratings = [Rating(f"r{i}", "popular", 3) for i in range(6)]
    ratings += [Rating(f"r{i}", "notorious", -9) for i in range(8)]
    ratings += [Rating("r0", "liked", 2), Rating("r1", "liked", 2), Rating("popular", "r0", 1)]
    ranked = trust_rank(ratings)
    assert ranked.seeds_chosen
    assert ranked.seeds[:2] == ("popular", "liked")
    assert "notorious" not in ranked.seeds
    assert ranked.scores["notorious"] < 0 < ranked.scores["popular"]


def test_given_seeds_are_kept_and_an_unknown_seed_is_refused() -> None:
    ranked = trust_rank(honest_community(), ["h5", "h5"])
    assert ranked.seeds == ("h5",) and not ranked.seeds_chosen
    with pytest.raises(ValueError, match="'ghost' is not a node"):
        trust_rank(honest_community(), ["ghost"])


def test_a_later_rating_of_the_same_pair_replaces_the_earlier_and_self_ratings_count_nothing() -> (
    None
):
    base = honest_community()
    changed = trust_rank([*base, Rating("h0", "x", 9), Rating("h0", "x", -9)], SEEDS).scores
    assert changed["x"] < 0
    selfish = trust_rank([*base, Rating("h40", "h40", 10)], SEEDS).scores
    assert selfish == trust_rank(base, SEEDS).scores


# --- time: a standing earned over time counts more than a burst ------------------------------


def timed(ratings: list[Rating], start: float, end: float, seed: int = 4) -> list[Rating]:
    rng = random.Random(seed)
    return [Rating(r.source, r.target, r.value, rng.uniform(start, end)) for r in ratings]


def test_a_node_vouched_for_over_time_scores_above_one_vouched_for_in_a_burst() -> None:
    ratings = timed(honest_community(), 0, 365)
    for i, rater in enumerate(("h10", "h11", "h12")):
        ratings.append(Rating(rater, "steady", 6, 100.0 * i))
        ratings.append(Rating(rater, "burst", 6, 200.0 + i / 24))
    ranked = trust_rank(ratings, SEEDS)
    assert ranked.timed
    assert ranked.scores["steady"] > ranked.scores["burst"] >= 0
    assert ranked.standing("burst") is not Standing.DISTRUSTED  # a burst is not a warning
    untimed = trust_rank([Rating(r.source, r.target, r.value) for r in ratings], SEEDS)
    assert not untimed.timed
    assert untimed.scores["steady"] == pytest.approx(untimed.scores["burst"])


def test_one_rating_without_a_time_leaves_time_out() -> None:
    ratings = [*timed(honest_community(), 0, 365), Rating("h1", "x", 3)]
    assert not trust_rank(ratings, SEEDS).timed


@pytest.mark.parametrize(("fakes", "vouches"), [(10, 9), (100, 99), (1000, 20)])
def test_patient_fakes_with_long_records_stay_below_the_honest_median(
    fakes: int, vouches: int
) -> None:
    ratings = [
        *timed(honest_community(), 0, 365),
        *timed(sybil_region(fakes, vouches), 0, 3650),  # ten years of vouching for each other
        Rating("h7", "s0", 10, 100.0),
    ]
    honest, sybils = split_scores(trust_rank(ratings, SEEDS).scores)
    assert max(sybils) <= statistics.median(honest)


# --- invariants over random signed graphs ------------------------------------------------------

nodes = st.sampled_from([f"n{i}" for i in range(12)])
ratings_strategy = st.lists(
    st.builds(Rating, nodes, nodes, st.integers(min_value=-10, max_value=10).map(float)),
    min_size=1,
    max_size=60,
)


@settings(max_examples=60, deadline=None)
@given(ratings=ratings_strategy, factor=st.floats(min_value=0.01, max_value=1000))
def test_the_rating_scale_does_not_matter(ratings: list[Rating], factor: float) -> None:
    scaled = [Rating(r.source, r.target, r.value * factor) for r in ratings]
    first, second = trust_rank(ratings).scores, trust_rank(scaled).scores
    assert first.keys() == second.keys()
    assert all(first[k] == pytest.approx(second[k], rel=1e-6, abs=1e-9) for k in first)


@settings(max_examples=60, deadline=None)
@given(ratings=ratings_strategy)
def test_only_seeds_and_the_vouched_for_are_trusted(ratings: list[Rating]) -> None:
    ranked = trust_rank(ratings)
    vouched = {r.target for r in ratings if r.value > 0 and r.source != r.target}
    for node, score in ranked.scores.items():
        assert math.isfinite(score)
        if node not in vouched and node not in ranked.seeds:
            assert score <= 0


@settings(max_examples=60, deadline=None)
@given(
    ratings=st.lists(
        st.builds(Rating, nodes, nodes, st.integers(min_value=1, max_value=10).map(float)),
        min_size=1,
        max_size=60,
    ),
    target=nodes,
    strength=st.integers(min_value=1, max_value=10),
)
def test_a_first_warning_from_a_seed_always_lowers_its_target(
    ratings: list[Rating], target: str, strength: int
) -> None:
    seed = ratings[0].source
    if seed == target:
        return
    before = trust_rank(ratings, [seed]).scores
    after = trust_rank([*ratings, Rating(seed, target, -strength)], [seed]).scores
    assert after[target] < before.get(target, 0.0)
