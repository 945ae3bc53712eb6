"""A name within its column but whose compared form (casefolded) is not is reported, alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from kith.app import importing
from kith.app.garden import Garden
from kith.app.report_lines import LineError
from tests.integration.test_import_fast_paths import linkedin

GROWS = "ß" * 160  # 160 characters; casefolded ("ss" each) 320, over the 300 of name_key


def _row(number: int, first: str, last: str) -> tuple[str, ...]:
    url = f"https://www.linkedin.com/in/person-{number}"
    return (first, last, url, "", "Acme", "", "01 Jan 2020")


@pytest.mark.parametrize("others", [0, 2])  # alone: a garden's first import; among others
def test_a_name_too_long_once_casefolded_is_one_error_and_the_rest_is_imported(
    garden: Garden, tmp_path: Path, others: int
) -> None:
    rows = [_row(n, "Ana", f"Ruiz{n}") for n in range(others)] + [_row(others, GROWS, "")]
    path = linkedin(tmp_path / "Connections.csv", rows)
    report = importing.import_file(garden, "linkedin", path)
    assert report.added == others
    assert report.warnings == []
    assert report.errors == [
        LineError(others + 2, "name", "name: longer than 300 characters once casefolded")
    ]
