"""What the isolation matrix needs: Bob's garden full of secrets, its rows, and recipes.

Bob (member B) keeps people, an interaction, exchanges, an ask, an intro, a share with Carl,
a referral to Carl, an intro request to Carl, his side of a one-to-one and a guest, each
carrying a marker word that must never reach Ana (member A).
`rows_of` reads every row Bob owns, to compare before and after Ana's requests.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx
import sqlalchemy as sa

from kith.app import (
    community,
    community_shares,
    intro_requests,
    my_addresses,
    one_to_ones,
    referrals,
    visitors,
)
from kith.app.garden import Garden
from kith.settings import Settings
from kith.store import db
from kith.store.tables import accounts, asks, exchanges, interactions, intros, metadata
from tests.conftest import TODAY
from tests.integration._members import Member, bearer

# Words only Bob's garden holds: none may appear in any answer to Ana.
MARKERS = ("bobsecret", "bobhidden", "bobnote", "bobmeeting", "bobfavour", "bobask", "bobintro")
UNUSED_ID = 2_000_000_000  # no row has it: not found, as anyone else's is


@dataclass(frozen=True)
class Secrets:
    """The ids of what Bob owns, by kind."""

    ids: dict[str, int]
    upload_id: str

    def every_id(self) -> list[int]:
        return sorted({*self.ids.values(), UNUSED_ID})


def _ago(days: int) -> str:
    return (TODAY - timedelta(days=days)).isoformat()


def plant_bobs_garden(settings: Settings, api: httpx.Client, bob: Member) -> Secrets:
    """Bob's people and their history, through the API with Bob's token, then a share and a
    referral through the app (the web has no routes for them). His upload is the caller's."""
    headers = bearer(bob)

    def post(path: str, body: dict[str, Any]) -> dict[str, Any]:
        answer = api.post(path, json=body, headers=headers)
        assert answer.status_code in (200, 201), (path, answer.text)
        found: dict[str, Any] = answer.json()
        return found

    zb = post(
        "/api/v1/people",
        {
            "name": "Zbigniew Bobsecret",
            "met": "bobmeeting hall",
            "on": _ago(300),
            "note": "bobnote: private",
            "interests": ["climbing"],
        },
    )["id"]
    yo = post(
        "/api/v1/people", {"name": "Yolanda Bobhidden", "note": "bobnote two", "on": _ago(300)}
    )["id"]
    history = ((300, "me"), (260, "them"), (200, "me"), (150, "them"), (90, "me"), (40, "them"))
    for days, by in (*history, (10, "me")):
        meeting = {"kind": "meeting", "on": _ago(days), "by": by, "note": "bobmeeting notes"}
        post(f"/api/v1/people/{zb}/interactions", meeting)
        post(f"/api/v1/people/{yo}/interactions", meeting)
    post(f"/api/v1/people/{zb}/given", {"what": "bobfavour given", "on": _ago(250)})
    post(f"/api/v1/people/{yo}/given", {"what": "bobfavour too", "on": _ago(250)})
    post(f"/api/v1/people/{yo}/received", {"what": "bobfavour back", "on": _ago(100)})
    post(f"/api/v1/people/{zb}/received", {"what": "bobfavour back", "on": _ago(100)})
    post(f"/api/v1/people/{zb}/asks", {"what": "bobask a reference", "force": True})
    post("/api/v1/intros", {"a_id": zb, "b_id": yo, "why": "bobintro both climb"})
    # Carl, by his own address, is a trusted tie of Bob's: a warm path for an intro request
    carl = post("/api/v1/people", {"name": "Carl Bobhidden", "emails": [CARL], "on": _ago(300)})
    for days, by in (*history, (10, "me")):
        post(
            f"/api/v1/people/{carl['id']}/interactions",
            {"kind": "meeting", "on": _ago(days), "by": by},
        )
    post(f"/api/v1/people/{carl['id']}/given", {"what": "bobfavour", "on": _ago(250)})
    post(f"/api/v1/people/{carl['id']}/received", {"what": "bobfavour", "on": _ago(100)})
    _carl_is_known_by(settings, CARL)
    garden = community.open_member_garden(settings, TODAY, bob.login)
    try:
        shared = community_shares.share(garden, [f"#{zb}"], with_login="carl")
        referred = referrals.refer(garden, "carl", "bobsecret lead")
        asked = intro_requests.request(garden, "carl", "bobintro a word with carl")
        bobs_side, bobs_guest = _plant_bobs_group_business(settings, garden)
        with garden.reading() as conn:
            ids = {
                "person": zb,
                "other person": yo,
                "interaction": _newest(conn, interactions, bob.account_id),
                "exchange": _newest(conn, exchanges, bob.account_id),
                "ask": _newest(conn, asks, bob.account_id),
                "intro": _newest(conn, intros, bob.account_id),
                "share": shared[0].id,
                "referral": referred.id,
                "request": asked.id,
                "meeting": bobs_side,
                "visitor": bobs_guest,
            }
    finally:
        garden.engine.dispose()
    return Secrets(ids, upload_id="")


