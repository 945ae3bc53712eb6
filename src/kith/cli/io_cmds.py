"""Commands that bring a network in and take it out: import, merge, capture, export, sync."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from kith.app.errors import InvalidInput
from kith.app.wording import counted, plural
from kith.cli.context import garden
from kith.cli.output import JsonFlag, console, emit, user_errors

if TYPE_CHECKING:  # annotations only: the app loads when a command runs
    from kith.app.import_report import ImportView

DryRun = Annotated[bool, typer.Option("--dry-run", help="Print the same report and write nothing.")]
FileArg = Annotated[Path, typer.Argument(help="The file to read.", show_default=False)]


@contextmanager
def _progress(as_json: bool, what: str) -> Iterator[Callable[[int], None] | None]:
    """A Rich progress line on a terminal; nothing when piped or printing JSON."""
    if as_json or not sys.stdout.isatty():
        yield None
        return
    columns = (SpinnerColumn(), TextColumn("{task.description} {task.completed:,}"),
               TimeElapsedColumn())  # fmt: skip
    with Progress(*columns, console=console(), transient=True) as bar:
        task = bar.add_task(what, total=None)
        yield lambda n: bar.advance(task, n)


def _lines(c: Console, title: str, items: Sequence[tuple[int, str]], limit: int = 20) -> None:
    """Lines of a file and what happened to each: the first `limit` of them."""
    if items:
        c.print(f"{title}:", markup=False)
        for line, message in items[:limit]:
            c.print(f"  line {line}: {message}", markup=False)
        if len(items) > limit:
            c.print(f"  ... and {len(items) - limit} more (--json lists all)", markup=False)


def _render_import(c: Console, report: ImportView) -> None:
    prefix = "dry run, nothing written: " if report.dry_run else ""
    c.print(
        f"{prefix}{report.added} added, {report.merged} merged, {report.skipped} already known,"
        f" {len(report.errors)} not readable",
        markup=False,
    )
    merges = [(m.line, f"merged into {m.into} (by {m.by})") for m in report.merges]
    _lines(c, "merged", merges)
    _lines(c, "warnings", [(w.line, w.message) for w in report.warnings])
    _lines(c, "not imported", [(e.line, e.message) for e in report.errors])


@user_errors
def import_(
    ctx: typer.Context,
    kind: Annotated[
        str, typer.Argument(help="linkedin, google, outlook, vcard, json (a backup) or share.")
    ],
    file: FileArg,
    sharer: Annotated[
        str | None,
        typer.Option("--from", help="For a share file: the PERSON who shared it (known via)."),
    ] = None,
    dry_run: DryRun = False,
    strict: Annotated[
        bool, typer.Option("--strict", help="Refuse the whole file if any record is bad.")
    ] = False,
    as_json: JsonFlag = False,
) -> None:
    """Import contacts; people already known are merged, never duplicated."""
    from kith.app import importing
    from kith.app.import_report import ImportView

    opened = garden(ctx)
    if kind == "linkedin" and file.suffix.lower() == ".zip":
        from kith.app import linkedin_capture

        whole = linkedin_capture.import_export(opened, file, dry_run=dry_run)

        def render(c: Console) -> None:
            _render_import(c, whole)
            run = f" (run #{whole.run}, undo with kith capture undo)" if whole.run else ""
            c.print(
                f"logged {whole.messages} message days, {whole.help} help given or"
                f" received, how we met for {whole.met}{run};"
                f" {len(whole.unknown)} names not in your garden",
                markup=False,
            )

        emit(whole, as_json, render)
        return
    with _progress(as_json, f"importing {file.name}") as progress:
        report = importing.import_file(
            opened, kind, file, dry_run=dry_run, strict=strict, sharer=sharer, progress=progress
        )
    shown = ImportView.of(report)
    emit(shown, as_json, lambda c: _render_import(c, shown))


@user_errors
def merge(
    ctx: typer.Context,
    first: Annotated[str, typer.Argument(help="PERSON A, who stays.")],
    second: Annotated[str, typer.Argument(help="PERSON B, merged into A and gone.")],
    as_json: JsonFlag = False,
) -> None:
    """Merge B into A by hand: details, tags and the whole history move to A."""
    from kith.app import merging
    from kith.app.result_views import MergeView

    merged = MergeView.of(merging.merge(garden(ctx), first, second))

    def render(c: Console) -> None:
        moved = ", ".join(counted(n, label) for label, n in merged.moved.items() if n)
        filled = f"; filled {', '.join(merged.filled)}" if merged.filled else ""
        gone, kept = merged.gone, merged.kept
        c.print(
            f"merged {gone.name} (#{gone.id}) into {kept.name} (#{kept.id});"
            f" moved {moved or 'no history'}{filled}",
            markup=False,
        )
        for note in merged.notes:
            c.print(note, markup=False)

    emit(merged, as_json, render)


@user_errors
def export(
    ctx: typer.Context,
    kind: Annotated[str, typer.Argument(help="vcard, csv, ics (the feed) or json (a backup).")],
    file: Annotated[Path, typer.Argument(help="The file to write (replaced whole).")],
    version: Annotated[
        str, typer.Option("--version", help="vCard version: 4.0, or 3.0 for older phones.")
    ] = "4.0",
    notes: Annotated[
        bool, typer.Option("--notes", help="Include private notes (vcard, csv).")
    ] = False,
    pruned: Annotated[
        bool, typer.Option("--pruned", help="Include pruned people (vcard, csv).")
    ] = False,
    todo: Annotated[
        bool, typer.Option("--todo", help="ics: write VTODOs instead of all-day events.")
    ] = False,
    as_json: JsonFlag = False,
) -> None:
    """Write your garden as vCard, CSV, an iCalendar feed or a full JSON backup."""
    from kith.app import exporting
    from kith.app.file_views import ExportView

    done = ExportView.of(
        exporting.export(
            garden(ctx),
            kind,
            file,
            version=version,
            include_notes=notes,
            include_pruned=pruned,
            as_todo=todo,
        )
    )
    what = "feed entries" if kind == "ics" else "people"
    emit(
        done,
        as_json,
        lambda c: c.print(f"wrote {done.written} {what} to {done.file}", markup=False),
    )


@user_errors
def sync(
    ctx: typer.Context,
    kind: Annotated[str, typer.Argument(help="carddav.")],
    url: Annotated[str, typer.Argument(help="The address book's URL.")],
    user: Annotated[str, typer.Option("--user", help="The CardDAV user name.")],
    password_env: Annotated[
        str,
        typer.Option("--password-env", help="The environment variable holding the password."),
    ] = "KITH_CARDDAV_PASSWORD",  # noqa: S107 - the name of a variable, not a password
    as_json: JsonFlag = False,
) -> None:
    """Two-way sync with a CardDAV address book (Nextcloud, Radicale, phones)."""
    from kith.app import sync as sync_app
    from kith.app.file_views import SyncView

    if kind != "carddav":
        raise InvalidInput("kind", f"{kind!r}: only carddav can be synced")
    done = SyncView.of(
        sync_app.sync_carddav(garden(ctx), url, user, os.environ.get(password_env, ""))
    )

    def render(c: Console) -> None:
        c.print(
            f"pushed {plural(done.pushed_new, 'new card')} and"
            f" {plural(done.pushed_changes, 'changed card')}; pulled"
            f" {plural(done.pulled_new, 'new card')} and"
            f" {plural(done.pulled_changes, 'changed card')}",
            markup=False,
        )
        for conflict in done.conflicts:
            c.print(f"  conflict, {conflict.name}: {conflict.why}", markup=False)
        for line in (*done.gone_remote, *done.warnings):
            c.print(f"  {line}", markup=False)

    emit(done, as_json, render)
