"""Sharing contacts between members: vetted like `kith share`, withdrawn at once, taken in.

What leaves a garden is what `core.share` lets leave a share file, judged when shared (a
snapshot: see docs/notes.md, issue 14): never notes, contact details only with the person's
consent, and only people the sharer can vouch for. Whenever shares are read they are vetted
again against the sharer's judgement today (`core.share_revet`): one the sharer can no
longer vouch for is held back from everyone, and the sharer sees why (`my_shares`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from kith.app import community, inputs, judging, people, reports, share_vetting
from kith.app.errors import Ambiguous, InvalidInput, KithError, NotFound
from kith.app.garden import Garden
from kith.core.facts import Facts, known_since
from kith.core.identity import name_key
from kith.core.lifecycle import Verdict
from kith.core.model import Person
from kith.core.names import Candidate, resolve_name
from kith.core.share import shareable_contact, standing, vet
from kith.core.share_revet import Revetted, revet
from kith.core.wording import span
from kith.store import Connection
from kith.store import community as store
from kith.store import people as people_store


@dataclass(frozen=True)
class SharedView:
    """One contact just shared: with one member, or with the whole group (`with_login` None)."""

    id: int
    name: str
    with_login: str | None
    how_well_known: str


@dataclass(frozen=True)
class SharedContactView:
    """A contact shared with me: who vouches for them and how well; no notes, ever."""

    id: int
    name: str
    sharer: str
    shared_on: date
    with_me_only: bool
    how_well_known: str
    known_for: str | None  # how long the sharer has known them: "3 years"
    company: str | None
    title: str | None
    interests: list[str]
    offers: list[str]
    needs: list[str]
    emails: list[str]  # only when the person consented to their details being shared
    phones: list[str]
    links: list[str]


def share(
    garden: Garden,
    references: Sequence[str],
    with_login: str | None = None,
    min_stage: str = "trusted",
) -> list[SharedView]:
    """Share my people with the group or one member; all of them or, if one is refused, none.

    Each is vetted as `kith share` vets: a weed, a breach, a seed or a pruned person is refused
    with the reason, naming them.
    """
    stage = reports.share_stage(min_stage)
    with garden.transaction() as conn:
        me = community.acting_member(conn, garden)
        recipient = _recipient(conn, me, with_login)
        audience = None if recipient is None else recipient.account_id
        chosen = _chosen(conn, garden, references)
        for person, _facts, verdict in chosen:
            ok, why = vet(person, verdict, stage)
            if not ok:
                raise KithError(f"{person.name} cannot be shared: {why}")
        shared = []
        for person, facts, verdict in chosen:
            contact = shareable_contact(person, verdict)
            since = known_since(person.met_on, facts.first_contact, garden.today)
            contact["known_since"] = since.isoformat() if since else None  # the vouching's age
            contact["min_stage"] = stage.value  # the floor it is vetted against on every read
            made = store.share(
                conn,
                garden.account_id,
                person.id,
                with_account_id=audience,
                today=garden.today,
                contact=contact,
            )
            who = None if recipient is None else recipient.login
            shared.append(SharedView(made, person.name, who, str(contact["how_well_known"])))
    return shared


@dataclass(frozen=True)
class VettedView:
    """Whether one person may be shared, and why: the risk report before a share."""

    name: str
    shareable: bool
    why: str


def vetting(
    garden: Garden,
    references: Sequence[str],
    with_login: str | None = None,
    min_stage: str = "trusted",
) -> list[VettedView]:
    """What `share` would do for each person, and why; nothing is shared."""
    stage = reports.share_stage(min_stage)
    with garden.reading() as conn:
        me = community.acting_member(conn, garden)
        _recipient(conn, me, with_login)
        chosen = _chosen(conn, garden, references)
    report = []
    for person, _facts, verdict in chosen:
        ok, why = vet(person, verdict, stage)
        report.append(VettedView(person.name, ok, why))
    return report


def _chosen(
    conn: Connection, garden: Garden, references: Sequence[str]
) -> list[tuple[Person, Facts, Verdict]]:
    """The people named (each once, in order) with their facts and verdicts."""
    if not references:
        raise KithError("name at least one person to share")
    ids = list(dict.fromkeys(inputs.resolve(conn, garden.account_id, r) for r in references))
    found = {p.id: p for p in people_store.load_people(conn, garden.account_id, ids=ids)}
    return judging.judged(conn, garden, [found[i] for i in ids])


def _recipient(
    conn: Connection, me: store.MemberRow, with_login: str | None
) -> store.MemberRow | None:
    """The member shared with (None: the whole group); anyone else is "not found"."""
    if with_login is None:
        return None
    found = store.member_by_login(conn, community.login(with_login))
    if found is None or found.group_id != me.group_id or found.suspended:
        raise NotFound(f"no member {with_login}")
    if found.account_id == me.account_id:
        raise KithError("share with another member, or with the whole group")
    return found


def withdraw(garden: Garden, reference: str) -> int:
    """Withdraw a person I shared, from everyone at once; how many shares ended."""
    with garden.transaction() as conn:
        community.acting_member(conn, garden)
        person_id = inputs.resolve(conn, garden.account_id, reference)
        ended = store.withdraw(conn, garden.account_id, person_id)
    if not ended:
        raise NotFound(f"{reference} is not shared")
    return ended


def shared_with_me(garden: Garden) -> list[SharedContactView]:
    """The contacts other members share with me or with the group, newest first.

    Only those their sharers can still vouch for today: each is vetted again on read.
    """
    with garden.reading() as conn:
        me = community.acting_member(conn, garden)
        rows = store.shared_with(conn, garden.account_id, me.group_id)
        stands = share_vetting.standings(conn, garden, {(r.sharer_id, r.person_id) for r in rows})
    shown = []
    for row in rows:
        now = revet(row.contact, stands.get((row.sharer_id, row.person_id)), consent=row.consent)
        if now.shown:
            shown.append(_view(row, now))
    return shown


def _view(row: store.SharedRow, now: Revetted) -> SharedContactView:
    c: dict[str, Any] = now.contact
    return SharedContactView(
        id=row.id,
        name=str(c["name"]),
        sharer=row.sharer,
        shared_on=row.shared_on,
        with_me_only=row.with_me,
        how_well_known=now.how_well_known,
        known_for=span(now.known_days) if now.known_days else None,
        company=c.get("company"),
        title=c.get("title"),
        interests=list(c.get("interests", [])),
        offers=list(c.get("offers", [])),
        needs=list(c.get("needs", [])),
        emails=list(c.get("emails", [])),
        phones=list(c.get("phones", [])),
        links=list(c.get("links", [])),
    )


@dataclass(frozen=True)
class MyShareView:
    """A contact I share, and whether the group sees it today.

    Held back, with why, when I can no longer vouch for them (`kith group withdraw` ends it).
    """

    id: int
    person_id: int  # in my garden: what `withdraw` takes (#ID)
    name: str
    with_login: str | None  # None: the whole group
    shared_on: date
    shown: bool
    why: str
    how_well_known: str


@dataclass(frozen=True)
class MySharesView:
    """What I share, newest first (`kith group sharing`, GET /api/v1/group/shares)."""

    shares: list[MyShareView]


def my_shares(garden: Garden) -> MySharesView:
    """What I share, newest first, each vetted again as the group would see it today."""
    with garden.reading() as conn:
        community.acting_member(conn, garden)
        rows = store.shared_by(conn, garden.account_id)
        ids = sorted({r.person_id for r in rows})
        found = people_store.load_people(conn, garden.account_id, ids=ids) if ids else []
        judged = {p.id: (p, v) for p, _f, v in judging.judged(conn, garden, found, topics=False)}
    made = []
    for row in rows:
        person, verdict = judged.get(row.person_id, (None, None))
        stands = None if person is None or verdict is None else standing(person, verdict)
        consent = person is not None and person.consent_share
        now = revet(row.contact, stands, consent=consent)
        name = str(row.contact["name"]) if person is None else person.name
        made.append(
            MyShareView(
                row.id,
                row.person_id,
                name,
                row.with_login,
                row.shared_on,
                now.shown,
                now.why,
                now.how_well_known,
            )
        )
    return MySharesView(made)


def take(garden: Garden, reference: str, sharer: str | None = None) -> Person:
    """Plant a contact shared with me as a seed in my garden, known via the one who shared it.

    `reference` is the shared contact's name or `#ID` (as `kith group shared` lists them);
    `sharer` picks one when members share people of the same name.
    """
    found = _one_shared(shared_with_me(garden), reference, sharer)
    with garden.reading() as conn:
        via = _sharer_in_my_garden(conn, garden, found.sharer)
    return people.seed(
        garden,
        found.name,
        emails=found.emails,
        phones=found.phones,
        links=found.links,
        company=found.company,
        title=found.title,
        met=f"shared in the group by {found.sharer}",
        via=via,
        interests=found.interests,
        needs=found.needs,
        offers=found.offers,
    )


def _one_shared(
    shared: list[SharedContactView], reference: str, sharer: str | None
) -> SharedContactView:
    ref = reference.strip()
    if sharer is not None:
        shared = [s for s in shared if s.sharer == sharer.strip().lower()]
    if ref.startswith("#") and ref[1:].isdigit():
        matches = [s for s in shared if s.id == int(ref[1:])]
    else:
        matches = _named(shared, ref)
    if not matches:
        raise NotFound(f"nobody called {reference} is shared with you")
    if len({s.sharer for s in matches}) > 1:
        sharers = ", ".join(sorted({s.sharer for s in matches}))
        raise InvalidInput("sharer", f"{reference} is shared by {sharers}: say whose")
    return matches[0]


def _named(shared: list[SharedContactView], reference: str) -> list[SharedContactView]:
    """The shared contacts `reference` names, read as a person's name is everywhere else.

    A full name keeps namesakes shared by several members (the caller asks whose); a part
    ("Maya") names the one contact it fits, and lists the candidates when it fits several.
    """
    wanted = name_key(reference)
    exact = [s for s in shared if name_key(s.name) == wanted]
    if exact:
        return exact
    candidates = tuple(Candidate(s.id, s.name) for s in shared if wanted in name_key(s.name))
    if not candidates:
        return []
    resolution = resolve_name(reference, candidates)
    if resolution.person_id is None:
        raise Ambiguous(reference, resolution.candidates)
    return [s for s in shared if s.id == resolution.person_id]


def _sharer_in_my_garden(conn: Connection, garden: Garden, sharer: str) -> str | None:
    """The sharer as a person in my garden (`#ID`), when their login names exactly one."""
    try:
        return f"#{inputs.resolve(conn, garden.account_id, sharer)}"
    except KithError:
        return None
