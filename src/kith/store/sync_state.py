"""What a CardDAV sync knows between runs: vCard UIDs and what each address book saw."""

from __future__ import annotations

from collections.abc import Collection, Mapping

from sqlalchemy import Connection, bindparam, delete, insert, select, update

from kith.store.bulk import chunks, keyed
from kith.store.tables import people, sync_state

SyncState = tuple[str, str, str]  # href, etag, card_hash


def set_vcard_uids(conn: Connection, account_id: int, uids: Mapping[int, str]) -> None:
    """Give people their stable vCard UID (first export or sync), in one executemany."""
    if uids:
        conn.execute(
            update(people)
            .where(people.c.account_id == account_id, people.c.id == bindparam("pid"))
            .values(vcard_uid=bindparam("uid")),
            [{"pid": pid, "uid": uid} for pid, uid in uids.items()],
        )


def vcard_uids(conn: Connection, account_id: int, ids: Collection[int]) -> dict[int, str]:
    """The stored vCard UIDs of these people (those without one are left out)."""
    uid = people.c.vcard_uid
    return keyed(conn, account_id, people.c.id, uid, ids, uid.is_not(None))


def sync_states(conn: Connection, account_id: int, collection: str) -> dict[int, SyncState]:
    """What the last sync with this address book saw, per person."""
    rows = conn.execute(
        select(sync_state).where(
            sync_state.c.account_id == account_id, sync_state.c.collection == collection
        )
    )
    return {row.person_id: (row.href, row.etag, row.card_hash) for row in rows}


def save_sync_states(
    conn: Connection, account_id: int, collection: str, states: Mapping[int, SyncState]
) -> None:
    """Replace the sync state of these people, in one DELETE and one INSERT per IN-list."""
    for part in chunks(sorted(states)):
        conn.execute(
            delete(sync_state).where(
                sync_state.c.account_id == account_id,
                sync_state.c.collection == collection,
                sync_state.c.person_id.in_(part),
            )
        )
        rows = [
            {"account_id": account_id, "person_id": pid, "collection": collection,
             "href": states[pid][0], "etag": states[pid][1], "card_hash": states[pid][2]}
            for pid in part
        ]  # fmt: skip
        conn.execute(insert(sync_state), rows)
