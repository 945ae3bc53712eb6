"""The `kith` console script: a resident process runs the command if one answers, else we do.

This path imports only the standard library and `kith.settings` until it knows the command
must run here; then it loads the Typer app as before. See `kith resident` (README).

The setting `resident` (KITH_RESIDENT, `kith.settings.ResidentSettings`) decides what happens
when no current resident answers: `auto` runs the command here and then starts one in the
background for the next command; `on` starts one, waits for it and runs the command in it;
`off` starts none (one started by `kith resident start` is still used). A busy resident
(running another client's command) is never waited for: the command runs here, so two
clients at once both get their answer.
"""

from __future__ import annotations

import base64
import contextlib
import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from kith.cli import resident_protocol as protocol
from kith.cli import resident_spawn
from kith.settings import SettingsError

CONNECT_TIMEOUT = 2.0  # seconds to get through to a resident before running here
ON_START_WAIT = 60.0  # setting `on`: seconds to wait for a new resident before running here
INTERRUPTED = 130  # Ctrl-C while the resident ran the command (128 + SIGINT)


class ResidentLost(Exception):
    """The resident took the command and then went away: its outcome is unknown."""


@dataclass(frozen=True)
class Plan:
    """A command that may run in the garden's resident, and how to reach (or start) it."""

    found: protocol.Identity
    database_url: str | None  # `--db`, for a resident this command starts
    login: str | None  # `--as`
    request: dict[str, object]


Outcome = tuple[int, bytes, bytes]  # a command's exit code, stdout and stderr
# Why the resident did not run a command: none listens, it refused (stale), it is busy, or
# what listens is not this user's own (nothing was sent; none is started there either).
ABSENT, REFUSED, BUSY, UNSAFE = "absent", "refused", "busy", "unsafe"


def run() -> None:
    plan = plan_for(sys.argv[1:], os.environ)
    try:
        answer = through_resident(plan)
    except ResidentLost as exc:
        sys.stderr.write(f"kith: {exc}\n")
        sys.exit(1)
    except KeyboardInterrupt:
        sys.stderr.write("\nAborted!\n")  # as Click says; the resident stops the command
        sys.exit(INTERRUPTED)
    if isinstance(answer, str):
        # Setting auto: no resident, or a stale one (it is on its way out): start one.
        _run_here(plan if answer in (ABSENT, REFUSED) else None)
        return
    code, out, err = answer
    sys.stdout.flush()
    sys.stdout.buffer.write(out)
    sys.stdout.flush()
    sys.stderr.buffer.write(err)
    sys.stderr.flush()
    sys.exit(code)


def _run_here(plan: Plan | None) -> None:
    """The command in this process; then, with setting `auto`, a resident for the next one."""
    from kith.cli.main import run as run_here

    try:
        run_here()
    finally:
        if plan is not None and plan.found.mode == "auto":
            sys.stdout.flush()  # the user has the answer before we start anything
            start_quietly(plan)


def start_quietly(plan: Plan) -> None:
    """Start the garden's resident in the background; a failure only costs the speed-up."""
    # E.g. no private runtime folder: commands keep running in their own process.
    with contextlib.suppress(OSError):
        resident_spawn.spawn(plan.found, plan.database_url, plan.login)


def plan_for(argv: Sequence[str], env: Mapping[str, str]) -> Plan | None:
    """The request for the garden's resident; None when this command must run here."""
    database_url, login, command = protocol.global_options(argv)
    if command is None or command in protocol.IN_PROCESS_ONLY or _may_read_stdin(argv):
        return None
    try:
        found = protocol.identity(env, database_url, login)
    except (SettingsError, OSError):
        return None  # run here: the command reports the setting as it always has
    try:
        cwd = os.getcwd()
    except OSError:
        return None  # a deleted working folder: the command runs here, as it always has
    request: dict[str, object] = {
        "protocol": protocol.PROTOCOL,
        "op": "run",
        "key": found.key,
        "argv": list(argv),
        "prog": os.path.basename(sys.argv[0]) or "kith",
        "env": dict(env),
        "cwd": cwd,
        "streams": {name: _stream(name) for name in ("stdin", "stdout", "stderr")},
        "terminal": protocol.terminal_sizes(),
        "umask": _umask(),
    }
    return Plan(found, database_url, login, request)


def through_resident(plan: Plan | None) -> Outcome | str:
    """The outcome from the garden's resident, or why the command must run here."""
    if plan is None:
        return BUSY  # not for a resident: run here and start none
    answer = _ask(plan) if plan.found.socket_path.exists() else ABSENT
    if answer in (ABSENT, REFUSED) and plan.found.mode == "on":
        return _start_and_ask(plan)
    return answer


def _start_and_ask(plan: Plan) -> Outcome | str:
    """Setting `on`: start the resident, wait until it answers, and run the command in it."""
    try:
        resident_spawn.spawn(plan.found, plan.database_url, plan.login)
    except OSError:
        return BUSY  # no private folder for it: run here
    if resident_spawn.wait_current(plan.found, ON_START_WAIT) is None:
        return BUSY  # it did not come up (see its log): the command runs here all the same
    return _ask(plan)


def _ask(plan: Plan) -> Outcome | str:
    """The resident's outcome, or why it did not take the command (then it runs here)."""
    try:
        conn = protocol.connect(plan.found.socket_path, CONNECT_TIMEOUT)
    except protocol.NotPrivate as exc:
        sys.stderr.write(f"kith: not using the resident: {exc}\n")
        return UNSAFE  # another user's listener would read our environment: run here
    except OSError:
        return ABSENT  # nobody there (a dead socket): nothing ran, so run here
    try:
        try:
            protocol.send(conn, plan.request)
            conn.settimeout(None)  # a command takes as long as it takes
        except OSError:
            return ABSENT  # it went away before taking the request: run here
        try:
            answer = protocol.receive(conn)
        except (OSError, protocol.ProtocolError):
            raise ResidentLost(
                "the resident process stopped while running the command; check its outcome"
            ) from None
    finally:
        conn.close()  # on Ctrl-C too: the hang-up interrupts the command in the resident
    if answer.get("status") == "busy":
        return BUSY  # running another client's command: run here rather than wait
    if answer.get("status") != "ran":
        return REFUSED  # a stale key: it goes away, and the command runs here
    return (
        int(str(answer["code"])),
        base64.b64decode(str(answer["stdout"])),
        base64.b64decode(str(answer["stderr"])),
    )


def _umask() -> int:
    """This process's umask (reading it means setting it: set it back at once)."""
    mask = os.umask(0o077)
    os.umask(mask)
    return mask


def _may_read_stdin(argv: Sequence[str]) -> bool:
    # `-` names stdin as a file; completion installs inspect the calling shell.
    return any(word in ("-", "--install-completion", "--show-completion") for word in argv)


def _stream(name: str) -> dict[str, object]:
    stream = getattr(sys, name)
    try:
        tty = bool(stream.isatty())
    except (AttributeError, ValueError):
        tty = False
    return {
        "tty": tty,
        "encoding": getattr(stream, "encoding", None) or "utf-8",
        "errors": getattr(stream, "errors", None) or "strict",
    }
