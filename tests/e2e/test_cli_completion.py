"""Shell completion: `kith --show-completion` prints a script, and the script's calls complete."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

KITH = Path(sys.executable).with_name("kith")  # the console script, as a shell runs it


def complete_bash(words: str) -> list[str]:
    """What bash's completion function gets back for the words typed so far."""
    env = os.environ | {
        "_KITH_COMPLETE": "complete_bash",
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1)),
    }
    done = subprocess.run([KITH], env=env, capture_output=True, text=True, check=True)
    return done.stdout.split()


def test_show_completion_prints_the_script_for_the_users_shell() -> None:
    # Typer finds the shell among the parent processes: run kith under bash, as a user would
    # (a second command keeps bash from replacing itself with kith).
    done = subprocess.run(
        ["bash", "-c", f'"{KITH}" --show-completion; exit $?'],
        env=os.environ | {"SHELL": "/bin/bash"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert "_KITH_COMPLETE=complete_bash" in done.stdout
    assert "complete -o default -F _kith_completion kith" in done.stdout


def test_the_completion_names_commands_and_options() -> None:
    assert complete_bash("kith li") == ["list"]
    assert complete_bash("kith intro") == ["intros", "intro", "intro-step", "intro-status"]
    assert complete_bash("kith list --st") == ["--stage"]
