"""Intro requests along a warm path: made, forwarded hop by hop with consent, made or closed.

The rules (who is asked in turn, expiry, the limit, what the ledger says) are
`core.intro_requests`; this module reads and writes the rows in one transaction per action.
Whoever must answer now finds the request in `kith group requests` (the group's inbox for
requests until the app-wide inbox lands). Anything not waiting on the member answering is
"not found", so ids leak nothing; a requester sees "closed", never who closed it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from kith.app import community, group_paths, inputs
from kith.app.errors import InvalidInput, KithError, NotFound
from kith.app.garden import Garden
from kith.core import intro_requests as rules
from kith.core.model import Direction, Exchange, ExchangeKind
from kith.store import Connection, mail_state
from kith.store import history as history_store
from kith.store import intro_requests as store
from kith.store import people as people_store

INTRO_WEIGHT = 2  # an introduction made along a request: more than a favour, less than a job


@dataclass(frozen=True)
class DetailsView:
    """Contact details, exchanged only when the target accepts."""

    name: str
    emails: list[str]
    phones: list[str]


@dataclass(frozen=True)
class RequestView:
    """A request of mine: whom for, along which path, and where it stands (never who closed it)."""

    id: int
    target: str
    through: list[str]
    reason: str
    status: str
    made_on: date
    expires_on: date
    details: DetailsView | None  # the target's, once they accepted


@dataclass(frozen=True)
class AskedView:
    """A request waiting on me: who asks, why, what I am asked to do, the notes so far."""

    id: int
    requester: str
    reason: str
    target: str
    role: str
    asked: str
    notes: list[str]
    expires_on: date


@dataclass(frozen=True)
class RequestsView:
    """My requests, and those waiting on me."""

    mine: list[RequestView]
    asked: list[AskedView]


@dataclass(frozen=True)
class AnswerView:
    """What my answer did: forwarded to the next, made (with the requester's details), closed."""

    id: int
    accepted: bool
    forwarded_to: str | None
    made: bool
    details: DetailsView | None  # the requester's, when my accepting made the intro


def request(garden: Garden, target: str, reason: str, path_number: int = 1) -> RequestView:
    """Ask for an introduction along the best safe path to TARGET (or the path numbered)."""
    why = inputs.text("reason", reason)
    with garden.transaction() as conn:
        me = community.acting_member(conn, garden)
        if not rules.may_open(store.open_count(conn, me.account_id, garden.today)):
            raise KithError(
                f"you have {rules.MAX_OPEN_REQUESTS} open intro requests; wait for one to be"
                " answered or to expire before asking again"
            )
        found = group_paths.search(conn, garden, me, target)
        if found.answer.no_path is not None:
            raise KithError(f"no safe path: {found.answer.no_path.words}")
        paths = found.answer.paths
        if not 1 <= path_number <= len(paths):
            raise InvalidInput("path_number", f"choose a path from 1 to {len(paths)}")
        steps = _steps(found, paths[path_number - 1].nodes)
        made = store.add(
            conn,
            me.account_id,
            target_name=steps[-1]["next_name"],
            reason=why,
            steps=steps,
            waiting_on=steps[0]["account_id"],
            today=garden.today,
            expires_on=rules.expires_on(garden.today),
        )
        row = next(r for r in store.made_by(conn, me.account_id) if r.id == made)
    return _mine(row, garden.today)


def _steps(found: group_paths.Search, path: tuple[int, ...]) -> list[dict[str, Any]]:
    built = found.community
    nodes = [built.graph.nodes[i] for i in path]
    try:
        turns = rules.steps([rules.PathNode(n.key, n.name, n.member) for n in nodes])
    except ValueError as exc:
        raise KithError(str(exc)) from None
    return [
        {
            "key": t.key,
            "name": t.name,
            "account_id": built.accounts[t.key],
            "role": str(t.role),
            "next_key": t.next_key,
            "next_name": t.next_name,
            "person_id": built.persons.get((t.key, t.next_key)),
        }
        for t in turns
    ]


def requests(garden: Garden) -> RequestsView:
    """My requests (newest first) and those waiting on me (oldest first)."""
    with garden.reading() as conn:
        me = community.acting_member(conn, garden)
        mine = store.made_by(conn, me.account_id)
        asked = store.waiting_on(conn, me.account_id, garden.today)
    return RequestsView([_mine(r, garden.today) for r in mine], [_asked(r) for r in asked])


def _mine(row: store.RequestRow, today: date) -> RequestView:
    status = rules.status(row.status, row.expires_on, today)
    through = [row.requester] + [s["name"] for s in row.steps if s["role"] != "target"]
    through.append(row.target_name)
    target = (row.details or {}).get("target") if status is rules.Status.MADE else None
    return RequestView(
        row.id,
        row.target_name,
        through,
        row.reason,
        str(status),
        row.made_on,
        row.expires_on,
        None if target is None else DetailsView(**target),
    )


def _asked(row: store.RequestRow) -> AskedView:
    step = row.steps[row.step]
    role = rules.Role(step["role"])
    if role is rules.Role.INTRODUCE:
        asked = f"{row.requester} asks you to introduce them to {step['next_name']}"
    elif role is rules.Role.TARGET:
        asked = f"{row.requester} would like to be introduced to you"
    else:
        asked = (
            f"{row.requester} would like to be introduced to {step['next_name']}:"
            " ask them, and accept only if they agree"
        )
    notes = [f"{n['by']}: {n['note']}" for n in row.notes if n.get("note")]
    return AskedView(
        row.id, row.requester, row.reason, row.target_name, str(role), asked, notes, row.expires_on
    )


def _request_id(text: str) -> int:
    cleaned = text.strip().removeprefix("#")
    if not cleaned.isdigit() or len(cleaned) > 18:
        raise InvalidInput("request_id", f"{text!r} is not a request's id, such as 12")
    return int(cleaned)


def yes_or_no(reply: str, field: str = "answer") -> bool:
    """An answer to a request as typed: yes accepts, no declines; anything else is refused."""
    cleaned = reply.strip().lower()
    if cleaned not in {"yes", "no"}:
        raise InvalidInput(field, "answer yes or no")
    return cleaned == "yes"


def answer(garden: Garden, reference: str, *, accept: bool, note: str | None = None) -> AnswerView:
    """Accept (forwarding to the next, or making the intro) or decline a request waiting on me."""
    request_id = _request_id(reference)
    with garden.transaction() as conn:
        me = community.acting_member(conn, garden)
        row = store.waiting_for_update(conn, me.account_id, request_id)
        if row is None or row.status != "open":
            raise NotFound(f"no intro request #{request_id} is waiting on you")
        if rules.status(row.status, row.expires_on, garden.today) is rules.Status.EXPIRED:
            raise KithError(f"intro request #{request_id} expired on {row.expires_on}")
        if not accept:
            store.move(
                conn,
                row,
                step=row.step,
                waiting_on=None,
                status="closed",
                notes=row.notes,
                closed_on=garden.today,
            )
            return AnswerView(request_id, False, None, False, None)
        notes = [*row.notes, {"by": me.login, "note": (note or "").strip()}]
        following = rules.after_accept(row.step, len(row.steps))
        if following is not None:
            ahead = row.steps[following]
            store.move(
                conn,
                row,
                step=following,
                waiting_on=ahead["account_id"],
                status="open",
                notes=notes,
            )
            return AnswerView(request_id, True, ahead["name"], False, None)
        details = {
            "requester": _member_details(conn, row.account_id, row.requester),
            "target": _target_details(conn, row.steps[-1]),
        }
        _log_help(conn, row, garden.today)
        store.move(
            conn,
            row,
            step=row.step,
            waiting_on=None,
            status="made",
            notes=notes,
            details=details,
            closed_on=garden.today,
        )
    return AnswerView(request_id, True, None, True, DetailsView(**details["requester"]))


def _member_details(conn: Connection, account_id: int, login: str) -> dict[str, Any]:
    return {"name": login, "emails": mail_state.my_addresses(conn, account_id), "phones": []}


def _target_details(conn: Connection, last: dict[str, Any]) -> dict[str, Any]:
    if last["role"] == "target":
        return _member_details(conn, last["account_id"], last["name"])
    # A contact: the member who asked them gives their details, which the contact agreed to.
    found = people_store.load_people(conn, last["account_id"], ids=[last["person_id"]])
    if not found:
        return {"name": last["next_name"], "emails": [], "phones": []}
    person = found[0]
    return {"name": person.name, "emails": list(person.emails), "phones": list(person.phones)}


def _log_help(conn: Connection, row: store.RequestRow, today: date) -> None:
    """Each introducer gave help: an intro, in their garden, to the one they introduced to."""
    for step in row.steps:
        if step["role"] == "target" or step["person_id"] is None:
            continue
        account_id, person_id = step["account_id"], step["person_id"]
        if not people_store.load_people(conn, account_id, ids=[person_id]):
            continue  # forgotten since: nothing to write the help against
        turn = rules.Step(
            step["key"], step["name"], rules.Role(step["role"]), step["next_key"], step["next_name"]
        )
        history_store.add_exchange(
            conn,
            account_id,
            Exchange(
                person_id=person_id,
                on=today,
                direction=Direction.GIVEN,
                what=rules.help_given(row.requester, turn, row.id),
                kind=ExchangeKind.INTRO,
                weight=INTRO_WEIGHT,
            ),
        )
