"""The judgement of a whole garden at once: `lifecycle.judge` over columns, in numpy.

Feed and weed rank or filter every person but show only a few. Judging 20,000 people one
`Verdict` at a time (with every reason worded) costs far more than reading their kept facts,
so this module computes, in one vectorised pass over the kept columns (`person_facts` and
`people`), exactly what ranking and filtering read: the stage, the next feed date, the
cadence, strength, trust, the days known, whether a new seed awaits its follow-up and how
many weed causes. The Python rules then judge only the people this pass picks
(`feed_candidates`, `weed_ids`), so what is shown is the Python rules' own output.

Each formula mirrors `lifecycle.judge`, `scores` and `kept_facts.facts_on` operation for
operation; `tests/integration/test_garden_judgement.py` holds them equal person by person.
Two things the columns cannot settle are flagged for the Python rules instead:

- `python_only`: people with anything dated after `today` (a read in the past), whose facts
  `load_facts` computes from the history;
- `borderline`: trust within rounding of `trusted_min_trust` (numpy's and libm's `exp` may
  differ in the last bit, and that comparison decides trusted against growing).

Dates are day numbers (`date.toordinal`), with `NO_DAY` for none. numpy is imported inside
the functions, so importing this module (as the CLI's start-up does, indirectly) stays light.
"""

from __future__ import annotations

import calendar
import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from kith.core.model import Stage
from kith.core.rules import Rules
from kith.core.stats import StatsInput, seeded_month

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    Ints = NDArray[np.int64]
    Floats = NDArray[np.float64]
    Bools = NDArray[np.bool_]

# A date column's value: a date, ISO text (SQLite's), or already a day ordinal (an int, from
# PostgreSQL, `NO_DAY` for none).
Day = date | str | int | None
NO_DAY = -(2**40)  # a day ordinal for "no date": far before any real one
NO_ISO_DAY = "0000-00-00"  # "no date" in a column of ISO text (SQLite's): same width as a date
STAGES: tuple[Stage, ...] = tuple(Stage)  # a stage's code is its index here
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()  # numpy counts days from 1970-01-01
_TRUST_ROUNDING = 1e-9  # trust this close to its threshold is left to the Python rules
_STRENGTH_ROUNDING = 1e-9  # strengths this close may rank either way: both are candidates

# The kept columns the judgement reads (KeptFacts' field names), besides `decayed`.
KEPT_DATES = (
    "latest_on",
    "first_contact",
    "last_answered",
    "last_intro",
    "last_received",
    "last_open_breach",
    "last_yes",
)
KEPT_NUMBERS = (
    "interactions",
    "by_me",
    "contacts",
    "unanswered_streak",
    "evidence_contacts",
    "given_count",
    "given_weight",
    "received_count",
    "received_weight",
    "evidence_received",
    "breaches",
    "open_breaches",
    "asks_ignored",
    "evidence_yes",
    "their_asks",
    "their_pitches",
    "premature_pitches",
)


@dataclass(frozen=True)
class GardenColumns:
    """One entry per person, in the same order: what the people and kept facts tables hold.

    Dates are as the store gives them (`Day`: a date, ISO text or None, or a whole column of
    day ordinals), for numpy to read a column at a time; a missing cadence of their own is 0.
    `kept` maps each name of `KEPT_DATES` and `KEPT_NUMBERS` to its column (None, `NO_DAY` or
    0 where a person has no kept row: no history yet); `decayed` holds each person's anchored
    sums (empty, or zeros, for none), as rows or as a 2-D numpy array.
    """

    ids: Sequence[int]
    pruned: Sequence[int]  # 1 when the person's state is pruned
    met_on: Sequence[Day]
    created_on: Sequence[Day]
    birthday: Sequence[Day]
    cadence_days: Sequence[int]
    kept: Mapping[str, Sequence[Any]]
    decayed: Sequence[Sequence[float]]
    sources: Sequence[str | None] = ()  # where we met (met_where), read for the stats only