CARL = "carl@example.org"


def _carl_is_known_by(settings: Settings, address: str) -> None:
    carl = community.open_member_garden(settings, TODAY, "carl")
    try:
        my_addresses.my_addresses(carl, [address])
    finally:
        carl.engine.dispose()


def _plant_bobs_group_business(settings: Settings, bob: Garden) -> tuple[int, int]:
    """Bob's side of a one-to-one with Carl (his feedback a secret) and his guest.

    Bob and Carl opt out after their round, so no round Ana runs later pairs Bob again
    (a round is a row of the group's, which the matrix reads as Bob's too).
    """
    carl = community.open_member_garden(settings, TODAY, "carl")
    ana = community.open_member_garden(settings, TODAY, "ana")  # the organiser
    try:
        for member in (bob, carl):
            one_to_ones.opt(member, opted_in=True)
        one_to_ones.run_round(ana)
        side = one_to_ones.meetings(bob)[0].id
        one_to_ones.met(bob, str(side), feedback="bobnote: a pleasant hour")
        for member in (bob, carl):
            one_to_ones.opt(member, opted_in=False)
    finally:
        carl.engine.dispose()
        ana.engine.dispose()
    guest = visitors.invite(bob, "Bobhidden Guest", TODAY.isoformat(), "bobsecret@example.org")
    return side, guest.id


def number_others_from(settings: Settings, start: int) -> None:
    """Every id made from now on is past `start`: what Ana makes never takes an id of Bob's."""
    engine = db.create(settings.database_url)
    try:
        with engine.begin() as conn:
            for table in metadata.sorted_tables:
                if "id" in table.c:  # serial or identity alike: each has its sequence
                    sequence = conn.execute(
                        sa.text("SELECT pg_get_serial_sequence(:t, 'id')"), {"t": table.name}
                    ).scalar()
                    if sequence is not None:
                        conn.execute(sa.text("SELECT setval(:s, :n)"), {"s": sequence, "n": start})
    finally:
        engine.dispose()


def _newest(conn: sa.Connection, table: sa.Table, account_id: int) -> int:
    found = conn.execute(
        sa.select(table.c.id).where(table.c.account_id == account_id).order_by(table.c.id.desc())
    ).scalar()
    assert found is not None, table.name
    return int(found)


# The change log and its horizon: any member's write may trim the log, everyone's rows
# (store/change_log_trim); what a write changed shows in the tables the log points at.
BOOKKEEPING = frozenset({"person_changes", "person_changes_horizon"})


def rows_of(settings: Settings, account_id: int) -> dict[str, list[str]]:
    """Every row the account owns, in every table, and the tables no account owns."""
    engine = db.create(settings.database_url)
    try:
        with engine.connect() as conn:
            found: dict[str, list[str]] = {}
            for table in metadata.sorted_tables:
                if table.name in BOOKKEEPING:
                    continue
                query = sa.select(table)
                if "account_id" in table.c:
                    query = query.where(table.c.account_id == account_id)
                elif table is accounts:
                    query = query.where(accounts.c.id == account_id)
                found[table.name] = sorted(repr(tuple(row)) for row in conn.execute(query))
            return found
    finally:
        engine.dispose()
