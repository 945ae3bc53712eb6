"""Keeping `person_facts` in step with the history, in the transaction of each write.

Each write to a person's history folds its one event into that person's row
(`note_interaction`, `note_exchange`, ...): a primary-key read and write, plus, for a contact
later than any other, one index range look-up of the outreach after it. Rare writes (an
outcome, a mended breach, a merge, a forget, a bulk capture or restore) `refresh` the people
they touched from their history. An account whose `facts_rules` row is missing is not kept:
its writes skip this and its reads compute from the history (`store/facts.py`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Collection, Iterable
from datetime import date
from typing import Any

from sqlalchemy import Connection, and_, delete, func, insert, select, type_coerce, update
from sqlalchemy.types import NullType

from kith.core.kept_facts import (
    DayOrdinals,
    Folding,
    KeptFacts,
    Outreach,
    fold_ask,
    fold_breach,
    fold_exchange,
    fold_interactions,
    fold_their_ask,
    needs_outreach_after,
    rules_key,
    rules_of_key,
    same_kept,
    with_ask,
    with_breach,
    with_exchange,
    with_interaction,
    with_their_ask,
)
from kith.core.model import (
    Ask,
    AskOutcome,
    Breach,
    Direction,
    Exchange,
    Initiator,
    Interaction,
    TheirAsk,
)
from kith.core.rules import Rules
from kith.store.tables import (
    asks,
    breaches,
    exchanges,
    facts_rules,
    interactions,
    person_facts,
    their_asks,
)

_FIELDS = tuple(f.name for f in dataclasses.fields(KeptFacts) if f.name != "person_id")
# The kept columns in KeptFacts' order (after person_id), to build it by position.
KEPT_COLUMNS = tuple(person_facts.c[name] for name in _FIELDS)
_DECAYED = _FIELDS.index("decayed")
CHUNK = 500  # ids per IN list: well under SQLite's bound-parameter limit


def kept_key(conn: Connection, account_id: int) -> str | None:
    """The rules key the account's facts are kept under; None when they are not kept."""
    key = conn.execute(
        select(facts_rules.c.rules).where(facts_rules.c.account_id == account_id)
    ).scalar()
    return None if key is None else str(key)


def ensure(conn: Connection, account_id: int, rules: Rules) -> bool:
    """Keep the account's facts under `rules`, rebuilding them if they were kept otherwise."""
    if kept_key(conn, account_id) == rules_key(rules):
        return False
    rebuild(conn, account_id, rules)
    return True


def rebuild(conn: Connection, account_id: int, rules: Rules) -> int:
    """Recompute every row of the account from its history under `rules`; how many rows."""
    conn.execute(delete(facts_rules).where(facts_rules.c.account_id == account_id))
    conn.execute(insert(facts_rules).values(account_id=account_id, rules=rules_key(rules)))
    conn.execute(delete(person_facts).where(person_facts.c.account_id == account_id))
    rows = rebuilt(conn, account_id, rules)
    _write(conn, account_id, rows.values())
    # A rebuild rewrites the whole table at once: give the planner its new statistics now
    # (without them PostgreSQL reads a garden's facts by one index look-up per person).
    conn.exec_driver_sql("ANALYZE person_facts")
    return len(rows)


def refresh(conn: Connection, account_id: int, person_ids: Collection[int]) -> None:
    """Recompute these people's rows from their history (people gone lose theirs)."""
    key = kept_key(conn, account_id)
    if key is None or not person_ids:
        return
    ids = sorted(set(person_ids))
    forget(conn, account_id, ids)
    _write(conn, account_id, rebuilt(conn, account_id, rules_of_key(key), ids).values())


def forget(conn: Connection, account_id: int, person_ids: Collection[int]) -> None:
    """Drop these people's rows (before the people themselves go)."""
    for chunk in _chunks(sorted(set(person_ids))):
        conn.execute(
            delete(person_facts).where(
                person_facts.c.account_id == account_id, person_facts.c.person_id.in_(chunk)
            )
        )