@dataclass(frozen=True)
class GardenJudgement:
    """What ranking and filtering read of each person's verdict, as arrays in columns' order.

    Stages are codes into `STAGES`; dates are day ordinals, `NO_DAY` for none.
    """

    today: date
    ids: Ints
    stage: Ints
    grown: Ints
    next_feed: Ints
    cadence: Ints
    strength: Floats
    trust: Floats
    known: Ints
    awaiting: Bools
    weed_causes: Ints
    birthday: Bools  # their birthday is today (pruned or not)
    pruned: Bools  # the person's state is pruned
    python_only: Bools  # facts with a date after today: judge them in Python
    borderline: Bools  # trust within rounding of the trusted threshold
    seeded: Ints  # stats.seeded_on: met, else first known, else added
    balance: Ints  # scores.balance: weight given minus weight received

    def stage_of(self, index: int) -> Stage:
        """The stage of the person at `index`."""
        return STAGES[int(self.stage[index])]

    def must_judge(self) -> Bools:
        """The people whose verdict the columns cannot settle: always judged in Python."""
        return self.python_only | self.borderline


def _rows(judgement: GardenJudgement, index: Any) -> GardenJudgement:
    """The judgement of the people at `index` (positions or a mask), in that order."""
    arrays = {
        f.name: getattr(judgement, f.name)[index]
        for f in dataclasses.fields(judgement)
        if f.name != "today"
    }
    return dataclasses.replace(judgement, **arrays)


def by_id(judgement: GardenJudgement, sources: Any) -> tuple[GardenJudgement, Any]:
    """The judgement (and each person's source, an array) in the order of their ids.

    A kept judgement and one spliced from it (`spliced`) then hold the same rows in the same
    order, so every tie is broken alike.
    """
    import numpy as np

    if len(judgement.ids) < 2 or bool((judgement.ids[1:] > judgement.ids[:-1]).all()):
        return judgement, sources
    order = np.argsort(judgement.ids, kind="stable")
    return _rows(judgement, order), sources[order]


def spliced(
    kept: tuple[GardenJudgement, Any], fresh: tuple[GardenJudgement, Any], changed: Any
) -> tuple[GardenJudgement, Any]:
    """`kept` with the `changed` people judged again (`fresh`), in the order of their ids.

    Each is a judgement and each person's source (where we met: an array). `fresh` holds
    the changed people still in the garden, judged on the same day under the same rules; a
    changed person it lacks (forgotten, merged away) leaves the judgement.
    """
    import numpy as np

    (old, old_sources), (new, new_sources) = kept, fresh
    stay = ~np.isin(old.ids, np.asarray(changed, dtype=np.int64))
    both: dict[str, Any] = {
        f.name: np.concatenate([getattr(old, f.name)[stay], getattr(new, f.name)])
        for f in dataclasses.fields(old)
        if f.name != "today"
    }
    joined = dataclasses.replace(old, **both)
    sources = np.concatenate([old_sources[stay], new_sources])
    return by_id(joined, sources)


def _ordinals(column: Sequence[Day]) -> bool:
    """Whether a date column holds day ordinals already (PostgreSQL's, counted in SQL)."""
    import numpy as np

    if isinstance(column, np.ndarray):
        return column.dtype.kind in "iu"
    return any(isinstance(d, int) for d in column[:1000])


def _ordinal(day: Day) -> int:
    if day is None or day == NO_ISO_DAY:
        return NO_DAY
    if isinstance(day, int):
        return day
    return (date.fromisoformat(day) if isinstance(day, str) else day).toordinal()


def _days(column: Sequence[Day]) -> Ints:
    """Day numbers (`date.toordinal`), `NO_DAY` for none."""
    import numpy as np

    if _ordinals(column):
        ordinals: Ints = np.asarray(column, dtype=np.int64)
        return ordinals
    iso = _iso_days(column)
    if iso is not None:
        return iso
    # Not all ISO text: each distinct day counted once (a garden's dates repeat), then looked up.
    lookup = {day: _ordinal(day) for day in set(column)}
    return np.fromiter(map(lookup.__getitem__, column), dtype=np.int64, count=len(column))


def _iso_days(column: Sequence[Day]) -> Ints | None:
    """Day numbers of a column of 'YYYY-MM-DD' text (`NO_ISO_DAY` or None for none), at once.

    The digits of the whole column are one byte array: years, months and days come out of
    it by arithmetic, ~10 times faster than numpy's parse of the strings one by one. None
    when the column holds anything else (dates, other text): the caller counts those.
    """
    if not all(isinstance(d, str | None) for d in column[:1000]):
        return None
    if None in column:
        column = [NO_ISO_DAY if d is None else d for d in column]
    text = "".join(column)  # type: ignore[arg-type]
    if len(text) != len(NO_ISO_DAY) * len(column) or not text.isascii():
        return None
    return iso_day_table(text.encode("ascii"), 1)[:, 0]


