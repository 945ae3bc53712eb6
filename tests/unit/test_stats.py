from __future__ import annotations

import dataclasses

from kith.core.facts import Facts
from kith.core.lifecycle import Verdict
from kith.core.mirror import MirrorCounts, count_mirror, mirror
from kith.core.model import Ask, AskSize, Direction, Exchange, History, Person, Stage
from kith.core.stats import WeekCount, count_by_stage, effort, garden_stats
from tests.unit._stories import RULES, TODAY, ago, history, judged, person, talk
from tests.unit.test_feed import taker
from tests.unit.test_lifecycle import trusted_friend


def judged_rows(hs: list[History]) -> list[tuple[Person, Facts, Verdict]]:
    rows = []
    for h in hs:
        facts, verdict = judged(h)
        rows.append((h.person, facts, verdict))
    return rows


def with_source(h: History, where: str, met: int) -> History:
    who = dataclasses.replace(h.person, met_where=where, met_on=ago(met))
    return dataclasses.replace(h, person=who)


def test_every_stage_is_counted_even_at_zero() -> None:
    counts = count_by_stage(v for _, _, v in judged_rows([trusted_friend()]))
    assert set(counts) == {s.value for s in Stage}
    assert counts["trusted"] == 1
    assert sum(counts.values()) == 1


def test_the_funnel_counts_seeds_that_grew_by_month_and_source() -> None:
    hs = [
        with_source(trusted_friend(), "PyCon", 210),
        with_source(trusted_friend(quiet_for=400), "PyCon", 610),
        with_source(history(person(), talk(205)), "PyCon", 205),
        with_source(taker(), "meetup", 120),
        history(person()),
    ]
    stats = garden_stats(judged_rows(hs))
    by_source = {r.key: r for r in stats.funnel_by_source}
    assert (by_source["PyCon"].seeded, by_source["PyCon"].grew, by_source["PyCon"].trusted) == (
        3,
        2,
        2,
    )
    # the taker did reach growing (he took part) before the weed flag: the funnel counts it
    assert (by_source["meetup"].grew, by_source["meetup"].trusted) == (1, 0)
    assert by_source["unknown"].seeded == 1
    assert round(by_source["PyCon"].grew_share, 3) == 0.667
    months = [r.key for r in stats.funnel_by_month]
    assert months == sorted(months)
    assert sum(r.seeded for r in stats.funnel_by_month) == 5


def test_effort_against_growth_is_cumulative() -> None:
    weeks = [WeekCount(ago(7), 12, 3), WeekCount(ago(14), 5, 1)]
    rows = effort(weeks, people_before=10)
    assert [(r.week, r.interactions, r.people_total) for r in rows] == [
        (ago(14), 5, 11),
        (ago(7), 12, 14),
    ]


def test_the_mirror_warns_when_i_ask_more_than_i_give() -> None:
    asks = [Ask(1, ago(d), "a favour", AskSize.SMALL) for d in (10, 20, 30)]
    asks.append(Ask(2, ago(15), "buy my thing", AskSize.LARGE, pitch=True))
    asks.append(Ask(2, ago(400), "long ago", AskSize.SMALL))
    gifts = [
        Exchange(1, ago(5), Direction.GIVEN, "intro"),
        Exchange(3, ago(500), Direction.GIVEN, "cv"),
    ]
    counts = count_mirror(asks, gifts, TODAY, RULES)
    assert counts == MirrorCounts(180, 4, 1, 1, 0, 1, 2)
    m = mirror(counts, RULES)
    assert m.asking_more_than_giving
    assert m.lines[0].startswith(
        "You have been asking more than giving: in the last 180 days you asked 4 times "
        "and gave once."
    )
    assert "me, first" in m.lines[0]
    assert m.lines[-1] == "You helped 1 person in the last 180 days and 2 people in all."


def test_a_giver_gets_no_warning() -> None:
    m = mirror(MirrorCounts(180, 2, 0, 5, 1, 4, 9), RULES)
    assert not m.asking_more_than_giving
    assert m.lines[-1] == "You helped 4 people in the last 180 days and 9 people in all."