def note_interaction(conn: Connection, account_id: int, item: Interaction) -> None:
    """Fold one new interaction into its person's row."""

    def fold(kept: KeptFacts, rules: Rules) -> KeptFacts:
        after: Outreach = (0, None)
        if needs_outreach_after(kept, item):
            after = _outreach_after(conn, account_id, item.person_id, item.on)
        return with_interaction(kept, item, rules, after)

    _note(conn, account_id, item.person_id, fold)


def note_exchange(conn: Connection, account_id: int, item: Exchange) -> None:
    """Fold one new exchange into its person's row."""
    _note(conn, account_id, item.person_id, lambda kept, rules: with_exchange(kept, item, rules))


def note_ask(conn: Connection, account_id: int, item: Ask) -> None:
    """Fold one new ask of mine into its person's row."""
    _note(conn, account_id, item.person_id, lambda kept, rules: with_ask(kept, item, rules))


def note_breach(conn: Connection, account_id: int, item: Breach) -> None:
    """Fold one new breach into its person's row."""
    _note(conn, account_id, item.person_id, lambda kept, _: with_breach(kept, item))


def note_their_ask(conn: Connection, account_id: int, item: TheirAsk) -> None:
    """Fold one new ask (or pitch) of theirs into its person's row."""
    _note(conn, account_id, item.person_id, lambda kept, _: with_their_ask(kept, item))


def load_kept(
    conn: Connection, account_id: int, person_ids: Collection[int] | None = None
) -> dict[int, KeptFacts]:
    """The kept rows of the account (or of these people)."""
    stmt = select(person_facts.c.person_id, *KEPT_COLUMNS).where(
        person_facts.c.account_id == account_id
    )
    if person_ids is None:  # by position: drift reads every row of a garden
        return {row[0]: kept_of_values(row[0], list(row[1:])) for row in conn.execute(stmt)}
    found: dict[int, KeptFacts] = {}
    for chunk in _chunks(sorted(set(person_ids))):
        rows = conn.execute(stmt.where(person_facts.c.person_id.in_(chunk)))
        found.update({row[0]: kept_of_values(row[0], list(row[1:])) for row in rows})
    return found


def drift(conn: Connection, account_id: int) -> list[int]:
    """The people whose kept row differs from a rebuild from their history."""
    key = kept_key(conn, account_id)
    if key is None:
        return []
    kept = load_kept(conn, account_id)
    fresh = rebuilt(conn, account_id, rules_of_key(key))
    return sorted(
        pid
        for pid in set(kept) | set(fresh)
        if not same_kept(kept.get(pid, KeptFacts(pid)), fresh.get(pid, KeptFacts(pid)))
    )


def rebuilt(
    conn: Connection, account_id: int, rules: Rules, person_ids: Collection[int] | None = None
) -> dict[int, KeptFacts]:
    """Every row rebuilt from the history: one streamed query per table, folded in Python.

    The columns are read raw (no per-row date parsing nor model objects: days become
    ordinals through a cache of the few distinct values) and folded into one mutable
    `Folding` per person, frozen once: the same arithmetic as the `with_*` folds the writes
    use, in the same order, so every kept value comes out bit for bit the same.
    """
    rebuilding = _Rebuilding(conn, account_id, person_ids, rules)
    rebuilding.interactions()
    rebuilding.exchanges()
    rebuilding.asks()
    rebuilding.breaches()
    rebuilding.their_asks()
    return {pid: f.frozen() for pid, f in rebuilding.folds.items()}


