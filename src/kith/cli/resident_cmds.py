"""`kith resident start|stop|status`: an opt-in long-lived process that runs commands warm."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from typing import Annotated

import typer

from kith.cli import resident_protocol as protocol
from kith.cli.output import JsonFlag, fail, print_json

START_WAIT = 120.0  # seconds for a new resident to load kith and answer (slow, busy machines)

app = typer.Typer(
    help=(
        "A resident process for this garden: kith's code stays loaded, so each `kith` command"
        " starts in a fraction of the time. Opt-in; `kith resident stop` ends it."
    ),
    no_args_is_help=True,
    rich_markup_mode=None,
)


def _identity(ctx: typer.Context) -> protocol.Identity:
    root = ctx.find_root().params
    return protocol.identity(os.environ, root.get("db"), root.get("as_login"))


def _ask(found: protocol.Identity, op: str) -> dict[str, object] | None:
    """The resident's answer to `op`, or None when none listens on the garden's socket."""
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    conn.settimeout(10.0)
    try:
        conn.connect(str(found.socket_path))
        protocol.send(conn, {"protocol": protocol.PROTOCOL, "op": op, "key": found.key})
        return protocol.receive(conn)
    except (OSError, protocol.ProtocolError):
        return None
    finally:
        conn.close()


@app.command()
def start(ctx: typer.Context) -> None:
    """Start this garden's resident process; a stale one (older code or config) is replaced."""
    found = _identity(ctx)
    protocol.private_dir(found.socket_path.parent)
    running = _ask(found, "status")
    if running is not None and running.get("current"):
        typer.echo(f"kith resident already runs for this garden (pid {running['pid']})")
        return
    if running is not None:
        _stop(found)
    log = found.socket_path.with_suffix(".log")
    with log.open("ab") as errors:
        process = subprocess.Popen(  # noqa: S603 -- our own interpreter and module
            [sys.executable, "-m", "kith.cli.resident_server", str(found.socket_path), found.key],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=errors,
            start_new_session=True,  # outlives this command and the terminal's Ctrl-C
        )
    deadline = time.monotonic() + START_WAIT
    while (answer := _ask(found, "status")) is None:
        if process.poll() is not None or time.monotonic() > deadline:
            with contextlib.suppress(ProcessLookupError):
                process.kill()
            raise fail(f"the resident process did not start; see {log}")
        time.sleep(0.05)
    typer.echo(f"kith resident started (pid {answer['pid']}); `kith resident stop` ends it")


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
        "socket": str(found.socket_path),
    }
    if as_json:
        print_json(document)
    elif not running:
        typer.echo("no kith resident runs for this garden")
    else:
        state = "current" if current else "stale (older code or config): `kith resident start`"
        typer.echo(
            f"kith resident runs (pid {document['pid']}), {state};"
            f" {document['served']} commands served"
        )
    if check and not current:
        raise typer.Exit(1)
