"""`kith capture ...`: log interactions from mail, calendars and chats; the capture log."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from kith.app.wording import plural
from kith.cli.context import garden
from kith.cli.io_cmds import DryRun, _lines, _progress
from kith.cli.output import JsonFlag, emit, user_errors

if TYPE_CHECKING:  # annotations only: the app loads when a command runs
    from kith.app.capture import CaptureView

app = typer.Typer(
    help="Log interactions from mail, calendars and chats; list capture runs, undo one.",
    no_args_is_help=True,
    rich_markup_mode=None,
)

Me = Annotated[
    list[str] | None,
    typer.Option("--me", help="One of my own addresses (repeatable): tells who initiated."),
]
Topics = Annotated[bool, typer.Option("--topics", help="Keep subjects as topics (off by default).")]


def render_capture(report: CaptureView) -> Callable[[Console], None]:
    """The one-line summary of a capture report, and its unreadable lines."""

    def render(c: Console) -> None:
        prefix = "dry run, nothing written: " if report.dry_run else ""
        run = f" (run #{report.run})" if report.run else ""
        c.print(
            f"{prefix}logged {plural(report.logged, 'interaction')} with"
            f" {plural(report.people, 'person', 'people')}{run};"
            f" {report.duplicates} already logged, {report.skipped_unknown} with nobody"
            f" in your garden, {report.future} still to come",
            markup=False,
        )
        for name in report.unknown:
            c.print(f"  not in your garden: {name}", markup=False)
        _lines(c, "not readable", [(e.line, e.message) for e in report.errors])

    return render


def _file_command(kind: str, path_help: str, summary: str) -> None:
    """Register `kith capture KIND PATH`: the same options and report for every file kind."""

    def command(
        ctx: typer.Context,
        path: Path,
        me: Me = None,
        topics: Topics = False,
        dry_run: DryRun = False,
        as_json: JsonFlag = False,
    ) -> None:
        from kith.app import capture as capture_app

        opened = garden(ctx)
        with _progress(as_json, f"reading {path.name}") as progress:
            report = capture_app.capture(
                opened, kind, path, me=me or [], topics=topics, dry_run=dry_run, progress=progress
            )
        shown = report.view()
        emit(shown, as_json, render_capture(shown))

    # The argument's help differs by kind, so its annotation is built here, not written out.
    command.__annotations__["path"] = Annotated[Path, typer.Argument(help=path_help)]
    command.__doc__ = summary
    command.__name__ = command.__qualname__ = kind
    app.command(kind)(user_errors(command))


_file_command(
    "mbox", "The mbox file.", "Log the emails of an mbox archive with people in your garden."
)
_file_command(
    "maildir",
    "The Maildir folder.",
    "Log the emails of a Maildir folder with people in your garden.",
)
_file_command(
    "ics", "The calendar (.ics).", "Log the past meetings of a calendar with people in your garden."
)


@app.command("runs")
@user_errors
def runs(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """List capture runs, newest first: what each read and added, and what is still there."""
    from kith.app import capture_runs

    found = capture_runs.runs(garden(ctx))

    def render(c: Console) -> None:
        if not found:
            c.print("no capture runs yet", markup=False)
        for run in found:
            state = f"undone {run.undone_at}" if run.undone_at else f"{run.present} rows"
            logged = run.counts.get("logged", 0)
            c.print(
                f"#{run.id}  {run.started_at}  {run.source}  logged {logged}, {state}",
                markup=False,
            )

    emit(found, as_json, render)


@app.command("undo")
@user_errors
def undo(
    ctx: typer.Context,
    run: Annotated[str, typer.Argument(help="The run's id, from `kith capture runs`.")],
    as_json: JsonFlag = False,
) -> None:
    """Remove exactly what one capture run added, in one transaction."""
    from kith.app import capture_runs

    done = capture_runs.undo(garden(ctx), run)
    emit(
        done,
        as_json,
        lambda c: c.print(
            f"undid run #{done.id} ({done.source}): removed {done.removed} rows",
            markup=False,
        ),
    )


ChatFile = Annotated[Path, typer.Argument(help="The export: WhatsApp's .txt or .zip.")]
MyName = Annotated[
    list[str] | None,
    typer.Option("--me", help="My name as the chat shows it (repeatable); default: kith me's."),
]


def _chat(
    ctx: typer.Context, source: str, path: Path, me: list[str] | None, dry_run: bool,
    as_json: bool,
) -> None:  # fmt: skip
    from kith.app import chat_capture

    report = chat_capture.capture_chat(garden(ctx), source, path, me=me or [], dry_run=dry_run)
    shown = report.view()
    emit(shown, as_json, render_capture(shown))


@app.command("whatsapp")
@user_errors
def whatsapp(
    ctx: typer.Context,
    path: ChatFile,
    me: MyName = None,
    dry_run: DryRun = False,
    as_json: JsonFlag = False,
) -> None:
    """Log a WhatsApp chat export: one interaction per person per day, with known people."""
    _chat(ctx, "whatsapp", path, me, dry_run, as_json)


@app.command("telegram")
@user_errors
def telegram(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="Telegram Desktop's result.json.")],
    me: MyName = None,
    dry_run: DryRun = False,
    as_json: JsonFlag = False,
) -> None:
    """Log a Telegram export (one chat or all): one interaction per person per day."""
    _chat(ctx, "telegram", path, me, dry_run, as_json)


@app.command("imap")
@user_errors
def imap(
    ctx: typer.Context,
    host: Annotated[str, typer.Option("--host", help="The IMAP server.")],
    user: Annotated[str, typer.Option("--user", help="The login (usually my address).")],
    port: Annotated[
        int | None, typer.Option("--port", help="Default: 993 (TLS) or 143.", show_default=False)
    ] = None,
    folder: Annotated[
        list[str] | None,
        typer.Option("--folder", help="A folder to read (repeatable; default INBOX)."),
    ] = None,
    since: Annotated[
        str | None, typer.Option("--since", help="First run: skip mail before YYYY-MM-DD.")
    ] = None,
    starttls: Annotated[
        bool, typer.Option("--starttls", help="Upgrade a plain connection (port 143).")
    ] = False,
    plain: Annotated[
        bool, typer.Option("--plain", help="No encryption: only to this machine (loopback).")
    ] = False,
    dry_run: DryRun = False,
    as_json: JsonFlag = False,
) -> None:
    """Log personal mail from an IMAP server (headers only); a second run reads only new mail.

    The password comes from KITH_IMAP_PASSWORD or a prompt. People not in the garden are
    kept as candidates (`kith capture candidates`).
    """
    import os

    from kith.app import mail_capture
    from kith.app.errors import InvalidInput

    if starttls and plain:
        raise InvalidInput("plain", "choose one of --starttls and --plain")
    password = os.environ.get("KITH_IMAP_PASSWORD")
    if password is None:
        password = typer.prompt(f"IMAP password for {user}", hide_input=True)
    request = mail_capture.ImapRequest(
        host=host,
        user=user,
        password=password,
        folders=folder or ["INBOX"],
        port=port,
        security="starttls" if starttls else "plain" if plain else "tls",
        since=since,
    )
    report = mail_capture.capture_imap(garden(ctx), request, dry_run=dry_run)
    shown = report.view()
    summary = render_capture(shown)

    def render(c: Console) -> None:
        summary(c)
        c.print(
            f"fetched {shown.fetched} headers; {shown.candidates} correspondents not in"
            " your garden (kith capture candidates)",
            markup=False,
        )

    emit(shown, as_json, render)


@app.command("caldav")
@user_errors
def caldav(
    ctx: typer.Context,
    url: Annotated[str, typer.Argument(help="The calendar's URL (https://, or http:// locally).")],
    user: Annotated[str, typer.Option("--user", help="The CalDAV login.")],
    dry_run: DryRun = False,
    as_json: JsonFlag = False,
) -> None:
    """Log the past meetings of a CalDAV calendar; a second run reads only what changed.

    The password comes from KITH_CALDAV_PASSWORD or a prompt. Attendees and organisers
    are matched by email; meetings still to come are logged by a run after they happen.
    """
    import dataclasses
    import os

    from kith.app import caldav_capture

    password = os.environ.get("KITH_CALDAV_PASSWORD")
    if password is None:
        password = typer.prompt(f"CalDAV password for {user}", hide_input=True)
    request = caldav_capture.CaldavRequest(url=url, user=user, password=password)
    shown = caldav_capture.capture_caldav(garden(ctx), request, dry_run=dry_run).view()
    summary = render_capture(dataclasses.replace(shown, errors=()))

    def render(c: Console) -> None:
        summary(c)
        how = "the whole calendar" if shown.full else "what changed since the last run"
        c.print(f"read {plural(shown.fetched, 'event')}: {how}", markup=False)
        for error in shown.errors:
            c.print(f"  not readable: {error.message}", markup=False)

    emit(shown, as_json, render)


@app.command("candidates")
@user_errors
def candidates(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """List correspondents not in your garden, most mail first, to seed."""
    from kith.app import mail_capture

    found = mail_capture.candidates(garden(ctx))

    def render(c: Console) -> None:
        if not found:
            c.print("no candidates: capture mail first (kith capture imap)", markup=False)
        for one in found:
            name = f"{one.name} " if one.name else ""
            c.print(
                f"{name}<{one.email}>  {one.mails} mails ({one.wrote_to_me} to you),"
                f" last {one.last_on.isoformat()}",
                markup=False,
            )

    emit(found, as_json, render)
