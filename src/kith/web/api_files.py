"""The JSON API's file actions: export (a download), import and capture (uploads), pair.

Uploads are written to a temporary folder for the one call and removed after it; the
server's body limit (5 MB, `security.MAX_BODY_BYTES`) bounds them as it bounds every request.
Downloads are written to a temporary file by `kith.app` and sent whole.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, Form, Query, UploadFile
from fastapi import Path as PathParam
from starlette.responses import Response

from kith.app import capture as capture_app
from kith.app import exporting, group, importing
from kith.app.capture import CaptureView
from kith.app.import_report import ImportView
from kith.web.api import ERRORS, GardenDep
from kith.web.auth import require_token
from kith.web.deps import MAX_ID

router = APIRouter(prefix="/api/v1", dependencies=[Depends(require_token)], responses=ERRORS)

ExportKind = Literal["vcard", "csv", "ics", "json"]
MEDIA_TYPES = {
    "vcard": ("text/vcard", "kith.vcf"),
    "csv": ("text/csv", "kith.csv"),
    "ics": ("text/calendar", "kith-feed.ics"),
    "json": ("application/json", "kith-backup.json"),
}


def _download_doc(*kinds: str) -> dict[int | str, dict[str, Any]]:
    content = {MEDIA_TYPES[k][0]: {"schema": {"type": "string"}} for k in kinds if k != "json"}
    if "json" in kinds:
        content["application/json"] = {"schema": {"type": "object"}}
    return {200: {"description": "The file, as a download", "content": content}}


@contextmanager
def _folder() -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="kith-api-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _saved(folder: Path, upload: UploadFile, name: str) -> Path:
    """The upload written into `folder` under `name`, ours: the client's is never a path."""
    path = folder / name
    with path.open("wb") as out:
        shutil.copyfileobj(upload.file, out)
    return path


def _download(path: Path, kind: str) -> Response:
    media_type, filename = MEDIA_TYPES[kind]
    disposition = {"Content-Disposition": f'attachment; filename="{filename}"'}
    return Response(path.read_bytes(), media_type=media_type, headers=disposition)


@router.get(
    "/export/{kind}",
    tags=["files"],
    response_class=Response,
    responses=_download_doc(*MEDIA_TYPES),
)
def export(
    *,
    g: GardenDep,
    kind: Annotated[ExportKind, PathParam(description="vcard, csv, ics (the feed) or json")],
    version: Annotated[Literal["3.0", "4.0"], Query(description="vCard version")] = "4.0",
    notes: Annotated[bool, Query(description="Include private notes (vcard, csv)")] = False,
    pruned: Annotated[bool, Query(description="Include pruned people (vcard, csv)")] = False,
    todo: Annotated[bool, Query(description="ics: VTODOs instead of all-day events")] = False,
) -> Response:
    """The garden as a file (`kith export`): vCard, CSV, the feed as iCalendar, or a backup."""
    with _folder() as folder:
        done = exporting.export(
            g,
            kind,
            folder / MEDIA_TYPES[kind][1],
            version=version,
            include_notes=notes,
            include_pruned=pruned,
            as_todo=todo,
        )
        return _download(done.path, kind)


ImportKind = Literal["vcard", "linkedin", "google", "outlook", "json", "share"]


@router.post("/import", tags=["files"])
def import_(
    g: GardenDep,
    file: Annotated[UploadFile, File(description="The contacts file (at most 5 MB)")],
    kind: Annotated[ImportKind, Form(description="The file's format; json is a backup")],
    dry_run: Annotated[bool, Form(description="Report what would change; write nothing")] = False,
    sharer: Annotated[
        str | None, Form(max_length=300, description="share files only: who shared it")
    ] = None,
) -> ImportView:
    """Import contacts (`kith import`), merging the ones already known; every record reported."""
    with _folder() as folder:
        path = _saved(folder, file, f"contacts.{kind}")
        report = importing.import_file(g, kind, path, dry_run=dry_run, sharer=sharer)
    return ImportView.of(report)


@router.post("/capture", tags=["files"])
def capture(
    *,
    g: GardenDep,
    file: Annotated[UploadFile, File(description="A mail archive (mbox) or a calendar (ics)")],
    kind: Annotated[Literal["mbox", "ics"], Form(description="mbox or ics")],
    me: Annotated[
        list[str], Form(max_length=20, description="My own addresses: tells who initiated")
    ] = [],  # noqa: B006 - FastAPI copies defaults
    topics: Annotated[bool, Form(description="Keep subjects as topics")] = False,
    dry_run: Annotated[
        bool, Form(description="Report what would be logged; write nothing")
    ] = False,
) -> CaptureView:
    """Log the emails and meetings already had with people in the garden (`kith capture`)."""
    with _folder() as folder:
        path = _saved(folder, file, f"capture.{kind}")
        report = capture_app.capture(g, kind, path, me=me, topics=topics, dry_run=dry_run)
    return report.view()


@router.post("/pair", tags=["files"], response_class=Response, responses=_download_doc("csv"))
def pair(
    members: Annotated[UploadFile, File(description="MEMBERS.csv: id or email, name, interests")],
    round_number: Annotated[int, Form(alias="round", ge=1, le=MAX_ID)],
    previous: Annotated[list[UploadFile], File(description="Earlier rounds' PAIRS.csv files")] = [],  # noqa: B006 - FastAPI copies defaults
    strict: Annotated[bool, Form(description="Refuse the file if any row is bad")] = False,
    seed: Annotated[int | None, Form(ge=0, le=MAX_ID, description="Fix the random choices")] = None,
) -> Response:
    """A pairing round for a group (`kith pair`): PAIRS.csv, everyone meeting someone new."""
    with _folder() as folder:
        earlier = [_saved(folder, f, f"previous-{n}.csv") for n, f in enumerate(previous, 1)]
        members_file = _saved(folder, members, "members.csv")
        out = folder / "out" / "PAIRS.csv"
        out.parent.mkdir()
        done = group.pair(members_file, round_number, out, earlier, strict=strict, seed=seed)
        return _download(done.out, "csv")
