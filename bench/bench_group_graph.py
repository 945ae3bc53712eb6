"""`python -m bench.bench_group_graph [--members N] [--people P]`: the group's trust graph,
rebuilt on read, on a generated group on PostgreSQL.

Each member's garden holds P people: K other members (known by their own addresses, chosen
in proportion to a heavy-tailed popularity, so a few members are known to many), the rest
strangers; every member shares 3 contacts with the group, a tenth of them offering
fundraising advice. Interactions are drawn so that every stage occurs, and the facts are kept
(as after any write). Then `kith group path offers:fundraising`'s work is timed for one
member: the rebuild (reading and judging every tie in every garden), the personalised trust
metric, and the path search, best of RUNS.
"""

from __future__ import annotations

import argparse
import statistics
import time
from dataclasses import replace
from datetime import date, timedelta

import numpy as np
from sqlalchemy import text

from bench.bench_feed import postgres_url
from bench.garden import PEOPLE_COLUMNS, _bulk
from kith.app import community, group_paths, trust_graph
from kith.app.garden import open_garden
from kith.core import community_graph as cg
from kith.core.rules import Rules
from kith.settings import Settings
from kith.store import db, kept_facts

TODAY = date(2026, 11, 27)
RUNS = 5
KNOWN_MEMBERS = 15  # other members in each garden
SHARED = 3  # contacts each member shares with the group
FUNDRAISING_SHARE = 0.1


def build(url: str, members: int, people: int, seed: int = 1) -> None:
    """Fill an empty database with a group of `members`, each with a garden of `people`."""
    rng = np.random.default_rng(seed)
    engine = db.create(url)
    db.migrate(engine)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO community_groups (id, name, singleton, created_on)"
                " VALUES (1, 'Bench', true, :d)"
            ),
            {"d": TODAY},
        )
    accounts = [(i + 1, f"m{i}", "me") for i in range(members)]
    _bulk(engine, "accounts", ["id", "name", "me_name"], accounts)
    _bulk(
        engine,
        "members",
        ["account_id", "group_id", "role", "suspended", "joined_on"],
        [(a, 1, "member", False, TODAY) for a, _, _ in accounts],
    )
    _bulk(
        engine,
        "my_emails",
        ["account_id", "email"],
        [(a, f"{n}@bench.org") for a, n, _ in accounts],
    )
    popularity = rng.pareto(1.5, members) + 1.0
    popularity /= popularity.sum()
    people_rows, emails, interactions, shares = [], [], [], []
    pid = 0
    for a in range(1, members + 1):
        known = rng.choice(
            members, size=min(KNOWN_MEMBERS, members - 1), replace=False, p=popularity
        )
        for j in range(people):
            pid += 1
            is_member = j < len(known) and known[j] + 1 != a
            name = f"member {known[j]}" if is_member else f"person {a}-{j}"
            met = int(rng.integers(60, 1500))
            people_rows.append(
                (
                    pid,
                    a,
                    name.title(),
                    name,
                    TODAY - timedelta(days=met),
                    TODAY - timedelta(days=met),
                    "bench",
                    "active",
                    False,
                )
            )
            if is_member:
                emails.append((a, pid, f"m{known[j]}@bench.org"))
            for _ in range(int(rng.integers(1, 12))):
                ago = int(rng.integers(0, met))
                interactions.append(
                    (
                        a,
                        pid,
                        TODAY - timedelta(days=ago),
                        "meeting",
                        "them" if rng.random() < 0.5 else "me",
                        False,
                        "[]",
                    )
                )
            if people - SHARED <= j:
                offers = ["fundraising advice"] if rng.random() < FUNDRAISING_SHARE else ["design"]
                shares.append(
                    (
                        a,
                        pid,
                        TODAY,
                        {
                            "name": name.title(),
                            "offers": offers,
                            "interests": [],
                            "how_well_known": "growing",
                        },
                    )
                )
    _bulk(
        engine,
        "people",
        PEOPLE_COLUMNS,
        people_rows,
    )
    _bulk(engine, "person_emails", ["account_id", "person_id", "email"], emails)
    _bulk(
        engine,
        "interactions",
        ["account_id", "person_id", "on", "kind", "by", "unanswered", "topics"],
        interactions,
    )
    import json

    _bulk(
        engine,
        "shared_contacts",
        ["account_id", "person_id", "shared_on", "contact"],
        [(a, p, d, json.dumps(c)) for a, p, d, c in shares],
    )
    with engine.begin() as conn:
        conn.execute(text("SELECT setval('people_id_seq', (SELECT MAX(id) FROM people))"))
        for a in range(1, members + 1):
            kept_facts.rebuild(conn, a, Rules())
        conn.execute(text("ANALYZE"))
    engine.dispose()


def measure(url: str) -> dict[str, float]:
    """Best-of and median times of the rebuild, the metric and the whole path query."""
    garden = open_garden(replace(Settings(database_url=url), account="m0"), TODAY, existing=True)
    times: dict[str, list[float]] = {"rebuild": [], "metric": [], "query": []}
    sizes = (0, 0, 0)
    for _ in range(RUNS):
        with garden.reading() as conn:
            me = community.acting_member(conn, garden)
            start = time.perf_counter()
            built = trust_graph.load(conn, garden, me)
            times["rebuild"].append(time.perf_counter() - start)
            start = time.perf_counter()
            cg.trust_view(built.graph, built.me)
            times["metric"].append(time.perf_counter() - start)
        sizes = (len(built.graph.nodes), built.graph.paths.out_node.size, len(built.graph.ratings))
        start = time.perf_counter()
        found = group_paths.paths(garden, "offers:fundraising")
        times["query"].append(time.perf_counter() - start)
    garden.engine.dispose()
    print(
        f"nodes {sizes[0]}, path ties {sizes[1]}, signed ratings {sizes[2]};"
        f" paths found {len(found.paths)}"
    )
    return {k: min(v) for k, v in times.items()} | {
        f"{k} median": statistics.median(v) for k, v in times.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=300)
    parser.add_argument("--people", type=int, default=100)
    args = parser.parse_args()
    with postgres_url() as url:
        start = time.perf_counter()
        build(url, args.members, args.people)
        print(
            f"group of {args.members} members x {args.people} people built in"
            f" {time.perf_counter() - start:.1f} s"
        )
        for name, seconds in measure(url).items():
            print(f"{name}: {seconds * 1000:.0f} ms")


if __name__ == "__main__":
    main()
