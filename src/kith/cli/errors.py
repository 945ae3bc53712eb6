"""How the CLI words a user's mistake: its own flags, and the way out in its own terms.

The app's errors are neutral: `InvalidInput.field` is the input's parameter name, which is
also the name of the running command's Python parameter, so the flag is found on the command
itself (`--from` for `sharer`, `--yes` for `confirm`) and can never drift from it.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import singledispatch
from typing import Protocol

from kith.app.errors import ConfirmationNeeded, GardenNotEmpty, InvalidInput, NotSetUp

# The command that sets up what a `NotSetUp` error's field names.
SET_UP_BY = {"me": "kith me --email ADDRESS"}


class Param(Protocol):
    """What the CLI reads of a command's parameter (Click's, or the copy Typer vendors)."""

    @property
    def name(self) -> str | None:
        """The Python parameter's name."""
        ...

    @property
    def opts(self) -> list[str]:
        """The flags an option answers to."""
        ...

    @property
    def param_type_name(self) -> str:
        """ "option" or "argument"."""
        ...


class Command(Protocol):
    """A command as far as its parameters go."""

    @property
    def params(self) -> Iterable[Param]:
        """The command's options and arguments."""
        ...


def flag_of(field: str, command: Command | None) -> str:
    """The command's option for `field` (its long form); otherwise `field` itself."""
    for param in command.params if command is not None else ():
        if param.name == field and param.param_type_name == "option":
            longs = [opt for opt in param.opts if opt.startswith("--")]
            return (longs or param.opts)[0]
    return field  # an argument, or an input the command does not take directly


@singledispatch
def worded(error: Exception, command: Command | None = None) -> str:
    """One line for `error` as a person at the terminal should read it."""
    del command
    return str(error)


@worded.register
def _invalid(error: InvalidInput, command: Command | None = None) -> str:
    return f"{flag_of(error.field, command)}: {error.message}"


@worded.register
def _unconfirmed(error: ConfirmationNeeded, command: Command | None = None) -> str:
    flag = flag_of(error.field, command)
    return f"{flag}: {error.message}; add {flag}"


@worded.register
def _not_set_up(error: NotSetUp, command: Command | None = None) -> str:
    how = SET_UP_BY.get(error.field)
    said = f"{flag_of(error.field, command)}: {error.message}"
    return said + (f"; set it up with `{how}`" if how else "")


@worded.register
def _not_empty(error: GardenNotEmpty, command: Command | None = None) -> str:
    del command
    where = "--db URL" if error.database else "--db URL or KITH_ACCOUNT"
    return f"{error}; use a new one ({where})"
