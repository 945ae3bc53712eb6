"""`kith sync carddav`: two-way sync of people with a CardDAV address book.

Cards are matched by vCard UID. Per person and address book we remember the server's href
and ETag at the last sync and a fingerprint of the person as synced: a new ETag means the
server changed, a new fingerprint means we did (`kith.io.carddav.plan_sync` decides).

Rules, stated once:
- a card new on the server is imported like any contact: if it is someone already here
  (same email, phone, profile or name), it merges into them instead of adding a duplicate;
- pulling a change: the server's name, company and title win; emails, phones, links and
  interests are added, never removed here (so nothing is lost, and the union is pushed back
  on the next sync, which leaves both sides equal);
- a conflict (both sides changed) goes to the server, as kith keeps no change times;
  with the union rule above our added details still survive and flow back;
- deletions are not synced: a card deleted on the server is reported and kept here.
The address book is written first, then the garden in one transaction; if the garden's
transaction fails, the next sync sees the server's cards as changes and pulls them.
"""

from __future__ import annotations

import hashlib
import json
import re
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urljoin

import httpx

from kith.app.errors import KithError
from kith.app.exporting import with_uids
from kith.app.garden import Garden
from kith.app.import_report import ImportReport
from kith.app.importing import Run, added_lists, draft_of
from kith.core.dedup import changed_fields, combine, email_of, phone_of
from kith.core.identity import name_key, url_key
from kith.core.limits import date_problem
from kith.core.model import Person, PersonDraft
from kith.io.carddav import CardDAVClient, CardDAVError, LocalCard, RemoteCard, RemoteChanged
from kith.io.carddav import plan_sync as plan
from kith.io.records import ContactRecord
from kith.io.vcard import read_vcards
from kith.io.vcard_export import to_vcard
from kith.store import Connection, bulk, dedup_index, sync_state
from kith.store import people as people_store

_PLAIN = re.compile(r"[A-Za-z0-9._-]{1,200}")


@dataclass(frozen=True)
class SyncConflict:
    """A card a sync could not settle, whose side won, and why."""

    name: str
    uid: str
    winner: str
    why: str


@dataclass
class SyncReport:
    """What a CardDAV sync pushed and pulled, its conflicts and the cards gone remotely."""

    pushed_new: int = 0
    pushed_changes: int = 0
    pulled_new: int = 0
    pulled_changes: int = 0
    conflicts: list[SyncConflict] = field(default_factory=list)
    gone_remote: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def sync_carddav(garden: Garden, url: str, user: str, password: str = "") -> SyncReport:
    """Sync every person with the address book at `url`; report what went where."""
    try:
        with httpx.Client(auth=(user, password), timeout=30, follow_redirects=True) as http:
            return _sync(garden, CardDAVClient(url, http))
    except (CardDAVError, httpx.HTTPError) as error:
        raise KithError(f"carddav {url}: {error}") from None


def fingerprint(item: PersonDraft) -> str:
    """What a sync compares: the fields a card carries, order and case aside."""
    canonical = [
        item.name,
        item.company or "",
        item.title or "",
        sorted({email_of(e) for e in item.emails}),
        sorted({phone_of(p) or p for p in item.phones}),
        sorted({url_key(u) for u in item.links}),
        sorted({name_key(i) for i in item.interests}),
    ]
    if item.birthday:  # only when known: the fingerprints stored before birthdays stay valid
        canonical.append(item.birthday.isoformat())
    return hashlib.sha256(json.dumps(canonical).encode()).hexdigest()