class _Rebuilding:
    """One rebuild under way: the people folded so far, and the days parsed so far."""

    def __init__(
        self,
        conn: Connection,
        account_id: int,
        person_ids: Collection[int] | None,
        rules: Rules,
    ) -> None:
        self.conn, self.account_id, self.person_ids = conn, account_id, person_ids
        self.rules, self.folds, self.days = rules, dict[int, Folding](), DayOrdinals()

    def rows(self, *columns: Any) -> Iterable[Any]:
        return _rows(self.conn, self.account_id, self.person_ids, *columns)

    def folding(self, person_id: int) -> Folding:
        found = self.folds.get(person_id)
        if found is None:
            found = self.folds[person_id] = Folding(person_id)
        return found

    def interactions(self) -> None:
        """In (person, date) order, as `fold_interactions` needs them."""
        i = interactions.c
        rows = self.rows(i.person_id, i.on, i.kind, i.by, i.unanswered)
        fold_interactions(self.folds, rows, self.days, self.rules)

    def exchanges(self) -> None:
        x, days, given = exchanges.c, self.days, Direction.GIVEN.value
        for pid, on, way, weight, intro in self.rows(
            x.person_id, x.on, x.direction, x.weight, x.intro_id
        ):
            f = self.folding(pid)
            fold_exchange(f, days[on], way == given, weight, intro is not None, rules=self.rules)

    def asks(self) -> None:
        a, days = asks.c, self.days
        outcomes = {o.value: o for o in AskOutcome}
        for pid, on, outcome, outcome_on in self.rows(a.person_id, a.on, a.outcome, a.outcome_on):
            f = self.folding(pid)
            fold_ask(f, days[on], outcomes[outcome], days[outcome_on], rules=self.rules)

    def breaches(self) -> None:
        b, days = breaches.c, self.days
        for pid, on, resolved_on in self.rows(b.person_id, b.on, b.resolved_on):
            fold_breach(self.folding(pid), days[on], days[resolved_on])

    def their_asks(self) -> None:
        t, days = their_asks.c, self.days
        for pid, on, pitch, premature in self.rows(t.person_id, t.on, t.pitch, t.premature):
            fold_their_ask(self.folding(pid), days[on], bool(pitch), bool(premature))


def _rows(
    conn: Connection, account_id: int, person_ids: Collection[int] | None, *columns: Any
) -> Iterable[Any]:
    """These columns of one history table, raw, in (person, date, id) order, streamed."""
    table = columns[0].table
    stmt = (
        select(*(type_coerce(c, NullType()) for c in columns))
        .where(table.c.account_id == account_id)
        .order_by(table.c.person_id, table.c.on, table.c.id)
    )
    if person_ids is None:  # the whole account: streamed, a batch of rows at a time
        for batch in conn.execute(stmt.execution_options(yield_per=5000)).partitions():
            yield from batch
        return
    for chunk in _chunks(sorted(set(person_ids))):
        yield from conn.execute(stmt.where(table.c.person_id.in_(chunk)))


def _note(
    conn: Connection,
    account_id: int,
    person_id: int,
    fold: Callable[[KeptFacts, Rules], KeptFacts],
) -> None:
    key = kept_key(conn, account_id)
    if key is None:
        return
    where = and_(person_facts.c.account_id == account_id, person_facts.c.person_id == person_id)
    row = conn.execute(select(person_facts).where(where).with_for_update()).first()
    kept = fold(KeptFacts(person_id) if row is None else kept_of_row(row), rules_of_key(key))
    if row is None:
        _write(conn, account_id, [kept])
    else:
        conn.execute(update(person_facts).where(where).values(_values(kept)))


def _outreach_after(conn: Connection, account_id: int, person_id: int, on: date) -> Outreach:
    """My unanswered outreaches to this person dated after `on`: how many, and the latest."""
    i = interactions.c
    count, latest = conn.execute(
        select(func.count(), func.max(i.on)).where(
            i.account_id == account_id,
            i.person_id == person_id,
            i.on > on,
            i.by == Initiator.ME.value,
            i.unanswered,
        )
    ).one()
    return int(count), latest


def _write(conn: Connection, account_id: int, rows: Iterable[KeptFacts]) -> None:
    values = [{"account_id": account_id, "person_id": k.person_id, **_values(k)} for k in rows]
    for start in range(0, len(values), 5000):
        conn.execute(insert(person_facts), values[start : start + 5000])


def _values(kept: KeptFacts) -> dict[str, Any]:
    values = {name: getattr(kept, name) for name in _FIELDS}
    values["decayed"] = list(kept.decayed)
    return values


def kept_of_row(row: Any) -> KeptFacts:
    """A `person_facts` row as KeptFacts."""
    return kept_of_values(row.person_id, [getattr(row, name) for name in _FIELDS])


def kept_of_values(person_id: int, values: list[Any]) -> KeptFacts:
    """KeptFacts from the values of `KEPT_COLUMNS`, in their order."""
    values[_DECAYED] = tuple(float(v) for v in values[_DECAYED] or ())
    return KeptFacts(person_id, *values)


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]
