"""An intro request travelling along a warm path, with consent at every hop (DESIGN.md).

The request goes to the first member on the path; each introducer accepts (forwarding it to
the next, with a note of their own) or declines; the target is asked last. A contact who is
not a member is asked by the member who knows them, who answers for them. Only when the
target accepts are contact details exchanged; a decline closes the path, and the requester
learns only that it closed. Requests expire, and a member has only so many open at once.
Pure: the app reads and writes the rows.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

REQUEST_DAYS = 14  # a fortnight: long enough to reach a busy introducer, short enough to matter
MAX_OPEN_REQUESTS = 5  # open requests per member: the group is not a mailing list


class Role(StrEnum):
    """What a member is asked to do at their step."""

    INTRODUCE = "introduce"  # introduce the requester to the next one on the path
    TARGET = "target"  # they are the one the requester wants to meet
    ASK_CONTACT = "ask-contact"  # ask a contact of theirs, who is not a member, and answer for them


class Status(StrEnum):
    """Where a request stands, as its requester may see it."""

    OPEN = "open"
    MADE = "made"  # the target accepted: details exchanged
    CLOSED = "closed"  # someone on the path declined (never said who)
    EXPIRED = "expired"


@dataclass(frozen=True)
class PathNode:
    """A node on a warm path as a request needs it."""

    key: str
    name: str
    member: bool


@dataclass(frozen=True)
class Step:
    """One member's turn: who answers, in which role, and whom they lead to."""

    key: str  # the member's node key
    name: str
    role: Role
    next_key: str  # whom they introduce, or the target
    next_name: str


def steps(path: Sequence[PathNode]) -> tuple[Step, ...]:
    """The turns along a path from the requester (path[0]) to the target (path[-1]).

    ValueError when there is nobody to ask: a path to someone the requester knows directly
    and who is not a member (they can ask them themselves).
    """
    if len(path) < 2:
        raise ValueError("a request needs someone to ask")
    target = path[-1]
    turns = [
        Step(a.key, a.name, Role.INTRODUCE, b.key, b.name) for a, b in itertools.pairwise(path[1:])
    ]
    if target.member:
        return (*turns, Step(target.key, target.name, Role.TARGET, target.key, target.name))
    if not turns:
        raise ValueError(f"you know {target.name} yourself: ask them directly")
    holder = turns[-1]
    return (*turns[:-1], Step(holder.key, holder.name, Role.ASK_CONTACT, target.key, target.name))


def expires_on(made_on: date) -> date:
    """The last day a request made on `made_on` can be answered."""
    return made_on + timedelta(days=REQUEST_DAYS)


def status(stored: str, expires: date, today: date) -> Status:
    """What a stored status means today: an open request past its last day has expired."""
    current = Status(stored)
    if current is Status.OPEN and today > expires:
        return Status.EXPIRED
    return current


def may_open(open_now: int) -> bool:
    """Whether a member with `open_now` open requests may make another."""
    return open_now < MAX_OPEN_REQUESTS


def after_accept(step: int, count: int) -> int | None:
    """The next step after step `step` of `count` accepts; None when the target has accepted."""
    return step + 1 if step + 1 < count else None


def help_given(requester: str, step: Step, request_id: int) -> str:
    """What an introducer's ledger records once the intro is made."""
    return f"introduced {requester} to {step.next_name} (group intro request #{request_id})"
