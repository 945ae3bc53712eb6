"""A valid backup of the demo garden, and the reads every restored garden must survive."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from kith.app import intros, nurture, reports, views
from kith.app.backup import dump
from kith.app.demo import load_demo
from kith.app.documents import to_json
from kith.app.exporting import export
from kith.app.garden import Garden, open_garden
from kith.app.person_views import ProfileView
from kith.settings import Settings
from tests.conftest import TODAY

_DEMO: dict[str, Any] = {}


def demo_backup(folder: Path) -> dict[str, Any]:
    """The demo garden's backup (`kith demo`, then export json), made once per test run."""
    if not _DEMO:
        garden = open_garden(Settings(database_url=f"sqlite:///{folder / 'demo.db'}"), TODAY)
        try:
            load_demo(garden)
            with garden.reading() as conn:
                _DEMO.update(dump(conn, garden.account_id))
        finally:
            garden.engine.dispose()
    return copy.deepcopy(_DEMO)


def write(document: object, path: Path) -> Path:
    # ASCII with \\u escapes: carries even a lone surrogate, as a hostile file would.
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def read_everything(garden: Garden, folder: Path) -> None:
    """Every read command, through the app functions the CLI and the web call."""
    listed = views.list_people(garden)
    views.list_people(garden, "pruned")
    for person in listed:
        to_json(ProfileView.of(views.show(garden, f"#{person.id}")))
    if listed:
        intros.conversation_starters(garden, f"#{listed[0].id}")
    nurture.feed(garden)
    nurture.weed(garden)
    reports.stats(garden)
    intros.suggestions(garden)
    intros.list_all(garden)
    reports.share(garden, folder / "share.json", "growing")
    export(garden, "ics", folder / "feed.ics")
