"""The community's trust graph as one member sees it, rebuilt on read from the members' gardens.

Nodes: the group's members (not suspended) and the contacts shared with the asker (or with the
group, or by the asker). A shared contact who is a member (by an address of theirs, or their
own name) is that member. Ties: every person in a member's garden who is a node, judged by
that garden's rules (`core.lifecycle.judge`), become `core.community_graph.Tie`s; the core
decides what vouches, warns and carries an introduction.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from typing import Any

from kith.app import judging, share_vetting
from kith.app.garden import Garden
from kith.core import community_graph as cg
from kith.core.garden_judgement import judge_garden
from kith.core.identity import name_key
from kith.core.share_revet import revet
from kith.store import Connection, garden_columns
from kith.store import community as community_store
from kith.store import people as people_store
from kith.store import trust_graph as store

DEFAULT_ME_NAME = "me"  # accounts.me_name before the owner names themselves


def member_key(account_id: int) -> str:
    """The node key of a member."""
    return f"m:{account_id}"


@dataclass(frozen=True)
class ContactInfo:
    """What the shares say of a contact (name and company from the first), and who shares it."""

    name: str
    company: str | None
    title: str | None
    offers: tuple[str, ...]
    interests: tuple[str, ...]
    sharers: tuple[int, ...]


@dataclass(frozen=True)
class Community:
    """The graph, and what the app needs to name, target and reach its nodes."""

    graph: cg.CommunityGraph
    me: str
    logins: dict[str, str]  # member node key -> login
    accounts: dict[str, int]  # member node key -> account id
    contacts: dict[str, ContactInfo]  # contact node key -> what the shares say
    persons: dict[tuple[str, str], int]  # (member key, node key) -> person id in their garden


def load(conn: Connection, garden: Garden, me: community_store.MemberRow) -> Community:
    """The community as `me` may see it, with every tie judged as of today."""
    idents = store.identities(conn, me.group_id)
    by_email = {e: member_key(i.account_id) for i in idents for e in i.emails}
    by_name = {
        name_key(i.me_name): member_key(i.account_id)
        for i in idents
        if name_key(i.me_name) not in {"", DEFAULT_ME_NAME}
    }
    contacts: dict[str, ContactInfo] = {}
    found: dict[tuple[int, int], str] = {}  # (account, person) -> node key
    for share in _vouched(conn, garden, store.visible_shares(conn, me.account_id, me.group_id)):
        key = _share_node(share.contact, by_email, by_name)
        found[(share.sharer_id, share.person_id)] = key
        if key.startswith("c:"):
            _note_share(contacts, key, share)
    # Contacts are matched by name: their addresses leave a garden only with their consent.
    for known in store.known_in_gardens(
        conn, me.group_id, set(by_name) | {k[2:] for k in contacts}, set(by_email)
    ):
        node = by_email.get(known.email or "") or by_name.get(known.name_key)
        node = node or (f"c:{known.name_key}" if f"c:{known.name_key}" in contacts else None)
        if node is not None:
            found.setdefault((known.account_id, known.person_id), node)
    ties, persons = _judged_ties(conn, garden, found)
    nodes = [cg.Node(member_key(i.account_id), i.login, member=True) for i in idents]
    nodes += [cg.Node(k, c.name, member=False) for k, c in sorted(contacts.items())]
    return Community(
        graph=cg.build(nodes, ties),
        me=member_key(me.account_id),
        logins={member_key(i.account_id): i.login for i in idents},
        accounts={member_key(i.account_id): i.account_id for i in idents},
        contacts=contacts,
        persons=persons,
    )


def _vouched(conn: Connection, garden: Garden, shares: list[store.Share]) -> list[store.Share]:
    """The shares their sharers can still vouch for today (`core.share_revet`).

    One held back is no node, so no path or target leads to it.
    """
    owned = {(s.sharer_id, s.person_id) for s in shares}
    stands = share_vetting.standings(conn, garden, owned)
    return [
        s
        for s in shares
        if revet(s.contact, stands.get((s.sharer_id, s.person_id)), consent=False).shown
    ]


def _share_node(contact: dict[str, Any], by_email: dict[str, str], by_name: dict[str, str]) -> str:
    for email in contact.get("emails", []):
        if str(email).lower() in by_email:
            return by_email[str(email).lower()]
    key = name_key(str(contact["name"]))
    return by_name.get(key, f"c:{key}")


def _note_share(contacts: dict[str, ContactInfo], key: str, share: store.Share) -> None:
    c = share.contact
    before = contacts.get(key)
    if before is None:
        before = ContactInfo(str(c["name"]), c.get("company"), c.get("title"), (), (), ())
    contacts[key] = replace(
        before,
        offers=tuple(dict.fromkeys([*before.offers, *c.get("offers", [])])),
        interests=tuple(dict.fromkeys([*before.interests, *c.get("interests", [])])),
        sharers=(*before.sharers, share.sharer_id),
    )


def _judged_ties(
    conn: Connection, garden: Garden, found: dict[tuple[int, int], str]
) -> tuple[list[cg.Tie], dict[tuple[str, str], int]]:
    """Each found person judged in their owner's garden, as a tie to their node.

    The people whose facts are kept are judged at once, in numpy, across all the gardens
    (`core.garden_judgement`); the few the columns cannot settle, and gardens whose facts are
    not kept, by the Python rules, garden by garden.
    """
    owner_of = {person_id: account_id for account_id, person_id in found}
    columns, accounts, left = garden_columns.load_people_columns(conn, list(owner_of), garden.rules)
    judged = judge_garden(columns, garden.today, garden.rules)
    must = judged.must_judge()
    ties: list[cg.Tie] = []
    persons: dict[tuple[str, str], int] = {}
    for i, person_id in enumerate(judged.ids.tolist()):
        if must[i]:
            left.append(person_id)
            continue
        owner, target = member_key(accounts[i]), found[(accounts[i], person_id)]
        ties.append(
            cg.Tie(
                owner,
                target,
                str(judged.stage_of(i)),
                float(judged.strength[i]),
                float(judged.trust[i]),
                int(judged.known[i]),
                int(columns.kept["contacts"][i]),
                open_breach=int(columns.kept["open_breaches"][i]) > 0,
            )
        )
        persons.setdefault((owner, target), person_id)
    by_account: dict[int, list[int]] = defaultdict(list)
    for person_id in sorted(left):
        by_account[owner_of[person_id]].append(person_id)
    for account_id, ids in by_account.items():
        for tie, person_id in _judge_in_python(
            conn, replace(garden, account_id=account_id), ids, found
        ):
            ties.append(tie)
            persons.setdefault((tie.owner, tie.target), person_id)
    return ties, persons


def _judge_in_python(
    conn: Connection,
    theirs: Garden,
    ids: list[int],
    found: dict[tuple[int, int], str],
) -> list[tuple[cg.Tie, int]]:
    """These people of one garden judged by the Python rules, as ties with their person ids."""
    account_id = theirs.account_id
    people = people_store.load_people(conn, account_id, ids=ids)
    made = []
    for person, facts, verdict in judging.judged(conn, theirs, people, topics=False):
        owner, target = member_key(account_id), found[(account_id, person.id)]
        made.append(
            (
                cg.Tie(
                    owner,
                    target,
                    str(verdict.stage),
                    verdict.strength.value,
                    verdict.trust.value,
                    verdict.known_days,
                    facts.contacts,
                    open_breach=verdict.open_breaches > 0,
                ),
                person.id,
            )
        )
    return made
