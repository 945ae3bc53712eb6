"""The columns of a whole garden for the vectorised judgement: people joined to kept facts.

One query, one row per person, no history read: `core.garden_judgement` turns the columns
into arrays. When the account's facts are not kept under the rules in force, there are no
columns to read (None), and the caller judges from the history instead.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import sqlalchemy as sa

from kith.core.garden_judgement import KEPT_DATES, KEPT_NUMBERS, GardenColumns
from kith.core.kept_facts import rules_key
from kith.core.model import PersonState
from kith.core.rules import Rules
from kith.store.kept_facts import kept_key
from kith.store.tables import people, person_facts

_KEPT = (*KEPT_DATES, *KEPT_NUMBERS)


def load_garden_columns(
    conn: sa.Connection,
    account_id: int,
    rules: Rules,
    states: Collection[PersonState] | None = None,
) -> GardenColumns | None:
    """The people of the account (in these states) with their kept facts, as columns."""
    if kept_key(conn, account_id) != rules_key(rules):
        return None
    p, f = people.c, person_facts.c
    stmt = (
        sa.select(
            p.id,
            p.state,
            p.met_on,
            p.created_on,
            p.birthday,
            p.cadence_days,
            f.decayed,
            *(f[name] for name in _KEPT),
        )
        .select_from(
            people.outerjoin(
                person_facts, sa.and_(f.account_id == p.account_id, f.person_id == p.id)
            )
        )
        .where(p.account_id == account_id)
    )
    if states is not None:
        stmt = stmt.where(p.state.in_([str(s) for s in states]))
    rows = conn.execute(stmt).all()
    columns: list[tuple[Any, ...]] = (
        list(zip(*rows, strict=True)) if rows else [()] * (7 + len(_KEPT))
    )
    ids, state, met_on, created_on, birthday, cadence, decayed, *kept = columns
    return GardenColumns(
        ids=ids,
        states=state,
        met_on=met_on,
        created_on=created_on,
        birthday=birthday,
        cadence_days=cadence,
        kept=dict(zip(_KEPT, kept, strict=True)),
        decayed=decayed,
    )
