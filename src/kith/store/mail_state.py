"""What `kith capture imap` keeps between runs: folder states, candidates, my addresses."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlalchemy import Connection, delete, exists, insert, select, update

from kith.core.threads import Correspondent
from kith.store.bulk import chunks
from kith.store.tables import capture_candidates, imap_folders, my_emails, person_emails


def folder_states(conn: Connection, account_id: int, server: str) -> dict[str, tuple[int, int]]:
    """Each folder's (UIDVALIDITY, last UID) on this server, as the last run left it."""
    rows = conn.execute(
        select(imap_folders.c.folder, imap_folders.c.uidvalidity, imap_folders.c.last_uid).where(
            imap_folders.c.account_id == account_id, imap_folders.c.server == server
        )
    )
    return {r.folder: (int(r.uidvalidity), int(r.last_uid)) for r in rows}


def save_folder_states(
    conn: Connection, account_id: int, server: str, states: Mapping[str, tuple[int, int]]
) -> None:
    """Replace the states of these folders on this server."""
    if not states:
        return
    conn.execute(
        delete(imap_folders).where(
            imap_folders.c.account_id == account_id,
            imap_folders.c.server == server,
            imap_folders.c.folder.in_(list(states)),
        )
    )
    conn.execute(
        insert(imap_folders),
        [
            {
                "account_id": account_id,
                "server": server,
                "folder": folder,
                "uidvalidity": validity,
                "last_uid": last,
            }
            for folder, (validity, last) in states.items()
        ],
    )


def my_addresses(conn: Connection, account_id: int) -> list[str]:
    """My own addresses, as `kith me --email` added them."""
    query = select(my_emails.c.email).where(my_emails.c.account_id == account_id)
    return sorted(conn.execute(query).scalars())


def add_my_addresses(conn: Connection, account_id: int, emails: Iterable[str]) -> None:
    """Add addresses of mine; one already there is left alone."""
    new = set(emails) - set(my_addresses(conn, account_id))
    if new:
        conn.execute(
            insert(my_emails), [{"account_id": account_id, "email": e} for e in sorted(new)]
        )


def add_candidates(conn: Connection, account_id: int, found: Iterable[Correspondent]) -> None:
    """Add a run's unknown correspondents to the candidates, adding up their mail."""
    by_email = {c.email: c for c in found}
    held: dict[str, Correspondent] = {}
    for part in chunks(sorted(by_email)):
        rows = conn.execute(
            select(capture_candidates).where(
                capture_candidates.c.account_id == account_id,
                capture_candidates.c.email.in_(part),
            )
        )
        held.update(
            {
                r.email: Correspondent(
                    r.email, r.name, r.mails, r.wrote_to_me, r.first_on, r.last_on
                )
                for r in rows
            }
        )
    new = []
    for email, c in by_email.items():
        old = held.get(email)
        if old is None:
            new.append({"account_id": account_id, "email": email, "name": c.name,
                        "mails": c.mails, "wrote_to_me": c.wrote_to_me,
                        "first_on": c.first_on, "last_on": c.last_on})  # fmt: skip
            continue
        conn.execute(
            update(capture_candidates)
            .where(capture_candidates.c.account_id == account_id)
            .where(capture_candidates.c.email == email)
            .values(
                name=old.name or c.name,
                mails=old.mails + c.mails,
                wrote_to_me=old.wrote_to_me + c.wrote_to_me,
                first_on=min(old.first_on, c.first_on),
                last_on=max(old.last_on, c.last_on),
            )
        )
    if new:
        conn.execute(insert(capture_candidates), new)


def candidates(conn: Connection, account_id: int) -> list[Correspondent]:
    """The candidates nobody in the garden has the address of yet, most mail first."""
    seeded = exists().where(
        person_emails.c.account_id == account_id,
        person_emails.c.email == capture_candidates.c.email,
    )
    rows = conn.execute(
        select(capture_candidates)
        .where(capture_candidates.c.account_id == account_id, ~seeded)
        .order_by(capture_candidates.c.mails.desc(), capture_candidates.c.email)
    )
    return [
        Correspondent(r.email, r.name, r.mails, r.wrote_to_me, r.first_on, r.last_on) for r in rows
    ]
