"""Errors a user can fix: each message is one line that names what is wrong.

Some carry data beside their message (who is meant, who is already there), so the CLI, the
pages and the API can each word the way out in their own terms (a flag, a button, a field).
"""

from __future__ import annotations

from kith.core.duplicates import Clash, Duplicate
from kith.core.names import Candidate
from kith.store.errors import DatabaseUnavailable, DiskFull, GardenBusy, StoreError, TryAgain

# The store's errors are re-exported: the CLI and the web catch them without
# reaching into the store.
__all__ = [
    "AlreadyInGarden",
    "Ambiguous",
    "ConfirmationNeeded",
    "DatabaseUnavailable",
    "DiskFull",
    "GardenBusy",
    "GardenNotEmpty",
    "InvalidInput",
    "KithError",
    "NoSuchPerson",
    "NotFound",
    "NotSetUp",
    "StoreError",
    "TryAgain",
]


class KithError(Exception):
    """Bad input or a state that refuses the action; shown as one line, exit 1."""


class NotFound(KithError):
    """Nobody (or nothing) matches what the user named."""


class NoSuchPerson(NotFound):
    """A reference that named nobody, with the closest names (maybe none) to suggest."""

    def __init__(self, reference: str, suggestions: tuple[Candidate, ...] = ()) -> None:
        message = f"no person named {reference!r}"
        if suggestions:
            message += f"; did you mean {_either(suggestions)}?"
        super().__init__(message)
        self.reference = reference
        self.suggestions = suggestions


class Ambiguous(KithError):
    """A reference that could mean several people: the candidates to choose from."""

    def __init__(self, reference: str, candidates: tuple[Candidate, ...]) -> None:
        listed = "; ".join(f"{c.name} (#{c.id})" for c in candidates[:10])
        super().__init__(f"{reference!r} could be: {listed}")
        self.reference = reference
        self.candidates = candidates


class InvalidInput(KithError):
    """A value the user gave is not acceptable; `field` names which one.

    `field` is the input's neutral name: the API's parameter and the CLI command's parameter
    (whose flag the CLI looks up), never a flag; `message` says what is wrong in words that
    fit every shell.
    """

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class ConfirmationNeeded(InvalidInput):
    """An action that cannot be undone, asked for without saying yes to it (`field`).

    Each shell words the way out: a flag on the CLI, a parameter in the API, a button on the
    page.
    """


class NotSetUp(InvalidInput):
    """Something the action needs is not set up yet (`field`); each shell says where."""


class GardenNotEmpty(KithError):
    """What only goes into an empty garden (a backup, the demo) found people there.

    `database` says whether the whole database must be new (a database backup) or another
    garden in it would do; each shell says how to point kith at one.
    """

    def __init__(self, message: str, *, database: bool = False) -> None:
        super().__init__(message)
        self.database = database


class AlreadyInGarden(InvalidInput):
    """A seed whose name or email is already someone's: `field` says which, `existing` who.

    The message says who is there and nothing about the way out: a name clash is cleared by
    saying this is another person (`--new` on the CLI, `new` in the API, a button on the
    page); an email clash never is (see core/duplicates.py).
    """

    def __init__(self, duplicate: Duplicate) -> None:
        person = duplicate.person
        if duplicate.clash is Clash.EMAIL:
            message = f"{duplicate.value} already belongs to {person.name} (#{person.id})"
        else:
            about = ["pruned"] if person.pruned else []
            about += list(person.emails[:1])
            detail = ", ".join([f"#{person.id}", *about])
            message = f"{person.name} is already in your garden ({detail})"
        super().__init__(duplicate.clash.value, message)
        self.duplicate = duplicate

    @property
    def existing(self) -> Candidate:
        """Who is already there, as a name resolution would list them."""
        return Candidate(self.duplicate.person.id, self.duplicate.person.name)

    @property
    def is_name(self) -> bool:
        """Whether the name clashed (cleared by saying it is another person), not an email."""
        return self.duplicate.clash is Clash.NAME


def _either(people: tuple[Candidate, ...]) -> str:
    names = [f"{c.name} (#{c.id})" if _shared(c, people) else c.name for c in people]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def _shared(candidate: Candidate, people: tuple[Candidate, ...]) -> bool:
    """Two suggestions of the same name need their ids to be told apart."""
    return sum(1 for c in people if c.name == candidate.name) > 1