def iso_day_table(text: bytes, width: int) -> Ints:
    """Day numbers of rows of `width` ISO dates, as an n × width array (`NO_DAY` for none).

    The text holds the dates one after another ('YYYY-MM-DD' each, `NO_ISO_DAY` for none).
    The digits are one byte array: years, months and days come out of it by arithmetic.
    """
    import numpy as np

    digits = np.frombuffer(text, np.uint8).reshape(-1, 10).astype(np.int64) - 48
    year = digits[:, 0] * 1000 + digits[:, 1] * 100 + digits[:, 2] * 10 + digits[:, 3]
    month = digits[:, 5] * 10 + digits[:, 6]
    day = digits[:, 8] * 10 + digits[:, 9]
    none = year == 0
    months = np.where(none, 0, (year - 1970) * 12 + month - 1).astype("datetime64[M]")
    days: Ints = months.astype("datetime64[D]").astype(np.int64) + np.where(none, 0, day - 1)
    days += _EPOCH_ORDINAL
    days[none] = NO_DAY
    return days.reshape(-1, width)


def _floats(column: Sequence[Any]) -> Floats:
    import numpy as np

    if isinstance(column, np.ndarray):
        return column.astype(np.float64)
    # From Python numbers: fromiter is several times faster than asarray of a tuple.
    return np.fromiter(column, dtype=np.float64, count=len(column))


def _earliest(a: Ints, b: Ints) -> Ints:
    import numpy as np

    both = (a != NO_DAY) & (b != NO_DAY)
    return np.where(both, np.minimum(a, b), np.where(a == NO_DAY, b, a))


def _anchored(total: Floats, anchor: Ints, today: int, half_life: float | Floats) -> Floats:
    """`kept_facts.anchored_value` over columns: total * 0.5 ** ((today - anchor) / h)."""
    import numpy as np

    age = np.where(anchor == NO_DAY, 0, today - anchor).astype(np.float64)
    return np.where(anchor == NO_DAY, 0.0, total * np.power(0.5, age / half_life))


def _month_day(dates: Any) -> Ints:
    """Month * 100 + day of each datetime64[D] (NaT gives nonsense: mask it)."""
    import numpy as np

    months = dates.astype("datetime64[M]")
    month_day: Ints = (months.astype(np.int64) % 12 + 1) * 100 + (dates - months).astype(np.int64)
    return month_day + 1


def _birthdays(column: Sequence[Day], today: date) -> Bools:
    import numpy as np

    ordinals = _days(column)
    none = ordinals == NO_DAY
    month_day = _month_day(np.where(none, 0, ordinals - _EPOCH_ORDINAL).astype("datetime64[D]"))
    month_day[none] = 0
    # A 29 February birthday falls on 28 February in other years (dates.is_birthday).
    on = today.month * 100 + today.day
    leap_day = (today.month, today.day) == (2, 28) and not calendar.isleap(today.year)
    found: Bools = (month_day == on) | ((month_day == 229) if leap_day else (month_day < 0))
    return found


