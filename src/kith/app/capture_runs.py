"""`kith capture runs` and `kith capture undo RUN`: the capture log, and undoing one run."""

from __future__ import annotations

from kith.app.errors import InvalidInput, KithError, NotFound
from kith.app.file_views import CaptureRunView, UndoneView
from kith.app.garden import Garden
from kith.app.sessions import naive_utc, utc_now
from kith.store import captures


def _view(run: captures.CaptureRun) -> CaptureRunView:
    return CaptureRunView(
        id=run.id,
        source=run.source,
        started_at=run.started_at.isoformat(timespec="seconds"),
        counts=dict(run.counts),
        present=run.present,
        undone_at=run.undone_at.isoformat(timespec="seconds") if run.undone_at else None,
    )


def runs(garden: Garden) -> list[CaptureRunView]:
    """Every capture run, newest first: what it read, what it added, what is still there."""
    with garden.reading() as conn:
        return [_view(run) for run in captures.list_runs(conn, garden.account_id)]


def run_id(text: str) -> int:
    """A RUN as typed: `7` or `#7`."""
    digits = text.strip().removeprefix("#")
    if not digits.isdigit():
        raise InvalidInput("run", f"{text!r} is not a run id")
    return int(digits)


def undo(garden: Garden, run: str) -> UndoneView:
    """Remove exactly what one capture run added, in one transaction."""
    wanted = run_id(run)
    with garden.transaction() as conn:
        found = captures.find_run(conn, garden.account_id, wanted)
        if found is None:
            raise NotFound(f"no capture run #{wanted} (see `kith capture runs`)")
        if found.undone_at is not None:
            raise KithError(f"capture run #{wanted} was already undone")
        removed = captures.undo_run(conn, garden.account_id, wanted, naive_utc(utc_now()))
    return UndoneView(wanted, found.source, removed)
