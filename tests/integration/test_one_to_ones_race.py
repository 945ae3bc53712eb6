"""One-to-ones on real PostgreSQL and Citus: two partners confirming at once log it once."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa

from kith.app import community, one_to_ones
from kith.app.garden import Garden
from kith.settings import Settings
from kith.store.tables import interactions, people
from tests.conftest import TODAY

PASSWORD = "correct-horse-battery"
ROUNDS = 4


@pytest.fixture
def pair(community_db_url: str) -> Iterator[tuple[Garden, Garden]]:
    settings = Settings(database_url=community_db_url)
    server = community.open_server(settings, TODAY)
    made = community.create_group(server, "Lisbon Founders", "ana", PASSWORD)
    community.join(server, made.invitation.code, "bob", PASSWORD)
    server.engine.dispose()
    ana = community.open_member_garden(settings, TODAY, "ana")
    bob = community.open_member_garden(settings, TODAY, "bob")
    yield ana, bob
    ana.engine.dispose()
    bob.engine.dispose()


def _meetings_in(garden: Garden) -> tuple[int, int]:
    """(meeting interactions, people) in a garden."""
    with garden.engine.connect() as conn:
        logged = conn.execute(
            sa.select(sa.func.count()).where(interactions.c.account_id == garden.account_id)
        ).scalar_one()
        planted = conn.execute(
            sa.select(sa.func.count()).where(people.c.account_id == garden.account_id)
        ).scalar_one()
    return int(logged), int(planted)


def test_partners_confirming_at_once_log_the_meeting_exactly_once_in_each_garden(
    pair: tuple[Garden, Garden],
) -> None:
    ana, bob = pair
    for garden in pair:
        one_to_ones.opt(garden, opted_in=True)
    for k in range(1, ROUNDS + 1):
        one_to_ones.run_round(ana)  # two members: the same pair, the only choice
        sides = {g.account_id: one_to_ones.meetings(g)[0].id for g in pair}
        start = threading.Barrier(2)

        def confirm(
            garden: Garden, sides: dict[int, int] = sides, start: threading.Barrier = start
        ) -> bool:
            start.wait()
            return one_to_ones.met(garden, str(sides[garden.account_id])).held

        with ThreadPoolExecutor(2) as pool:
            held = list(pool.map(confirm, [ana, bob]))
        assert sorted(held) == [False, True], f"round {k}: exactly one saw both confirmed"
        assert _meetings_in(ana) == (k, 1) and _meetings_in(bob) == (k, 1)
        assert all(one_to_ones.meetings(g)[0].held for g in pair)


def test_two_rounds_made_at_once_repeat_no_pair(community_db_url: str) -> None:
    settings = Settings(database_url=community_db_url)
    server = community.open_server(settings, TODAY)
    made = community.create_group(server, "Lisbon Founders", "ana", PASSWORD)
    ana = community.open_member_garden(settings, TODAY, "ana")
    community.join(server, community.invite(ana, role="organiser").code, "olga", PASSWORD)
    for login in ("bob", "cleo"):
        community.join(server, community.invite(ana).code, login, PASSWORD)
    community.join(server, made.invitation.code, "dan", PASSWORD)
    server.engine.dispose()
    gardens = [community.open_member_garden(settings, TODAY, x) for x in ("olga", "bob", "cleo")]
    try:
        for garden in (ana, *gardens):
            one_to_ones.opt(garden, opted_in=True)  # four: ana, olga, bob, cleo (dan stays out)
        start = threading.Barrier(2)

        def run(garden: Garden) -> list[frozenset[str]]:
            start.wait()
            made = one_to_ones.run_round(garden)
            return [
                frozenset((a, b))
                for m in made.meetings
                for i, a in enumerate(m.members)
                for b in m.members[i + 1 :]
            ]

        with ThreadPoolExecutor(2) as pool:
            first, second = pool.map(run, [ana, gardens[0]])
        assert not set(first) & set(second), "the later round saw the earlier one's pairs"
    finally:
        for garden in (ana, *gardens):
            garden.engine.dispose()
