"""How long a one-to-one round and its confirmations take for a group on PostgreSQL.

Run: `python -m bench.bench_rounds [--members N] [--rounds R]` (default 1,000 members, 3
rounds). Members are written straight into the tables (joining through argon2 would time
the password hash, not the round); each has two to four "me" tags out of 60. Prints the
time of each `run_round` (reading the group's earlier pairs, pairing, writing every side)
and of confirming every side of the first round (the second confirmation of each meeting
logs it in both gardens). Not in `python -m bench`'s list: it writes no docs section.
"""

from __future__ import annotations

import argparse
import time
from datetime import date

import numpy as np
from sqlalchemy import create_engine, insert, select

from bench.bench_feed import postgres_url
from kith.app import community, one_to_ones
from kith.settings import Settings
from kith.store import db
from kith.store.tables import accounts, community_groups, members, tags

TODAY = date(2026, 11, 27)
TAGS = [f"topic {i}" for i in range(60)]


def _plant_group(url: str, size: int) -> None:
    engine = create_engine(url)
    db.migrate(engine)
    rng = np.random.default_rng(14)
    with engine.begin() as conn:
        group = conn.execute(
            insert(community_groups)
            .values(name="Bench Chapter", singleton=True, created_on=TODAY)
            .returning(community_groups.c.id)
        ).scalar_one()
        conn.execute(insert(accounts), [{"name": f"m{i:05d}"} for i in range(size)])
        ids = conn.execute(select(accounts.c.id).order_by(accounts.c.name)).scalars().all()
        roles = ["organiser"] + ["member"] * (size - 1)
        conn.execute(
            insert(members),
            [
                {
                    "account_id": a,
                    "group_id": group,
                    "role": r,
                    "joined_on": TODAY,
                    "one_to_ones": True,
                }
                for a, r in zip(ids, roles, strict=True)
            ],
        )
        rows = []
        for a in ids:
            for kind in ("interest", "need", "offer"):
                for t in rng.choice(TAGS, size=int(rng.integers(0, 3)), replace=False):
                    rows.append({"account_id": a, "person_id": None, "kind": kind, "value": str(t)})
        conn.execute(insert(tags), rows)
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with postgres_url() as url:
        _plant_group(url, args.members)
        settings = Settings(database_url=url)
        organiser = community.open_member_garden(settings, TODAY, "m00000")
        for k in range(args.rounds):
            start = time.perf_counter()
            made = one_to_ones.run_round(organiser, seed=k)
            took = time.perf_counter() - start
            print(
                f"round {k + 1}: {args.members} members, {len(made.meetings)} meetings,"
                f" {made.repeats} repeats, sits out: {made.sits_out}: {took:.2f} s",
                flush=True,
            )
        organiser.engine.dispose()
        _confirm_all(settings, min(args.members, 200))


def _confirm_all(settings: Settings, how_many: int) -> None:
    """Each of the first `how_many` members confirms their side of the first round."""
    took = []
    for i in range(how_many):
        garden = community.open_member_garden(settings, TODAY, f"m{i:05d}")
        first_round = min(s.round_id for s in one_to_ones.meetings(garden))
        for side in one_to_ones.meetings(garden):
            if side.round_id == first_round and side.status == "pending":
                start = time.perf_counter()
                one_to_ones.met(garden, str(side.id))
                took.append(time.perf_counter() - start)
        garden.engine.dispose()
    times = np.array(took) * 1000
    print(
        f"confirmations: {times.size}, median {np.median(times):.1f} ms,"
        f" p95 {np.percentile(times, 95):.1f} ms (both-confirmed ones log into two gardens)"
    )


if __name__ == "__main__":
    main()