def judge_garden(columns: GardenColumns, today: date, rules: Rules) -> GardenJudgement:
    """Every person's stage, next feed, cadence, strength and trust, in one numpy pass."""
    import numpy as np

    t = today.toordinal()
    kept = columns.kept
    num = {name: _floats(kept[name]) for name in KEPT_NUMBERS}
    day = {name: _days(kept[name]) for name in KEPT_DATES}
    ints = {name: num[name].astype(np.int64) for name in KEPT_NUMBERS if "evidence" not in name}

    met = _days(columns.met_on)
    met = np.where(met > t, NO_DAY, met)
    known_since = _earliest(met, day["first_contact"])
    created = _days(columns.created_on)
    facts_known = np.where(known_since == NO_DAY, 0, np.maximum(0, t - known_since))
    start = np.where(known_since == NO_DAY, created, known_since)
    known = np.where(start == NO_DAY, 0, np.maximum(0, t - start))
    last_contact = np.maximum(day["last_answered"], day["last_intro"])  # NO_DAY is smallest

    # Trust (scores.trust_evidence, Evidence.expected), in the Python rules' order of terms.
    answered = day["last_answered"]
    good = (
        _anchored(num["evidence_contacts"], answered, t, rules.trust_half_life)
        + rules.trust_per_received_point
        * _anchored(num["evidence_received"], day["last_received"], t, rules.trust_half_life)
        + rules.trust_per_ask_yes
        * _anchored(num["evidence_yes"], day["last_yes"], t, rules.trust_half_life)
    )
    bad = (
        rules.trust_per_open_breach * ints["open_breaches"]
        + rules.trust_per_mended_breach * (ints["breaches"] - ints["open_breaches"])
        + rules.trust_per_ask_ignored * ints["asks_ignored"]
        + rules.trust_per_unanswered * ints["unanswered_streak"]
        + rules.trust_per_premature_pitch * ints["premature_pitches"]
    )
    total = good + bad + rules.trust_prior_weight
    trust = np.clip((good + rules.trust_base_rate * rules.trust_prior_weight) / total, 0.0, 1.0)

    # What the history has earned (lifecycle._grown, _not_yet_trusted).
    by_me, contacts = ints["by_me"], ints["contacts"]
    by_them = ints["interactions"] - by_me
    seed = (known < rules.seed_days) | (contacts < rules.seed_min_contacts)
    trusted = (
        (known >= rules.trusted_min_days)
        & (contacts >= rules.trusted_min_contacts)
        & (np.minimum(by_me, by_them) >= rules.trusted_min_each_side)
        & (ints["given_count"] >= rules.trusted_min_given)
        & (ints["open_breaches"] == 0)
        & ~(trust < rules.trusted_min_trust)
    )
    code = {s: STAGES.index(s) for s in STAGES}
    grown = np.where(
        seed, code[Stage.SEED], np.where(trusted, code[Stage.TRUSTED], code[Stage.GROWING])
    ).astype(np.int64)
    borderline = ~seed & (np.abs(trust - rules.trusted_min_trust) <= _TRUST_ROUNDING)

    # Cadence (lifecycle.cadence_days): a person's own override wins.
    own = np.asarray(columns.cadence_days, dtype=np.int64)
    by_stage = np.select(
        [
            grown == code[Stage.TRUSTED],
            grown == code[Stage.GROWING],
            known < rules.seed_days,
            known < rules.seed_stale_after_days,
        ],
        [rules.cadence_trusted, rules.cadence_growing, rules.cadence_new_seed, rules.cadence_seed],
        rules.cadence_stale_seed,
    )
    cadence = np.where(own != 0, own, by_stage).astype(np.int64)

    anchor = np.where(last_contact != NO_DAY, last_contact, start)
    quiet_days = np.where(anchor == NO_DAY, 0, t - anchor)
    is_seed = grown == code[Stage.SEED]
    quiet = ~is_seed & (quiet_days >= rules.dormant_after_cadences * cadence)
    awaiting = is_seed & (known < rules.seed_days) & (ints["interactions"] <= 1)
    next_feed = np.where(anchor == NO_DAY, NO_DAY, np.where(awaiting, anchor, anchor + cadence))

    causes = _weed_causes(ints, day["last_open_breach"], is_seed, t, rules)
    pruned = np.asarray(columns.pruned, dtype=np.bool_)
    stage = np.where(quiet, code[Stage.DORMANT], grown)
    stage = np.where(causes > 0, code[Stage.WEED], stage)
    stage = np.where(pruned, code[Stage.PRUNED], stage).astype(np.int64)

    strength = _strength(columns, ints, answered, facts_known, by_me, by_them, t, rules)
    raw_met = _days(columns.met_on)  # seeded_on reads met_on even when it is after today
    return GardenJudgement(
        today=today,
        ids=np.asarray(columns.ids, dtype=np.int64),
        stage=stage,
        grown=grown,
        next_feed=next_feed.astype(np.int64),
        cadence=cadence,
        strength=strength,
        trust=trust,
        known=known.astype(np.int64),
        awaiting=awaiting,
        weed_causes=causes,
        birthday=_birthdays(columns.birthday, today),
        pruned=pruned,
        python_only=day["latest_on"] > t,
        borderline=borderline,
        seeded=np.where(raw_met != NO_DAY, raw_met, start),
        balance=ints["given_weight"] - ints["received_weight"],
    )


