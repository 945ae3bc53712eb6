"""Output shared by every command: `--json`, Rich rendering, and one-line errors."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from typing import Annotated, ParamSpec, TypeVar

import typer
from rich.console import Console

from kith.app.documents import to_json
from kith.app.errors import KithError, StoreError
from kith.cli.errors import worded
from kith.cli.terminal import SafeConsole
from kith.settings import SettingsError

JsonFlag = Annotated[bool, typer.Option("--json", help="Print one JSON document and nothing else.")]

P = ParamSpec("P")
R = TypeVar("R")

USER_ERRORS = (KithError, SettingsError, StoreError)


def console() -> Console:
    # Every text line goes through SafeConsole: stored data never drives the terminal.
    return SafeConsole(highlight=False, soft_wrap=True)


def error_console() -> Console:
    return SafeConsole(stderr=True, highlight=False, soft_wrap=True)


def print_json(document: object) -> None:
    """Print a view model (or a list of them, or a plain document) as JSON.

    Plain stdout, not Rich: scripts parse this, so no wrapping, colour or markup. The shape is
    `documents.to_json`'s, the one the API's answers share.
    """
    sys.stdout.write(json.dumps(to_json(document), ensure_ascii=False, indent=2) + "\n")


def emit(document: object, as_json: bool, render: Callable[[Console], None]) -> None:
    if as_json:
        print_json(document)
    else:
        render(console())


def fail(message: str) -> typer.Exit:
    error_console().print(f"kith: {message}", markup=False)
    return typer.Exit(1)


def user_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Turn a user's mistake into one line on stderr and exit 1, never a traceback."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except USER_ERRORS as exc:
            # Typer passes the context by name; its command knows the flags.
            raise fail(worded(exc, getattr(kwargs.get("ctx"), "command", None))) from None

    return wrapper
