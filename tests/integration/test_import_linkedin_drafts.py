"""The importer reads LinkedIn rows straight into drafts: the same import as through records.

`iter_linkedin_drafts` gives a row that reads whole as its draft; the reference is the
importer as it was, reading `iter_linkedin`'s records. Each file is imported twice (a fresh
import, then a re-import) both ways, in fresh accounts of one garden, on SQLite and
PostgreSQL: the reports (counts, errors, merges, warnings, in order) and the people stored
(whole drafts) are the same.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from bench.bench_import import generate
from hypothesis import HealthCheck, given, settings
from sqlalchemy import select

from kith.app import importing
from kith.app.garden import Garden
from kith.app.import_report import ImportView
from kith.core.model import PersonDraft
from kith.io.linkedin import iter_linkedin
from kith.store import dedup_index
from kith.store.tables import people
from tests.conftest import CORPUS
from tests.integration.test_import_fast_paths import Gardens
from tests.unit.test_io_linkedin_columns import exports, written


@pytest.fixture
def gardens(database_url: str) -> Iterator[Gardens]:
    made = Gardens(database_url)
    yield made
    for garden in made.opened:
        garden.engine.dispose()


def drafts(garden: Garden) -> list[PersonDraft]:
    """The account's people as drafts, in the order they were added."""
    with garden.engine.connect() as conn:
        query = select(people.c.id).where(people.c.account_id == garden.account_id)
        ids = list(conn.execute(query.order_by(people.c.id)).scalars())
        found = dedup_index.load_drafts(conn, garden.account_id, ids)
    return [found[i] for i in ids]


def twice(garden: Garden, path: Path) -> tuple[ImportView, ...]:
    return tuple(ImportView.of(importing.import_file(garden, "linkedin", path)) for _ in "12")


def assert_read_as_records_would(gardens: Gardens, path: Path) -> tuple[ImportView, ...]:
    direct = gardens.fresh()
    reports = twice(direct, path)
    with pytest.MonkeyPatch.context() as patched:
        patched.setitem(importing._READERS, "linkedin", iter_linkedin)  # the importer as it was
        through_records = gardens.fresh()
        assert twice(through_records, path) == reports
    assert drafts(direct) == drafts(through_records)
    return reports


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(exports())
def test_an_import_reading_drafts_equals_one_reading_records(gardens: Gardens, text: str) -> None:
    with written(text) as path:
        assert_read_as_records_would(gardens, path)


def test_the_benchmarks_file_imports_as_through_records(gardens: Gardens, tmp_path: Path) -> None:
    path = tmp_path / "Connections.csv"
    generate(path, 2 * importing.BATCH + 7)  # several batches, 1 in 8 with an email
    fresh, again = assert_read_as_records_would(gardens, path)
    assert fresh.added == 2 * importing.BATCH + 7
    assert again.skipped == fresh.added


@pytest.mark.corpus
@pytest.mark.parametrize(
    "name", sorted(p.name for p in CORPUS.glob("csv/linkedin/*.csv")) if CORPUS.is_dir() else []
)
def test_every_linkedin_file_of_the_corpus_imports_as_through_records(
    gardens: Gardens, name: str
) -> None:
    assert_read_as_records_would(gardens, CORPUS / "csv" / "linkedin" / name)