def _weed_causes(
    ints: Mapping[str, Ints], last_open_breach: Ints, is_seed: Bools, t: int, rules: Rules
) -> Ints:
    """How many of lifecycle._weed's causes hold: taker, recent breach, unanswered."""
    import numpy as np

    given_count, given_weight = ints["given_count"], ints["given_weight"]
    received_count, received_weight = ints["received_count"], ints["received_weight"]
    lopsided = (
        (given_count >= rules.taker_min_given)
        & (given_weight - received_weight >= rules.taker_min_balance)
        & (received_weight <= rules.taker_max_return * given_weight)
    )
    taking = ints["their_asks"] + ints["their_pitches"]
    asks_without_giving = (taking >= rules.taker_min_asks) & (
        taking > rules.taker_max_asks_per_gift * received_count
    )
    breach = (last_open_breach != NO_DAY) & (t - last_open_breach < rules.breach_recent_days)
    unanswered = is_seed & (ints["unanswered_streak"] >= rules.unanswered_weed_streak)
    taker = lopsided | asks_without_giving
    count: Ints = taker.astype(np.int64) + breach.astype(np.int64) + unanswered.astype(np.int64)
    return count


def _strength(  # noqa: PLR0917 - the columns strength reads
    columns: GardenColumns,
    ints: Mapping[str, Ints],
    answered: Ints,
    facts_known: Ints,
    by_me: Ints,
    by_them: Ints,
    t: int,
    rules: Rules,
) -> Floats:
    """scores.strength over columns: intensity, two-way, exchanges and duration."""
    import numpy as np

    n = len(columns.ids)
    width = len(rules.half_lives)
    # Kept under the rules in force, every row has one sum per half-life, or none yet.
    if isinstance(columns.decayed, np.ndarray):  # zeros where there is no kept row
        sums = columns.decayed.astype(np.float64).reshape(n, width)
    else:
        zeros = [0.0] * width
        rows = [v or zeros for v in columns.decayed]
        sums = np.asarray(rows, dtype=np.float64).reshape(n, width)
    # The half-life that fits how long they have been known (Rules.half_life_index).
    index = np.zeros(n, dtype=np.int64)
    for i, start in enumerate(rules.half_life_from_days):
        index = np.where(facts_known >= start, i, index)
    half_life = np.asarray(rules.half_lives, dtype=np.float64)[index]
    total = sums[np.arange(n), index]
    decayed = _anchored(total, answered, t, half_life)
    both_ways = np.minimum(1.0, np.minimum(by_me, by_them) / max(1, rules.two_way_full_at))
    exchanges = ints["given_count"] + ints["received_count"]
    parts = (
        rules.strength_part_intensity * (1 - np.exp(-decayed / rules.strength_saturation)),
        rules.strength_part_two_way * both_ways,
        rules.strength_part_exchanges * (1 - np.exp(-exchanges / rules.exchanges_saturation)),
        rules.strength_part_duration
        * np.minimum(1.0, facts_known / max(1, rules.duration_full_days)),
    )
    value = ((parts[0] + parts[1]) + parts[2]) + parts[3]
    return np.clip(value, 0.0, 1.0)


@dataclass(frozen=True)
class FeedKeys:
    """What `feed.feed` ranks by, for everyone: who is fed today, on what due date, and how.

    `tier` and `lateness` are the first two parts of the feed's sort key (strength, from
    the judgement, is the third, the name the last); `due` is a day ordinal.
    """

    fed: Bools
    due: Ints
    tier: Ints
    lateness: Floats


def _snoozes(ids: Ints, snoozed: Mapping[int, date]) -> Ints:
    """Each person's snooze as a day ordinal, `NO_DAY` for none (snoozes are few)."""
    import numpy as np

    until = np.full(len(ids), NO_DAY, dtype=np.int64)
    if not snoozed or not len(ids):
        return until
    order = np.argsort(ids, kind="stable")
    keys = np.fromiter(snoozed, dtype=np.int64, count=len(snoozed))
    days = np.fromiter((d.toordinal() for d in snoozed.values()), np.int64, len(snoozed))
    at = np.minimum(np.searchsorted(ids, keys, sorter=order), len(ids) - 1)
    found = ids[order[at]] == keys  # snoozes of people not in these columns are left out
    until[order[at[found]]] = days[found]
    return until


