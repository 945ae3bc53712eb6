"""Looking at the whole garden: stats, and sharing the vetted network."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from kith.app import inputs, judging
from kith.app.errors import InvalidInput
from kith.app.files import write_atomically
from kith.app.garden import Garden
from kith.core.facts import Facts
from kith.core.garden_judgement import GardenJudgement, judge_garden
from kith.core.lifecycle import Verdict
from kith.core.mirror import Mirror, MirrorCounts, mirror
from kith.core.model import Person, Stage
from kith.core.share import SHAREABLE_MIN_STAGES, shareable_contact, vet
from kith.core.stats import Stats, StatsInput, WeekCount, garden_stats, summary
from kith.core.stats_arrays import judgement_stats
from kith.store import Connection, aggregates
from kith.store import people as people_store
from kith.store.garden_columns import load_garden_columns

EFFORT_WEEKS = 26  # half a year of effort against growth


def _weekly(
    per_day_interactions: dict[date, int], per_day_people: dict[date, int], since: date, today: date
) -> list[WeekCount]:
    """Fold daily counts into weeks starting on Monday, every week present."""
    first = since - timedelta(days=since.weekday())
    weeks: dict[date, list[int]] = {
        first + timedelta(weeks=i): [0, 0] for i in range((today - first).days // 7 + 1)
    }
    for day, count in per_day_interactions.items():
        weeks[day - timedelta(days=day.weekday())][0] += count
    for day, count in per_day_people.items():
        weeks[day - timedelta(days=day.weekday())][1] += count
    return [WeekCount(week, counts[0], counts[1]) for week, counts in sorted(weeks.items())]


def stats(garden: Garden) -> Stats:
    """Stages, the funnel from seed to trusted, effort against growth, and the mirror.

    Everyone is judged at once over the kept facts (`core.garden_judgement`); the Python
    rules judge only the people the columns cannot settle. `stats_reference` judges all.
    """
    with garden.reading() as conn:
        columns = load_garden_columns(conn, garden.account_id, garden.rules, sources=True)
        if columns is None:  # facts not kept under these rules: judge everyone
            return _stats_judging_all(conn, garden)
        judgement = judge_garden(columns, garden.today, garden.rules)
        return stats_judged(conn, garden, judgement, columns.sources)


def stats_judged(
    conn: Connection, garden: Garden, judgement: GardenJudgement, sources: Sequence[str | None]
) -> Stats:
    """The stats from a vectorised judgement of everyone, pruned included, with their sources."""
    must = judgement.ids[judgement.must_judge()].tolist()
    others: list[StatsInput] = []
    if must:
        chosen = people_store.load_people_to_judge(conn, garden.account_id, ids=must)
        others = [summary(*row) for row in judging.judged(conn, garden, chosen, topics=False)]
    # Counted over the arrays (core.stats_arrays), not a StatsInput per person.
    return judgement_stats(judgement, sources, others, *_context(conn, garden))


def stats_reference(garden: Garden) -> Stats:
    """`stats` with everyone judged by the Python rules: the reference in tests."""
    with garden.reading() as conn:
        return _stats_judging_all(conn, garden)


def _stats_judging_all(conn: Connection, garden: Garden) -> Stats:
    everyone = people_store.load_people_to_judge(conn, garden.account_id)
    return stats_from(conn, garden, judging.judged(conn, garden, everyone, topics=False))


def stats_from(
    conn: Connection, garden: Garden, judged: Sequence[tuple[Person, Facts, Verdict]]
) -> Stats:
    """The stats of a garden already judged (everyone, pruned included)."""
    return garden_stats(judged, *_context(conn, garden))


def _context(conn: Connection, garden: Garden) -> tuple[list[WeekCount], Mirror, int]:
    """What the stats read besides the verdicts: weekly effort, the mirror, people before."""
    today, account = garden.today, garden.account_id
    since = today - timedelta(weeks=EFFORT_WEEKS)
    weeks = _weekly(
        aggregates.interactions_per_day(conn, account, since, today),
        aggregates.people_per_day(conn, account, since, today),
        since,
        today,
    )
    before = aggregates.people_before(conn, account, weeks[0].week if weeks else since)
    counts = aggregates.my_asks_and_gifts(
        conn, account, today - timedelta(days=garden.rules.mirror_days), today
    )
    looking_glass = mirror(MirrorCounts(days=garden.rules.mirror_days, **counts), garden.rules)
    return weeks, looking_glass, before


@dataclass(frozen=True)
class ShareReport:
    """What a share file holds: how many were shared, who was held back and why."""

    shared: int
    held_back: list[dict[str, str]]
    path: Path


def share_stage(min_stage: str) -> Stage:
    """The least stage a shared contact must have reached: growing or trusted."""
    stage = inputs.choice("min_stage", min_stage, Stage)
    if stage not in SHAREABLE_MIN_STAGES:
        raise InvalidInput("min_stage", "must be growing or trusted")
    return stage


def vetted(
    conn: Connection, garden: Garden, min_stage: Stage
) -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    """Everyone vetted for sharing: the contacts that may leave, and who is held back and why.

    What `share` writes and what the web app's preview shows, so the two never disagree.
    """
    everyone = people_store.load_people(conn, garden.account_id)
    verdicts = judging.judge_people(conn, garden, everyone)
    contacts: list[dict[str, Any]] = []
    held: list[dict[str, str]] = []
    for person in everyone:
        ok, why = vet(person, verdicts[person.id], min_stage)
        if ok:
            contacts.append(shareable_contact(person, verdicts[person.id]))
        else:
            held.append({"name": person.name, "why": why})
    return contacts, held


def share(garden: Garden, out: Path, min_stage: str = "trusted") -> ShareReport:
    """Write the contacts I can vouch for to `out`; report everyone held back and why."""
    stage = share_stage(min_stage)
    with garden.reading() as conn:
        contacts, held = vetted(conn, garden, stage)
        me = people_store.load_me(conn, garden.account_id)
    document = {
        "kith_share": 1,
        "shared_by": me.name,
        "shared_on": garden.today.isoformat(),
        "min_stage": stage.value,
        "contacts": contacts,
    }
    write_atomically(out, json.dumps(document, ensure_ascii=False, indent=2) + "\n", field="out")
    return ShareReport(len(contacts), held, out)
