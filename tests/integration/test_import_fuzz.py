"""Importer fuzzers: the real corpus files, mutated, never make an import crash.

Every importer (vCard, Google, Outlook and LinkedIn CSV, iCalendar and mbox capture) reads
corpus files cut short, with bytes flipped, NUL bytes, a huge field, another encoding, deep
nesting or repeated lines. Whatever comes in, the import either reports (each bad record
naming its line) or refuses the file with one line (`KithError`); any other exception, a
traceback for the user, fails the test. Dry runs on one SQLite garden: nothing is kept.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kith.app import capture, importing
from kith.app.errors import KithError
from kith.app.garden import Garden
from tests.conftest import CORPUS
from tests.integration.test_crash_harness import mail_mbox

pytestmark = pytest.mark.corpus

Mutation = Callable[[bytes], bytes]


def _files(folder: str, suffix: str) -> list[Path]:
    found = sorted((CORPUS / folder).rglob(f"*{suffix}")) if CORPUS.is_dir() else []
    return found or [Path("missing-corpus")]


def _at(data: bytes, where: float) -> int:
    return min(len(data), int(where * len(data)))


def truncated(where: float) -> Mutation:
    return lambda data: data[: _at(data, where)]


def flipped(flips: list[tuple[float, int]]) -> Mutation:
    def flip(data: bytes) -> bytes:
        out = bytearray(data)
        for where, byte in flips:
            if out:
                out[min(len(out) - 1, _at(data, where))] = byte
        return bytes(out)

    return flip


def inserted(where: float, text: bytes) -> Mutation:
    return lambda data: data[: _at(data, where)] + text + data[_at(data, where) :]


def reencoded(encoding: str) -> Mutation:
    return lambda data: data.decode("utf-8", "replace").encode(encoding, "replace")


def repeated_lines(where: float, times: int) -> Mutation:
    def repeat(data: bytes) -> bytes:
        lines = data.splitlines(keepends=True) or [b""]
        i = min(len(lines) - 1, int(where * len(lines)))
        return b"".join([*lines[:i], *[lines[i]] * times, *lines[i:]])

    return repeat


def huge_field(where: float, size: int, name: bytes) -> Mutation:
    return inserted(where, b"\r\n" + name + b"x" * size + b"\r\n")


def nested(begin: bytes, depth: int) -> Mutation:
    return lambda data: begin * depth + data


fractions = st.floats(0, 1)
mutations = st.one_of(
    st.builds(truncated, fractions),
    st.builds(flipped, st.lists(st.tuples(fractions, st.integers(0, 255)), min_size=1, max_size=8)),
    st.builds(inserted, fractions, st.sampled_from([b"\0", b"\0" * 64, b"\x1b[31m", b'"', b"\r"])),
    st.builds(reencoded, st.sampled_from(["utf-16", "utf-32", "latin-1", "cp1252", "shift_jis"])),
    st.builds(repeated_lines, fractions, st.integers(2, 2000)),
    st.builds(
        huge_field,
        fractions,
        st.integers(10_000, 400_000),
        st.sampled_from([b"NOTE:", b"FN:", b"EMAIL:", b"DESCRIPTION:", b"Subject: ", b'"', b""]),
    ),
    st.builds(
        nested,
        st.sampled_from([b"BEGIN:VCARD\r\n", b"BEGIN:VEVENT\r\n", b"BEGIN:VCALENDAR\r\n"]),
        st.integers(1, 5000),
    ),
)
FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _mutate(source: Path, changes: list[Mutation], target: Path) -> Path:
    data = source.read_bytes()
    for change in changes:
        data = change(data)
    target.write_bytes(data)
    return target


def _imports_or_refuses(run: Callable[[], object]) -> None:
    """The import reports, each bad record naming its line, or refuses in one line."""
    try:
        report = run()
    except KithError as refused:
        message = str(refused)
        assert message and "\n" not in message and "Traceback" not in message
        return
    for error in getattr(report, "errors", []):
        line = error["line"] if isinstance(error, dict) else error.line
        assert isinstance(line, int) and line >= 1, error


@pytest.mark.parametrize("kind", ["vcard", "google", "outlook", "linkedin"])
@FUZZ
@given(data=st.data())
def test_a_mutated_contact_file_imports_or_is_refused_in_one_line(
    sqlite_garden: Garden, tmp_path: Path, kind: str, data: st.DataObject
) -> None:
    folder, suffix = ("vcard", ".vcf") if kind == "vcard" else ("csv", ".csv")
    source = data.draw(st.sampled_from(_files(folder, suffix)), label="file")
    if not source.exists():
        pytest.skip(f"the shared corpus is not at {CORPUS}")
    changes = data.draw(st.lists(mutations, min_size=1, max_size=3), label="mutations")
    path = _mutate(source, changes, tmp_path / f"fuzzed{suffix}")
    _imports_or_refuses(lambda: importing.import_file(sqlite_garden, kind, path, dry_run=True))


@pytest.mark.parametrize("kind", ["ics", "mbox"])
@FUZZ
@given(data=st.data())
def test_a_mutated_calendar_or_mailbox_captures_or_is_refused_in_one_line(
    sqlite_garden: Garden, tmp_path: Path, kind: str, data: st.DataObject
) -> None:
    if kind == "ics":
        source = data.draw(st.sampled_from(_files("ics", ".ics")), label="file")
        if not source.exists():
            pytest.skip(f"the shared corpus is not at {CORPUS}")
    else:
        source = tmp_path / "source.mbox"
        if not source.exists():
            mail_mbox(source, people=3, count=12)
    changes = data.draw(st.lists(mutations, min_size=1, max_size=3), label="mutations")
    path = _mutate(source, changes, tmp_path / f"fuzzed.{kind}")
    _imports_or_refuses(
        lambda: capture.capture(sqlite_garden, kind, path, me=["me@example.org"], dry_run=True)
    )
