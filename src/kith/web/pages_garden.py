"""Pages about the whole garden: the dashboard with its feed, weed, share, the network map."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import FileResponse, RedirectResponse
from starlette.background import BackgroundTask
from starlette.responses import Response

from kith.app import dashboard as garden_dashboard
from kith.app import events, network_map, nurture, quick_capture, reports, search, share_preview
from kith.app.garden import Garden
from kith.app.quick_views import QuickCaptureView
from kith.app.wording import plural
from kith.web import charts, csrf
from kith.web.auth import require_login
from kith.web.cache import VersionedCache
from kith.web.deps import Id, garden, render
from kith.web.forms import FormError, attempt, blank_to_none

router = APIRouter(
    include_in_schema=False, dependencies=[Depends(require_login), Depends(csrf.require_token)]
)
GardenDep = Annotated[Garden, Depends(garden)]
FEED_LIMIT = 10


def _dashboard(request: Request, g: Garden) -> garden_dashboard.Dashboard:
    state = request.app.state
    return cached_dashboard(state.dashboard_cache, g, state.dashboard_judgements)


def cached_dashboard(
    cache: VersionedCache, g: Garden, kept: garden_dashboard.KeptJudgements | None = None
) -> garden_dashboard.Dashboard:
    """The dashboard's figures, judged again only when the garden changed since the last.

    With `kept`, judged again for the people changed since the last judgement only.
    """
    key = (g.account_id, g.today, garden_dashboard.version(g))  # read before judging
    return cache.get(key, lambda: garden_dashboard.figures(g, FEED_LIMIT, kept))


@router.get("/")
def dashboard(request: Request, g: GardenDep) -> Response:
    return _dashboard_page(request, g, {})


def _dashboard_page(
    request: Request, g: Garden, extra: dict[str, object], status: int = 200
) -> Response:
    board = _dashboard(request, g)
    context = {
        "feed": board.feed,
        "stats": board.stats,
        "today": g.today,
        "charts": charts.dashboard(board),
    }
    return render(request, "dashboard.html", context | extra, status)


QuickText = Annotated[str, Form(max_length=2000)]


@router.post("/capture/quick/preview")
def quick_preview(
    request: Request, g: GardenDep, text: QuickText = "", on: QuickText = ""
) -> Response:
    """The quick-capture box: what the line would save, with a Save button; nothing written."""
    found: list[QuickCaptureView] = []
    error = attempt(
        "quick", lambda: found.append(quick_capture.preview(g, text, blank_to_none(on)))
    )
    return _quick_answer(request, g, text, found, error)


@router.post("/capture/quick")
def quick_save(
    request: Request, g: GardenDep, text: QuickText = "", on: QuickText = ""
) -> Response:
    """Save the previewed line; without JavaScript, land on the person it was about."""
    found: list[QuickCaptureView] = []
    error = attempt("quick", lambda: found.append(quick_capture.apply(g, text, blank_to_none(on))))
    if found and found[0].person and not request.headers.get("hx-request"):
        return RedirectResponse(f"/people/{found[0].person.id}", status_code=303)
    return _quick_answer(request, g, text, found, error)


def _quick_answer(
    request: Request,
    g: Garden,
    text: str,
    found: list[QuickCaptureView],
    error: FormError | None,
) -> Response:
    context: dict[str, object] = {
        "quick": found[0] if found else None,
        "quick_text": text,
        "error": error,
    }
    status = 422 if error else 200
    if request.headers.get("hx-request"):
        return render(request, "_quick_capture.html", context, status)
    return _dashboard_page(request, g, context, status)


@router.post("/feed/{person_id}/done")
def feed_done(
    request: Request, g: GardenDep, person_id: Id, gesture: Annotated[str, Form()] = ""
) -> Response:
    """One click: the suggested gesture is done, so log it as my message to them."""
    events.log(g, f"#{person_id}", "message", by="me", note=gesture or None)
    return render(request, "_feed_done.html", {"verb": "Done", "person_id": person_id})


@router.post("/feed/{person_id}/snooze")
def feed_snooze(
    request: Request, g: GardenDep, person_id: Id, days: Annotated[int, Form()] = 7
) -> Response:
    person, _ = nurture.snooze(g, f"#{person_id}", days)
    return render(
        request,
        "_feed_done.html",
        {"verb": f"Snoozed for {plural(days, 'day')}", "name": person.name},
    )


@router.get("/weed")
def weed(request: Request, g: GardenDep, pruned: int = 0, restored: int = 0) -> Response:
    candidates = nurture.weed(g)
    archived, _ = search.search_people(g, search.Filters(stage="pruned"))
    names = {row.id: row.name for row in archived}
    if pruned in names:
        notice = f"Pruned: archived, history kept. {names[pruned]} can be restored below."
    elif restored:
        notice = "Restored: back in the garden."
    else:
        notice = None
    context = {"candidates": candidates, "pruned": archived, "saved": notice}
    return render(request, "weed.html", context)


@router.get("/share")
def share(request: Request, g: GardenDep, min_stage: str = "trusted") -> Response:
    preview = share_preview.preview(g, min_stage)
    return render(request, "share.html", {"preview": preview})


@router.get("/share/download")
def share_download(g: GardenDep, min_stage: str = "trusted") -> Response:
    """The same file `kith share --out` writes, built in a temporary folder and sent."""
    folder = Path(tempfile.mkdtemp(prefix="kith-share-"))
    out = folder / "kith-network.json"
    reports.share(g, out, min_stage)
    cleanup = BackgroundTask(_remove, folder)
    return FileResponse(out, filename=out.name, media_type="application/json", background=cleanup)


def _remove(folder: Path) -> None:
    for file in folder.iterdir():
        file.unlink()
    folder.rmdir()


@router.get("/network")
def network(request: Request, g: GardenDep) -> Response:
    key = (g.account_id, g.today, garden_dashboard.version(g))
    graph = request.app.state.network_cache.get(key, lambda: charts.network(network_map.network(g)))
    return render(request, "network.html", {"graph": graph})
