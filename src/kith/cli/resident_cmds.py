"""`kith resident start|stop|status`: the long-lived process that runs commands warm.

With the setting `resident` at `auto` (the default) a command starts one by itself; these
commands start one ahead of time, stop it, or say whether one runs (README, "Faster
commands: the resident process").
"""

from __future__ import annotations

import os
import time
from typing import Annotated

import typer

from kith.cli import resident_protocol as protocol
from kith.cli import resident_spawn
from kith.cli.output import JsonFlag, fail, print_json

START_WAIT = 120.0  # seconds for a new resident to load kith and answer (slow, busy machines)

app = typer.Typer(
    help=(
        "A resident process for this garden: kith's code stays loaded, so each `kith` command"
        " starts in a fraction of the time. Setting `resident` (KITH_RESIDENT): auto (the"
        " default: the first command starts one), on, or off."
    ),
    no_args_is_help=True,
    rich_markup_mode=None,
)


def _root(ctx: typer.Context) -> tuple[str | None, str | None]:
    root = ctx.find_root().params
    return root.get("db"), root.get("as_login")


def _identity(ctx: typer.Context) -> protocol.Identity:
    return protocol.identity(os.environ, *_root(ctx))


ASK_WAIT = 30.0  # seconds for a resident's answer to status/stop (loaded machines are slow)


def _ask(found: protocol.Identity, op: str) -> dict[str, object] | None:
    return resident_spawn.ask(found, op, timeout=ASK_WAIT)


@app.command()
def start(ctx: typer.Context) -> None:
    """Start this garden's resident process; a stale one (older code or config) is replaced."""
    found = _identity(ctx)
    running = _ask(found, "status")
    if running is not None and running.get("current"):
        typer.echo(f"kith resident already runs for this garden (pid {running['pid']})")
        return
    if running is not None:
        _stop(found)
    resident_spawn.spawn(found, *_root(ctx))
    answer = resident_spawn.wait_current(found, START_WAIT)
    if answer is None:
        raise fail(f"the resident process did not start; see {found.log_path}")
    typer.echo(
        f"kith resident started (pid {answer['pid']}); it stops after"
        f" {_minutes(found.idle_seconds)} without a command, or with `kith resident stop`"
    )


def _stop(found: protocol.Identity) -> int | None:
    answer = _ask(found, "stop")
    if answer is None:
        return None
    pid = int(str(answer["pid"]))
    for _ in range(200):  # up to 10 s for the command in hand to finish
        if not found.socket_path.exists():
            break
        time.sleep(0.05)
    return pid


@app.command()
def stop(ctx: typer.Context) -> None:
    """Stop this garden's resident process; commands run in their own process again."""
    pid = _stop(_identity(ctx))
    if pid is None:
        typer.echo("no kith resident runs for this garden")
    else:
        typer.echo(f"kith resident stopped (pid {pid})")


@app.command()
def status(
    ctx: typer.Context,
    as_json: JsonFlag = False,
    check: Annotated[
        bool, typer.Option("--check", help="Exit 1 unless a current resident runs.")
    ] = False,
) -> None:
    """Whether a resident process runs for this garden, and whether it is current."""
    found = _identity(ctx)
    answer = _ask(found, "status")
    running = answer is not None
    current = bool(answer and answer.get("current"))
    document = {
        "running": running,
        "current": current,
        "pid": answer.get("pid") if answer else None,
        "served": answer.get("served") if answer else None,
        "busy": answer.get("busy") if answer else None,
        "idle_seconds": answer.get("idle_seconds") if answer else found.idle_seconds,
        "mode": found.mode,
        "socket": str(found.socket_path),
    }
    if as_json:
        print_json(document)
    else:
        typer.echo(_describe(document, answer))
    if check and not current:
        raise typer.Exit(1)


MODES = {
    "auto": "the first command without one starts one",
    "on": "a command without one starts one and waits for it",
    "off": "commands start none, but use one that `kith resident start` started",
}


def _describe(document: dict[str, object], answer: dict[str, object] | None) -> str:
    setting = f"setting resident = {document['mode']}: {MODES[str(document['mode'])]}"
    if answer is None:
        return f"no kith resident runs for this garden ({setting})"
    state = "current" if document["current"] else "stale (older code or config): it will go"
    left = float(str(answer.get("idle_seconds"))) - float(str(answer.get("idle_for") or 0))
    return (
        f"kith resident runs (pid {document['pid']}), {state}; {document['served']} commands"
        f" served; it stops after {_minutes(max(left, 0.0))} more without a command ({setting})"
    )


def _minutes(seconds: float) -> str:
    return f"{seconds / 60:.1f} min" if seconds >= 60 else f"{seconds:.0f} s"
