"""What the commands on files report: export, backup, restore, sync, capture log, pairing.

Shaped once here; the CLI prints these (`--json` through `documents.to_json`). Only the
standard library is imported at run time, so the CLI can name these types without loading
the store.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from kith.app.documents import Json
from kith.app.report_lines import LineError
from kith.core.threads import Correspondent

if TYPE_CHECKING:  # the builders' inputs
    from kith.app.db_backup import BackedUp, Restored
    from kith.app.exporting import Exported
    from kith.app.group import PairingReport
    from kith.app.sync import SyncConflict, SyncReport
    from kith.app.trust_rank import TrustRankReport


@dataclass(frozen=True)
class ExportView:
    """What `kith export` wrote: the format, the file, and how many people or entries."""

    format: str
    file: str
    written: int

    @classmethod
    def of(cls, done: Exported) -> ExportView:
        """The view of an export."""
        return cls(done.kind, str(done.path), done.count)


@dataclass(frozen=True)
class BackupView:
    """What `kith backup` made: the copy, its size, and the copies rotated out."""

    file: str
    bytes: int
    removed: tuple[str, ...]

    @classmethod
    def of(cls, done: BackedUp) -> BackupView:
        """The view of a backup."""
        return cls(str(done.path), done.size, tuple(str(p) for p in done.removed))


@dataclass(frozen=True)
class RestoreView:
    """What `kith restore FILE` brought back: the kind of copy and the rows per table."""

    format: str
    restored: dict[str, int]

    @classmethod
    def of(cls, done: Restored) -> RestoreView:
        """The view of a restore."""
        return cls(done.kind, dict(done.rows))


@dataclass(frozen=True)
class SyncView:
    """What `kith sync carddav` pushed and pulled, and what it could not settle."""

    pushed_new: int
    pushed_changes: int
    pulled_new: int
    pulled_changes: int
    conflicts: tuple[SyncConflict, ...]
    gone_remote: tuple[str, ...]
    warnings: tuple[str, ...]

    @classmethod
    def of(cls, report: SyncReport) -> SyncView:
        """The view of a sync."""
        return cls(
            pushed_new=report.pushed_new,
            pushed_changes=report.pushed_changes,
            pulled_new=report.pulled_new,
            pulled_changes=report.pulled_changes,
            conflicts=tuple(report.conflicts),
            gone_remote=tuple(report.gone_remote),
            warnings=tuple(report.warnings),
        )


@dataclass(frozen=True)
class CaptureRunView:
    """One capture run as the log keeps it: what it read, added, and what is still there."""

    id: int
    source: str
    started_at: str  # to the second, in UTC
    counts: dict[str, Json]
    present: int
    undone_at: str | None


@dataclass(frozen=True)
class UndoneView:
    """A capture run undone: which, from what source, and how many rows went."""

    id: int
    source: str
    removed: int


# A capture candidate as both shells show it: the core's record, as it is.
CandidateView = Correspondent


@dataclass(frozen=True)
class PairingView:
    """What `kith pair` wrote: the round's pairs, the odd one out, and the rows skipped."""

    round: int
    pairs: int
    odd_one_out: str | None  # the member's id
    odd_one_out_name: str | None
    without_shared_interest: int
    earlier_pairs_avoided: int
    errors: tuple[LineError, ...]
    out: str

    @classmethod
    def of(cls, report: PairingReport) -> PairingView:
        """The view of a pairing round."""
        odd = report.result.odd_one_out
        return cls(
            round=report.round_number,
            pairs=report.written,
            odd_one_out=odd,
            odd_one_out_name=report.names.get(odd or ""),
            without_shared_interest=sum(1 for p in report.result.pairs if not p.shared),
            earlier_pairs_avoided=report.avoided,
            errors=tuple(LineError(e.line, e.field, e.message) for e in report.errors),
            out=str(report.out),
        )


@dataclass(frozen=True)
class TrustRankView:
    """What `kith trust-rank` did: ratings read, nodes scored, the seeds, each standing's count."""

    ratings: int
    nodes: int
    seeds: tuple[str, ...]
    seeds_chosen: bool  # the user gave none: kith picked them (`seed_rule` says how)
    seed_rule: str | None
    timed: bool
    trusted: int
    unknown: int
    distrusted: int
    out: str

    @classmethod
    def of(cls, found: TrustRankReport) -> TrustRankView:
        """The view of a trust-rank run."""
        counts = found.standings
        return cls(
            ratings=found.ratings,
            nodes=found.nodes,
            seeds=found.seeds,
            seeds_chosen=found.seed_rule is not None,
            seed_rule=found.seed_rule,
            timed=found.timed,
            trusted=counts.get("trusted", 0),
            unknown=counts.get("unknown", 0),
            distrusted=counts.get("distrusted", 0),
            out=str(found.out),
        )
