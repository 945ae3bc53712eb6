"""The group's directory and inbox at scale, on PostgreSQL (issue 14).

Builds a group of MEMBERS members straight into the tables (no argon2, no CLI), each with a
"me" of interests, offers and needs drawn from the shipped vocabulary and a long tail of
other words, most of them published; then times, through the app as a member would:
a directory search by a synonym, "who helps me", "whom I can help", and an inbox of
NOTICES notifications shown and marked read. Writes the "Directory" section of
docs/performance.md.
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable
from datetime import date

from sqlalchemy import insert, select, text

from bench.bench_feed import postgres_url
from bench.report import write_section
from kith.app import notifications, profiles
from kith.app.community import open_member_garden
from kith.app.garden import Garden
from kith.core.notices import Link
from kith.core.profiles import Search
from kith.core.tags import load_vocabulary
from kith.settings import Settings
from kith.store import db
from kith.store.tables import accounts, community_groups, members, profile_fields, tags

MEMBERS = int(os.environ.get("KITH_BENCH_DIRECTORY_MEMBERS", "10000"))
NOTICES = 1_000
TODAY = date(2026, 12, 1)
BATCH = 5_000


def _words(rng: random.Random) -> list[str]:
    known = sorted(load_vocabulary().display.values())
    return known + [f"niche topic {i}" for i in range(2_000)]


def build(url: str) -> None:
    """The group, its members, their "me" tags and what each publishes."""
    engine = db.create(url)
    db.migrate(engine)
    rng = random.Random(14)
    words = _words(rng)
    with engine.begin() as conn:
        group = conn.execute(
            insert(community_groups)
            .values(name="Bench", singleton=True, created_on=TODAY)
            .returning(community_groups.c.id)
        ).scalar_one()
        conn.execute(insert(accounts), [{"name": f"m{i:06d}"} for i in range(MEMBERS)])
        ids = conn.execute(select(accounts.c.id).order_by(accounts.c.id)).scalars().all()
        conn.execute(
            insert(members),
            [
                {"account_id": a, "group_id": group, "role": "member", "joined_on": TODAY}
                for a in ids
            ],
        )
        rows: list[dict[str, object]] = []
        shown: list[dict[str, object]] = []
        for a in ids:
            for kind, count in (("interest", 3), ("offer", 2), ("need", 2)):
                rows += [
                    {"account_id": a, "person_id": None, "kind": kind, "value": w}
                    for w in rng.sample(words, count)
                ]
            shown += [
                {"account_id": a, "field": f}
                for f, share in (("interests", 0.8), ("offers", 0.7), ("needs", 0.5))
                if rng.random() < share
            ]
        for start in range(0, len(rows), BATCH):
            conn.execute(insert(tags), rows[start : start + BATCH])
        conn.execute(insert(profile_fields), shown)
    engine.dispose()


def best(runs: int, job: Callable[[], object]) -> float:
    job()  # warm: the vocabulary, caches, the connection pool
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        job()
        times.append(time.perf_counter() - started)
    return min(times)


def _fill_inbox(garden: Garden, actor: int) -> None:
    with garden.transaction() as conn:
        for i in range(NOTICES):
            notifications.notify(
                conn,
                to=garden.account_id,
                kind="referral_received",
                about=Link("referral", i + 1, owner=actor),
                parts={"what": f"lead {i}"},
                actor=actor,
                today=TODAY,
            )


def main() -> None:
    with postgres_url() as url:
        started = time.perf_counter()
        build(url)
        build_s = time.perf_counter() - started
        garden = open_member_garden(Settings(database_url=url), TODAY, "m000000")
        with garden.transaction() as conn:
            conn.execute(text("ANALYZE"))
        found = len(profiles.directory(garden, Search(interest="bouldering")).members)
        search_s = best(3, lambda: profiles.directory(garden, Search(interest="bouldering")))
        everyone_s = best(3, lambda: profiles.directory(garden, Search()))
        helps_s = best(3, lambda: profiles.helps_me(garden))
        i_help_s = best(3, lambda: profiles.i_can_help(garden))
        _fill_inbox(garden, garden.account_id + 1)
        started = time.perf_counter()
        shown = len(notifications.inbox(garden).notifications)
        inbox_s = time.perf_counter() - started
        while notifications.inbox(garden).unread_left:
            pass  # read the rest, 200 at a time
        empty_s = best(3, lambda: notifications.inbox(garden))
        garden.engine.dispose()
    body = f"""`python -m bench bench_directory` (KITH_BENCH_DIRECTORY_MEMBERS={MEMBERS}): a group
of {MEMBERS:,} members on PostgreSQL, each "me" with 3 interests, 2 offers and 2 needs (the
shipped vocabulary and 2,000 other words), interests published by 80%, offers by 70%, needs
by 50%. Best of 3 after a warm-up, through the app, on a 2-core machine shared with other
work (built in {build_s:.1f} s).

| action | time |
|---|---|
| `kith group directory --interest bouldering` ({found} found) | {search_s:.2f} s |
| `kith group directory` (everyone) | {everyone_s:.2f} s |
| `kith group helps-me` | {helps_s:.2f} s |
| `kith group i-can-help` | {i_help_s:.2f} s |
| `kith group inbox`, {NOTICES:,} unread ({shown} shown, marked read) | {inbox_s:.3f} s |
| `kith group inbox`, nothing unread | {empty_s:.3f} s |
"""
    print(body)
    write_section("Directory", body)


if __name__ == "__main__":
    main()
