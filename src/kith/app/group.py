"""Pairing rounds for a networking group: everyone meets someone new who shares an interest.

This works on a members file, not on a garden: a group organiser runs it for the group.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from kith.app.errors import InvalidInput, KithError
from kith.core.pairing import Round, pair_round
from kith.core.tags import load_vocabulary
from kith.io.members import read_members, read_pairs, write_pairs
from kith.io.records import FormatError, RecordError

T = TypeVar("T")


@dataclass(frozen=True)
class PairingReport:
    """A round of pairs for a group: the pairs, the bad rows, and what was written."""

    round_number: int
    result: Round
    errors: list[RecordError]
    written: int
    out: Path
    avoided: int  # pairs of earlier rounds that were not repeated
    names: dict[str, str]  # member id -> name


def pair(
    members_file: Path,
    round_number: int,
    out: Path,
    previous: Sequence[Path] = (),
    *,
    strict: bool = False,
    seed: int | None = None,
) -> PairingReport:
    """Pair every member one-to-one by mutual interest, and write the pairs.

    An earlier pair is never repeated when another choice exists; bad rows are reported (or,
    with `strict`, refuse the file).
    """
    if round_number < 1:
        raise InvalidInput("round", f"{round_number} must be at least 1")
    if out.resolve() in {p.resolve() for p in (members_file, *previous)}:
        raise InvalidInput("out", f"{out} is one of the input files; write the round elsewhere")
    members, errors = _read(read_members, members_file)
    earlier: set[frozenset[str]] = set()
    for path in previous:
        pairs, pair_errors = _read(read_pairs, path)
        earlier.update(pairs)
        errors += [RecordError(e.line, e.field, f"{path.name}: {e.message}") for e in pair_errors]
    if strict and errors:
        first = errors[0]
        raise KithError(
            f"{members_file.name}: line {first.line}, {first.field}: {first.message}"
            " (a strict round refuses the whole file)"
        )
    if len(members) < 2:
        raise KithError(f"{members_file.name}: a round needs at least two members")
    if not out.resolve().parent.is_dir():
        raise InvalidInput("out", f"folder {out.resolve().parent} does not exist")
    result = pair_round(members, earlier, load_vocabulary(), seed=seed)
    names = {m.id: m.name for m in members}
    written = write_pairs(out, round_number, result, names)
    return PairingReport(round_number, result, errors, written, out, len(earlier), names)


def _read(reader: Callable[[Path], T], path: Path) -> T:
    if not path.is_file():
        raise KithError(f"{path}: no such file")
    try:
        return reader(path)
    except FormatError as exc:
        raise KithError(str(exc)) from None