def feed_keys(judged: GardenJudgement, snoozed: Mapping[int, date], rules: Rules) -> FeedKeys:
    """`feed.feed`'s filter and sort key over columns (due dates, birthdays, tiers)."""
    import numpy as np

    t = judged.today.toordinal()
    code = {s: STAGES.index(s) for s in STAGES}
    snooze = _snoozes(judged.ids, snoozed)
    due = np.where(judged.next_feed == NO_DAY, NO_DAY, np.maximum(judged.next_feed, snooze))
    birthday = judged.birthday & ~judged.pruned & (judged.stage != code[Stage.PRUNED])
    due = np.where(birthday & ((due == NO_DAY) | (due > t)), t, due)
    not_fed = (judged.stage == code[Stage.PRUNED]) | (judged.stage == code[Stage.WEED])
    tier = np.select(
        [
            birthday,
            judged.awaiting,
            judged.stage == code[Stage.DORMANT],
            (judged.stage == code[Stage.GROWING]) | (judged.stage == code[Stage.TRUSTED]),
            judged.known >= rules.seed_stale_after_days,
        ],
        [0, 1, 2, 3, 5],
        4,
    ).astype(np.int64)
    return FeedKeys(
        fed=birthday | ((due != NO_DAY) & (due <= t) & ~not_fed),
        due=due.astype(np.int64),
        tier=tier,
        lateness=(t - due) / np.maximum(1, judged.cadence),
    )


def feed_candidates(
    judged: GardenJudgement,
    snoozed: Mapping[int, date],
    rules: Rules,
    limit: int | None,
) -> list[int]:
    """The ids among whom `feed.feed` finds its first `limit`: judge these in Python.

    Everyone due today (or with a birthday) ranked as `feed.feed` ranks them; then the first
    `limit`, every one who ties with the last of them within rounding, and the people the
    columns cannot settle (`must_judge`). Ties on the name are left to the Python rules.
    """
    import numpy as np

    keys = feed_keys(judged, snoozed, rules)
    fed, tier, lateness, strength = keys.fed, keys.tier, keys.lateness, judged.strength
    must = judged.must_judge()
    if limit is None:
        return _ids(judged, fed | must)
    # Ranked without the people the columns cannot settle: they are judged in Python anyway,
    # and a wrong place of theirs must not push anyone out of the first `limit`.
    rows = np.flatnonzero(fed & ~must)
    order = rows[np.lexsort((-strength[rows], -lateness[rows], tier[rows]))]
    if len(order) <= limit:
        return _ids(judged, fed | must)
    last = order[limit - 1]
    # Everyone ranked up to the last, strengths within rounding of its counting as ties:
    # whichever way the Python rules break them, the first `limit` are among these.
    same_tier, same_lateness = tier == tier[last], lateness == lateness[last]
    close = strength >= strength[last] - _STRENGTH_ROUNDING
    ahead = (tier < tier[last]) | (
        same_tier & ((lateness > lateness[last]) | (same_lateness & close))
    )
    return _ids(judged, (fed & ahead) | must)


def weed_ids(judged: GardenJudgement) -> list[int]:
    """The ids among whom `weeding.weed_candidates` finds its weeds: judge these in Python."""
    code = STAGES.index(Stage.WEED)
    return _ids(judged, (judged.stage == code) | judged.must_judge())


def _ids(judged: GardenJudgement, chosen: Bools) -> list[int]:
    ids: list[int] = judged.ids[chosen].tolist()
    return ids


def stats_inputs(judged: GardenJudgement, sources: Sequence[str | None]) -> list[StatsInput]:
    """What `stats.stats_of` reads of everyone the columns settle (not `must_judge`)."""
    import numpy as np

    settled = np.flatnonzero(~judged.must_judge())
    # Each distinct seeding day worded once, as stats.seeded_month words it.
    days, which = np.unique(judged.seeded[settled], return_inverse=True)
    words = [seeded_month(None if d == NO_DAY else date.fromordinal(d)) for d in days.tolist()]
    stage, grown = judged.stage[settled].tolist(), judged.grown[settled].tolist()
    return [
        StatsInput(STAGES[s], STAGES[g], words[m], sources[i])
        for s, g, m, i in zip(stage, grown, which.tolist(), settled.tolist(), strict=True)
    ]
