"""The lines of a file an import, a capture or a pairing reports on: errors, merges, warnings.

Plain dataclasses (nothing else of kith), so the view models that carry them stay light.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LineError:
    """A record that was not taken, by line, with the field at fault when there is one."""

    line: int
    field: str | None
    message: str


@dataclass(frozen=True)
class LineMerge:
    """A record that matched someone already there: whom, by what, and the fields it filled."""

    line: int
    into: str
    by: str
    fields: tuple[str, ...]


@dataclass(frozen=True)
class LineWarning:
    """A record taken with a doubt worth saying: a field left out names that field."""

    line: int
    message: str
    field: str | None = None
