"""Every command has help, and every command is in the README (after sqlite-utils)."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from typer.core import TyperGroup
from typer.main import get_command
from typer.testing import CliRunner

from kith.cli.main import app

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def _group() -> TyperGroup:
    group = get_command(app)
    assert isinstance(group, TyperGroup)  # kith has many commands, so Typer makes a group
    return group


def _commands() -> dict[str, object]:
    # The commands load lazily: ask the group for each, as `kith --help` does.
    group = _group()
    ctx = typer.Context(group)
    return {name: group.get_command(ctx, name) for name in group.list_commands(ctx)}


COMMANDS = sorted(_commands())


def test_there_are_commands() -> None:
    assert {"init", "seed", "log", "show", "list"} <= set(COMMANDS)


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help(name: str) -> None:
    result = CliRunner().invoke(app, [name, "--help"])
    assert result.exit_code == 0
    command = _commands()[name]
    assert getattr(command, "help", None), f"kith {name} has no help text"


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_is_in_the_readme(name: str) -> None:
    assert f"kith {name}" in README, f"the README does not mention `kith {name}`"
