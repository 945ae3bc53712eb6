"""The capture log: one row per run of `kith capture`, and what each run added.

Rows a run adds carry its id (`capture_run_id`), so `kith capture undo RUN` deletes exactly
those and nothing a user logged by hand or another run added.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, func, insert, or_, select, update

from kith.store import kept_facts
from kith.store.bulk import keyed
from kith.store.tables import capture_runs, exchanges, interactions, people


@dataclass(frozen=True)
class CaptureRun:
    """One capture run as the log keeps it; `present` counts its rows still in the garden."""

    id: int
    source: str
    started_at: datetime
    counts: Mapping[str, Any]
    undone_at: datetime | None
    present: int


def start_run(conn: Connection, account_id: int, source: str, started_at: datetime) -> int:
    """Open a run's log row; its counts are filled in by `finish_run`."""
    statement = insert(capture_runs).values(
        account_id=account_id, source=source[:500], started_at=started_at, counts={}
    )
    return int(conn.execute(statement.returning(capture_runs.c.id)).scalar_one())


def last_counts(conn: Connection, account_id: int, source: str) -> Mapping[str, Any] | None:
    """The counts of the newest run from `source` not undone: where the next run goes on."""
    row = conn.execute(
        select(capture_runs.c.counts)
        .where(capture_runs.c.account_id == account_id)
        .where(capture_runs.c.source == source[:500], capture_runs.c.undone_at.is_(None))
        .order_by(capture_runs.c.id.desc())
        .limit(1)
    ).first()
    return None if row is None else dict(row.counts or {})


def finish_run(conn: Connection, run_id: int, counts: Mapping[str, Any]) -> None:
    """Record what the run found and added."""
    conn.execute(update(capture_runs).where(capture_runs.c.id == run_id).values(counts=counts))


def add_interactions(conn: Connection, run_id: int, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert captured interactions, each marked with the run that added it."""
    if rows:
        conn.execute(insert(interactions), [{**row, "capture_run_id": run_id} for row in rows])
        _refresh_facts(conn, rows)


def add_exchanges(conn: Connection, run_id: int, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert captured help given or received, each marked with the run that added it."""
    if rows:
        conn.execute(insert(exchanges), [{**row, "capture_run_id": run_id} for row in rows])
        _refresh_facts(conn, rows)


def _refresh_facts(conn: Connection, rows: Sequence[Mapping[str, Any]]) -> None:
    """Keep the facts of the people the rows belong to (a bulk write: recompute them)."""
    for account_id in {int(row["account_id"]) for row in rows}:
        people_of = {int(r["person_id"]) for r in rows if int(r["account_id"]) == account_id}
        kept_facts.refresh(conn, account_id, people_of)


def existing_exchanges(
    conn: Connection, account_id: int, person_ids: Sequence[int]
) -> set[tuple[int, str, str, str]]:
    """(person, direction, kind, what) of the help already recorded with these people."""
    if not person_ids:
        return set()
    rows = conn.execute(
        select(exchanges.c.person_id, exchanges.c.direction, exchanges.c.kind, exchanges.c.what)
        .where(exchanges.c.account_id == account_id)
        .where(exchanges.c.person_id.in_(sorted(set(person_ids))))
    )
    return {(r.person_id, r.direction, r.kind, r.what) for r in rows}


def fill_how_we_met(
    conn: Connection, account_id: int, met: Mapping[int, tuple[str, Any]], vague: str
) -> int:
    """Set where and when we met for people who have no "where" yet, or only `vague`."""
    done = 0
    for person_id, (where, on) in met.items():
        result = conn.execute(
            update(people)
            .where(people.c.account_id == account_id, people.c.id == person_id)
            .where(or_(people.c.met_where.is_(None), people.c.met_where == vague))
            .values(met_where=where, met_on=on)
        )
        done += int(result.rowcount or 0)
    return done


def _present(account_id: int) -> Any:
    parts = [
        select(table.c.capture_run_id.label("run"))
        .where(table.c.account_id == account_id)
        .where(table.c.capture_run_id.is_not(None))
        for table in (interactions, exchanges)
    ]
    rows = parts[0].union_all(parts[1]).subquery()
    return select(rows.c.run, func.count().label("n")).group_by(rows.c.run).subquery()


def list_runs(conn: Connection, account_id: int) -> list[CaptureRun]:
    """Every run of the garden, newest first, with how many of its rows are still there."""
    present = _present(account_id)
    rows = conn.execute(
        select(capture_runs, func.coalesce(present.c.n, 0).label("present"))
        .outerjoin(present, present.c.run == capture_runs.c.id)
        .where(capture_runs.c.account_id == account_id)
        .order_by(capture_runs.c.id.desc())
    )
    return [
        CaptureRun(r.id, r.source, r.started_at, dict(r.counts or {}), r.undone_at, r.present)
        for r in rows
    ]


def find_run(conn: Connection, account_id: int, run_id: int) -> CaptureRun | None:
    """One run of the garden, or None when the garden has no such run."""
    return next((run for run in list_runs(conn, account_id) if run.id == run_id), None)


def undo_run(conn: Connection, account_id: int, run_id: int, now: datetime) -> int:
    """Delete the rows the run added and mark it undone; how many rows went."""
    removed = 0
    touched: set[int] = set()
    for table in (interactions, exchanges):
        touched |= set(
            conn.execute(
                select(table.c.person_id).where(
                    table.c.account_id == account_id, table.c.capture_run_id == run_id
                )
            ).scalars()
        )
        result = conn.execute(
            delete(table).where(table.c.account_id == account_id, table.c.capture_run_id == run_id)
        )
        removed += int(result.rowcount or 0)
    conn.execute(
        update(capture_runs)
        .where(capture_runs.c.account_id == account_id, capture_runs.c.id == run_id)
        .values(undone_at=now)
    )
    kept_facts.refresh(conn, account_id, touched)
    return removed


def existing_source_keys(conn: Connection, account_id: int, keys: Collection[str]) -> set[str]:
    """Which capture keys are already logged, so a re-run adds nothing."""
    return set(keyed(conn, account_id, interactions.c.source_key, interactions.c.id, keys))