def _drafts(remote: dict[str, RemoteCard], report: SyncReport) -> dict[str, PersonDraft]:
    """The server's cards read with kith's vCard importer, by UID."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "remote.vcf"
        path.write_text("\r\n".join(c.vcard.strip() for c in remote.values()), encoding="utf-8")
        records, errors = read_vcards(path) if remote else ([], [])
    report.warnings += [f"a card on the server is unreadable: {e.message}" for e in errors]
    report.warnings += [
        f"a card on the server has an unreadable field, left out: {e}"
        for r in records
        for e in r.dropped
    ]
    return {r.uid: draft_of(r) for r in records if isinstance(r, ContactRecord) and r.uid}


def _sync(garden: Garden, client: CardDAVClient) -> SyncReport:
    report = SyncReport()
    remote = client.snapshot()
    drafts = _drafts(remote, report)
    with garden.transaction() as conn:
        run = _Sync(conn, garden, client, remote, drafts, report)
        run.run()
    return report


@dataclass
class _Sync:
    conn: Connection
    garden: Garden
    client: CardDAVClient
    remote: dict[str, RemoteCard]
    drafts: dict[str, PersonDraft]
    report: SyncReport
    local: dict[str, Person] = field(default_factory=dict)

    def run(self) -> None:
        conn, account = self.conn, self.garden.account_id
        states = sync_state.sync_states(conn, account, self.client.url)
        known = dedup_index.people_by_uid(conn, account, self.drafts.keys())
        new_states = self._take_new(known)
        everyone = people_store.load_people(conn, account)
        self.local = {uid: p for p, uid in with_uids(conn, self.garden, everyone)}
        cards = {
            uid: LocalCard(states[p.id][1] if p.id in states else None,
                           p.id not in states or fingerprint(p) != states[p.id][2])
            for uid, p in self.local.items()
            if p.id not in new_states
        }  # fmt: skip
        fresh = set(self.drafts) - set(known)  # just imported: nothing left to plan for them
        steps = plan(cards, {uid: c.etag for uid, c in self.remote.items() if uid not in fresh})
        self.report.conflicts = [
            SyncConflict(self.local[c.uid].name, c.uid, c.winner, c.reason) for c in steps.conflicts
        ]
        self.report.gone_remote = [
            f"{self.local[uid].name}: deleted on the server, kept here" for uid in steps.gone_remote
        ]
        new_states |= self._push(steps.create_remote, {})
        new_states |= self._push((), dict(steps.update_remote))
        pulled = [uid for uid in steps.pull if uid in self.local and uid in self.drafts]
        new_states |= self._pull(pulled)
        sync_state.save_sync_states(conn, account, self.client.url, self._etags(new_states))

    def _take_new(self, known: dict[str, int]) -> dict[int, sync_state.SyncState]:
        """Cards new on the server: imported with dedup; their sync state, by person."""
        fresh = [(n, d) for n, (uid, d) in enumerate(self.drafts.items(), 1) if uid not in known]
        if not fresh:
            return {}
        imported = ImportReport()
        run = Run(self.conn, self.garden, imported, "carddav", strict=False,
                  file_name=self.client.url)  # fmt: skip
        run.batch(fresh)
        self.report.pulled_new += imported.added + imported.merged
        uids = [d.uid for _, d in fresh if d.uid]
        owners = dedup_index.people_by_uid(self.conn, self.garden.account_id, uids)
        states: dict[int, sync_state.SyncState] = {}
        for _, draft in fresh:
            uid = draft.uid or ""
            if uid in owners:
                card = self.remote[uid]
                states[owners[uid]] = (card.href, card.etag, fingerprint(draft))
            else:
                self.report.warnings.append(
                    f"{draft.name}: already here under another UID; left as is"
                )
        return states

    def _push(
        self, create: tuple[str, ...], update: dict[str, str]
    ) -> dict[int, sync_state.SyncState]:
        states: dict[int, sync_state.SyncState] = {}
        for uid in (*create, *update):
            person = self.local[uid]
            href = self.remote[uid].href if uid in self.remote else self._href(uid)
            try:
                etag = self.client.put(href, _card(person, uid), etag=update.get(uid))
            except RemoteChanged:
                why = "changed on the server during the sync; pulled next time"
                self.report.conflicts.append(SyncConflict(person.name, uid, "remote", why))
                continue
            states[person.id] = (href, etag or "", fingerprint(person))
            if uid in update:
                self.report.pushed_changes += 1
            else:
                self.report.pushed_new += 1
        return states

    def _href(self, uid: str) -> str:
        """Where a new card goes.

        Servers accept few characters in a name (Radicale refuses `:`), so a UID that is not
        plain letters, digits, `.`, `_` and `-` is digested.
        """
        name = uid.removeprefix("urn:uuid:")
        if not _PLAIN.fullmatch(name):
            name = hashlib.sha256(uid.encode()).hexdigest()[:32]
        return urljoin(self.client.url, f"{name}.vcf")

    def _pull(self, uids: list[str]) -> dict[int, sync_state.SyncState]:
        """Apply the server's changes: its name, company and title; added details."""
        account, drafts = self.garden.account_id, self.drafts
        stored = dedup_index.load_drafts(self.conn, account, [self.local[uid].id for uid in uids])
        emails = {e for uid in uids for e in drafts[uid].emails}
        owners = dedup_index.people_by_email(self.conn, account, emails)
        updates: dict[int, dict[str, object]] = {}
        additions: list[tuple[int, PersonDraft]] = []
        states: dict[int, sync_state.SyncState] = {}
        for uid in uids:
            pid, theirs = self.local[uid].id, drafts[uid]
            if theirs.birthday and date_problem(theirs.birthday, self.garden.today):
                theirs = replace(theirs, birthday=None)  # as an import leaves it out
            ours = stored[pid]
            mine = tuple(e for e in theirs.emails if owners.get(e, pid) == pid)
            kept = replace(ours, name=theirs.name, company=theirs.company or ours.company,
                           title=theirs.title or ours.title)  # fmt: skip
            after = combine(kept, replace(theirs, emails=mine, uid=None, met_on=None))
            updates[pid] = {n: getattr(after, n) for n in changed_fields(ours, after)}
            additions.append((pid, added_lists(ours, after)))
            card = self.remote[uid]
            states[pid] = (card.href, card.etag, fingerprint(theirs))
            self.report.pulled_changes += 1 if after != ours else 0
        bulk.update_fields(self.conn, account, updates)
        bulk.insert_details(self.conn, account, additions)
        return states

    def _etags(self, states: dict[int, sync_state.SyncState]) -> dict[int, sync_state.SyncState]:
        """Servers may answer a PUT without an ETag: ask for them once, all together."""
        if all(etag for _, etag, _ in states.values()):
            return states
        etags = self.client.etags()
        return {
            pid: (href, etag or etags.get(href, ""), fp) for pid, (href, etag, fp) in states.items()
        }


def _card(person: Person, uid: str) -> str:
    return to_vcard(replace(person, uid=uid))  # notes are private: never synced
