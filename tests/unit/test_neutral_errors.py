"""The app and the core speak no shell's language: no CLI flag in what they say.

Errors are neutral (`InvalidInput.field` is the parameter's name); the CLI finds the flag
on the running command (`cli/errors.py`) and the API answers with the parameter.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Annotated

import pytest
import typer
from typer.testing import CliRunner

import kith
from kith.app.errors import ConfirmationNeeded, GardenNotEmpty, InvalidInput, NotSetUp
from kith.cli.errors import flag_of, worded
from kith.cli.output import user_errors

SRC = Path(kith.__file__).parent
FLAG = re.compile(r"(?:^|[\s(`'\"])--[a-z][a-z-]+")


def _docstrings(tree: ast.AST) -> set[int]:
    found: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            value = body[0].value
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                found.add(id(value))
    return found


def _flags_said(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = _docstrings(tree)
    return [
        f"{path.relative_to(SRC)}:{node.lineno}: {node.value!r}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docs
        and FLAG.search(node.value)
    ]


@pytest.mark.parametrize("layer", ["app", "core"])
def test_app_and_core_strings_name_no_cli_flag(layer: str) -> None:
    said = [line for path in sorted((SRC / layer).rglob("*.py")) for line in _flags_said(path)]
    assert said == []


def _said(error: Exception, *args: str) -> str:
    """What a command that takes `--from` (sharer), `--yes` (confirm) and KIND says."""
    app = typer.Typer()

    @app.command()
    @user_errors
    def import_(
        ctx: typer.Context,
        kind: Annotated[str, typer.Argument()] = "vcard",
        sharer: Annotated[str | None, typer.Option("--from")] = None,
        confirm: Annotated[bool, typer.Option("--yes")] = False,
    ) -> None:
        raise error

    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 1
    return result.output.strip().removeprefix("kith: ")


def test_the_cli_names_the_commands_own_flag_for_a_field() -> None:
    assert _said(InvalidInput("sharer", "is needed")) == "--from: is needed"
    assert _said(InvalidInput("kind", "is odd")) == "kind: is odd"
    assert _said(InvalidInput("other", "is odd")) == "other: is odd"


def test_the_cli_words_a_confirmation_with_its_flag() -> None:
    error = ConfirmationNeeded("confirm", "forget removes every trace")
    assert _said(error) == "--yes: forget removes every trace; add --yes"


def test_the_cli_says_how_to_point_kith_at_an_empty_garden() -> None:
    assert worded(GardenNotEmpty("not empty")).endswith("(--db URL or KITH_ACCOUNT)")
    assert worded(GardenNotEmpty("not empty", database=True)).endswith("(--db URL)")


def test_outside_a_command_the_field_is_named_as_it_is() -> None:
    assert flag_of("sharer", None) == "sharer"


def test_the_cli_says_which_command_sets_up_what_is_missing() -> None:
    worded_error = worded(NotSetUp("me", "no address of mine is known yet"))
    assert worded_error.endswith("set it up with `kith me --email ADDRESS`")
