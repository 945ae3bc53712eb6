"""Invitations on real PostgreSQL: two joins racing for one code, exactly one wins."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa

from kith.app import community
from kith.app.errors import KithError
from kith.settings import Settings
from kith.store import community as store
from kith.store.people import ensure_account
from kith.store.tables import invitations
from tests.conftest import TODAY

PASSWORD = "correct-horse-battery"


@pytest.fixture
def server(community_db_url: str) -> Iterator[community.Server]:
    opened = community.open_server(Settings(database_url=community_db_url), TODAY)
    community.create_group(opened, "Lisbon Founders", "ana", PASSWORD)
    yield opened
    opened.engine.dispose()


def _invite(server: community.Server, community_db_url: str) -> community.InvitationView:
    ana = community.open_member_garden(Settings(database_url=community_db_url), TODAY, "ana")
    try:
        return community.invite(ana)
    finally:
        ana.engine.dispose()


def test_two_concurrent_joins_with_one_code_make_exactly_one_member(
    server: community.Server, community_db_url: str
) -> None:
    made = _invite(server, community_db_url)
    code = made.code
    start = threading.Barrier(2)

    def join(login: str) -> str:
        start.wait()
        try:
            return community.join(server, code, login, PASSWORD).login
        except KithError as exc:
            return f"refused: {exc}"

    with ThreadPoolExecutor(2) as pool:
        outcomes = sorted(pool.map(join, ["bob", "carl"]))
    joined = [o for o in outcomes if not o.startswith("refused")]
    assert len(joined) == 1, outcomes
    assert "already been used" in next(o for o in outcomes if o.startswith("refused"))
    with server.engine.connect() as conn:
        loser = "carl" if joined == ["bob"] else "bob"
        assert store.member_by_login(conn, joined[0]) is not None
        assert store.member_by_login(conn, loser) is None  # nor an account left behind
        winner = store.member_by_login(conn, joined[0])
        assert winner is not None
        used_by = sa.select(invitations.c.used_by).where(invitations.c.id == made.id)
        assert conn.execute(used_by).scalar() == winner.account_id


def test_two_concurrent_joins_for_one_login_make_one_account(
    server: community.Server, community_db_url: str
) -> None:
    made = [_invite(server, community_db_url), _invite(server, community_db_url)]
    codes = [m.code for m in made]
    start = threading.Barrier(2)

    def join(code: str) -> str:
        start.wait()
        try:
            return community.join(server, code, "bob", PASSWORD).login
        except KithError as exc:
            return f"refused: {exc}"

    with ThreadPoolExecutor(2) as pool:
        outcomes = sorted(pool.map(join, codes))
    assert outcomes[0] == "bob" and outcomes[1] == "refused: login: bob is taken", outcomes
    with server.engine.connect() as conn:
        used = (
            conn.execute(
                sa.select(invitations.c.used_by.is_not(None)).where(
                    invitations.c.id.in_([m.id for m in made])
                )
            )
            .scalars()
            .all()
        )
    assert sorted(used) == [False, True]  # the loser's invitation is still unused


def test_the_second_claim_waits_for_the_first_and_then_finds_the_code_used(
    server: community.Server, community_db_url: str
) -> None:
    made = _invite(server, community_db_url)
    with server.engine.begin() as conn:
        code_hash = conn.execute(
            sa.select(invitations.c.code_hash).where(invitations.c.id == made.id)
        ).scalar_one()
        bob, carl = ensure_account(conn, "bob"), ensure_account(conn, "carl")
    first = server.engine.connect()
    first.begin()
    assert store.claim_invitation(first, code_hash, bob, TODAY)
    second: list[bool] = []

    def claim() -> None:
        with server.engine.begin() as conn:
            second.append(store.claim_invitation(conn, code_hash, carl, TODAY))

    racer = threading.Thread(target=claim)
    racer.start()
    _wait_until_blocked(first)
    first.commit()
    first.close()
    racer.join()
    assert second == [False]


def _wait_until_blocked(conn: sa.Connection) -> None:
    """Until another session waits on a lock (the second claim, on the invitation's row).

    On Citus the row lock is taken on the workers: the coordinator's session then waits on its
    connection there (wait event type 'Extension'), not on a lock of its own.
    """
    waiting = sa.text(
        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type IN ('Lock', 'Extension')"
        " AND pid <> pg_backend_pid() AND query LIKE 'UPDATE invitations%'"
    )
    deadline = time.monotonic() + 60
    with conn.engine.connect() as watcher:
        while not watcher.execute(waiting).scalar():
            assert time.monotonic() < deadline, "the second claim never waited"
            watcher.rollback()  # a fresh snapshot of pg_stat_activity each time
            threading.Event().wait(0.01)
