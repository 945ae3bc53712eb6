"""Every real-world file in ../shared/corpus goes through `kith import` / `kith capture`.

SQLite only, to keep the suite fast; the same code runs on PostgreSQL in the import story.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import CORPUS, Kith

KIND_BY_FOLDER = {
    "vcard": "vcard",
    "linkedin": "linkedin",
    "google": "google",
    "outlook": "outlook",
    "other": "outlook",  # Thunderbird and Roundcube exports, read by the Outlook reader
}


def corpus_files(pattern: str) -> list[object]:
    files = sorted(CORPUS.glob(pattern)) if CORPUS.is_dir() else []
    skip = pytest.mark.skip(reason=f"the shared corpus is not at {CORPUS}")
    return list(files) or [pytest.param(None, marks=skip)]


@pytest.mark.corpus
@pytest.mark.parametrize(
    "path",
    corpus_files("vcard/*.vcf") + corpus_files("csv/*/*.csv"),
    ids=lambda p: getattr(p, "name", p),
)
def test_every_contact_file_imports_what_it_holds_and_only_once(
    kith_sqlite: Kith, path: Path
) -> None:
    kind = KIND_BY_FOLDER[path.parent.name]
    first = kith_sqlite.ok("import", kind, str(path), "--json").json()
    held = first["added"] + first["merged"] + first["skipped"]
    assert held + len(first["errors"]) > 0  # every record is accounted for
    assert all(e["line"] >= 1 and "\n" not in e["message"] for e in first["errors"])
    again = kith_sqlite.ok("import", kind, str(path), "--json").json()
    assert (again["added"], again["merged"]) == (0, 0)
    assert again["skipped"] == held
    assert len(kith_sqlite.ok("list", "--json").json()) == first["added"]


@pytest.mark.corpus
@pytest.mark.parametrize("path", corpus_files("ics/*.ics"), ids=lambda p: getattr(p, "name", p))
def test_every_calendar_is_read_by_capture(kith_sqlite: Kith, path: Path) -> None:
    result = kith_sqlite("capture", "ics", str(path), "--json")
    assert result.exit_code == 0, result.stderr
    report = result.json()
    assert report["logged"] == 0  # an empty garden knows nobody in them
    assert report["skipped_unknown"] + len(report["errors"]) >= 0
