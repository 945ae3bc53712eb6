"""Introductions (suggestions and the double opt-in workflow) and importing contacts."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request, UploadFile
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from kith.app import importing, intros
from kith.app.garden import Garden
from kith.app.import_report import ImportReport
from kith.web import csrf
from kith.web.auth import require_login
from kith.web.deps import Id, garden, render
from kith.web.forms import FormError, attempt, blank_to_none
from kith.web.uploads import Uploads

router = APIRouter(
    include_in_schema=False, dependencies=[Depends(require_login), Depends(csrf.require_token)]
)
GardenDep = Annotated[Garden, Depends(garden)]
Text = Annotated[str, Form()]
STEPS = ("asked-a", "asked-b", "accepted", "declined", "made", "outcome")
IMPORT_KINDS = ("vcard", "linkedin", "google", "outlook")


def _intros_page(
    request: Request, g: Garden, *, error: FormError | None = None, status: int = 200
) -> Response:
    context = {
        "suggestions": intros.suggestions(g),
        "made": intros.list_all(g),
        "steps": STEPS,
        "error": error,
        "saved": request.query_params.get("saved") == "1",
    }
    return render(request, "intros.html", context, status)


@router.get("/intros")
def intros_page(request: Request, g: GardenDep) -> Response:
    return _intros_page(request, g)


@router.post("/intros")
def start(request: Request, g: GardenDep, a: Text, b: Text, why: Text = "") -> Response:
    error = attempt("start", lambda: intros.start(g, a, b, blank_to_none(why)))
    if error:
        return _intros_page(request, g, error=error, status=422)
    return RedirectResponse("/intros?saved=1", status_code=303)


@router.post("/intros/{intro_id}/step")
def step(
    *, request: Request, g: GardenDep, intro_id: Id, step: Text, outcome: Text = ""
) -> Response:
    error = attempt(
        f"step-{intro_id}",
        lambda: intros.step(g, intro_id, step, outcome=blank_to_none(outcome)),
    )
    if error:
        return _intros_page(request, g, error=error, status=422)
    return RedirectResponse("/intros?saved=1", status_code=303)


# --- import: upload, a dry run to preview, then the real thing ----------------------------


def _uploads(request: Request) -> Uploads:
    """Files uploaded for a preview, kept until imported or expired (see `uploads`)."""
    kept: Uploads = request.app.state.uploads
    return kept


def _import_page(
    request: Request, context: dict[str, Any] | None = None, status: int = 200
) -> Response:
    base = {"kinds": IMPORT_KINDS, "report": None, "error": None, "upload": None}
    return render(request, "import.html", base | (context or {}), status)


@router.get("/import")
def import_page(request: Request) -> Response:
    return _import_page(request)


@router.post("/import")
def upload(request: Request, g: GardenDep, file: UploadFile, kind: Text = "vcard") -> Response:
    """Keep the upload and show what importing it would do (a dry run: nothing written).

    A plain `def`, so FastAPI runs it in a worker thread: the file is copied and parsed
    there, not on the event loop.
    """
    upload_id, _ = _uploads(request).add(file.filename, file.file, g.account_id)
    return _run_import(request, g, kind, upload_id, dry_run=True)


@router.post("/import/{upload_id}")
def confirm(request: Request, g: GardenDep, upload_id: str, kind: Text) -> Response:
    return _run_import(request, g, kind, upload_id, dry_run=False)


def _run_import(
    request: Request, g: Garden, kind: str, upload_id: str, *, dry_run: bool
) -> Response:
    path = _uploads(request).get(upload_id, g.account_id)
    if path is None:
        _uploads(request).discard(upload_id, g.account_id)  # an expired one goes now
        gone = FormError("import", "file", "that upload is gone; choose the file again")
        return _import_page(request, {"error": gone}, 422)
    found: list[ImportReport] = []
    error = (
        FormError("import", "kind", f"choose one of {', '.join(IMPORT_KINDS)}")
        if kind not in IMPORT_KINDS
        else attempt(
            "import", lambda: found.append(importing.import_file(g, kind, path, dry_run=dry_run))
        )
    )
    filename = _uploads(request).name(upload_id, g.account_id)
    if not dry_run or error:
        _uploads(request).discard(upload_id, g.account_id)
    context = {
        "report": found[0] if found else None,
        "error": error,
        "upload": upload_id if dry_run and not error else None,
        "kind": kind,
        "filename": filename,
    }
    return _import_page(request, context, 422 if error else 200)
