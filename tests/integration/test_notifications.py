"""The inbox on real PostgreSQL and Citus: a notification lives and dies with its use case's
transaction.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kith.app import community, notifications
from kith.app.garden import Garden
from kith.app.notifications import Link, notify
from kith.settings import Settings
from tests.conftest import TODAY

PASSWORD = "correct-horse-battery"


class Boom(Exception):
    """The use case failing after it notified."""


@pytest.fixture
def ana_and_bob(community_db_url: str) -> Iterator[tuple[Garden, Garden]]:
    server = community.open_server(Settings(database_url=community_db_url), TODAY)
    made = community.create_group(server, "Lisbon Founders", "ana", PASSWORD)
    community.join(server, made.invitation.code, "bob", PASSWORD)
    server.engine.dispose()
    opened = [
        community.open_member_garden(Settings(database_url=community_db_url), TODAY, who)
        for who in ("ana", "bob")
    ]
    yield opened[0], opened[1]
    for garden in opened:
        garden.engine.dispose()


def _tell(garden: Garden, to: Garden, count: int = 1) -> None:
    with garden.transaction() as conn:
        for i in range(count):
            notify(
                conn,
                to=to.account_id,
                kind="referral_received",
                about=Link("referral", i + 1, owner=garden.account_id),
                parts={"what": f"lead {i}"},
                actor=garden.account_id,
                today=TODAY,
            )


def test_a_failed_use_case_leaves_no_notification(ana_and_bob: tuple[Garden, Garden]) -> None:
    ana, bob = ana_and_bob

    def notify_then_fail() -> None:
        with ana.transaction() as conn:
            notify(
                conn,
                to=bob.account_id,
                kind="referral_received",
                about=Link("referral", 1, owner=ana.account_id),
                parts={"what": "a lead"},
                actor=ana.account_id,
                today=TODAY,
            )
            raise Boom

    with pytest.raises(Boom):
        notify_then_fail()
    assert notifications.inbox(bob, everything=True).notifications == []


def test_nobody_is_notified_of_their_own_act_and_kinds_are_codes(
    ana_and_bob: tuple[Garden, Garden],
) -> None:
    ana, _bob = ana_and_bob
    with ana.transaction() as conn:
        mine = Link("referral", 1, owner=ana.account_id)
        told = notify(
            conn,
            to=ana.account_id,
            kind="x",
            about=mine,
            parts={},
            actor=ana.account_id,
            today=TODAY,
        )
        assert told is None
        with pytest.raises(ValueError, match="codes"):
            notify(
                conn,
                to=ana.account_id,
                kind="Bob did it",
                about=mine,
                parts={},
                actor=None,
                today=TODAY,
            )


def test_only_what_was_shown_is_marked_read(ana_and_bob: tuple[Garden, Garden]) -> None:
    ana, bob = ana_and_bob
    _tell(ana, bob, notifications.INBOX_LIMIT + 5)
    first = notifications.inbox(bob)
    assert len(first.notifications) == notifications.INBOX_LIMIT and first.unread_left == 5
    assert first.notifications[0].parts == {"what": f"lead {notifications.INBOX_LIMIT + 4}"}
    peeked = notifications.inbox(bob, peek=True)
    assert len(peeked.notifications) == 5 and peeked.unread_left == 5  # the oldest, still unread
    second = notifications.inbox(bob)
    assert [n.parts["what"] for n in second.notifications] == [
        f"lead {i}" for i in range(4, -1, -1)
    ]
    assert second.unread_left == 0 and notifications.inbox(bob).notifications == []
    assert notifications.inbox(ana).notifications == []  # nobody reads another's inbox
