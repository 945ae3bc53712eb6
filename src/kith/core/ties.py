"""The community's ties as arrays: a directed graph of tie strengths with their evidence.

Two CSR layouts of the same edges, by source (out-ties) and by target (in-ties), as plain
numpy arrays: the layout of scipy.sparse.csr_array (`TieGraph.matrix()` hands it to scipy),
cheap to slice per node and to gather for many nodes at once (`gather`), which is what the
bounded path search (kith.core.warm_paths) and rankings over the graph need. Evidence per tie
(stage, how long known, how many contacts) is kept in the order the ties were given, for the
words only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import sparse

from kith.core.wording import plural, span

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class TieEvidence:
    """What is known about one tie, for its words; any part may be unknown."""

    stage: str | None = None
    days_known: int | None = None
    contacts: int | None = None

    def words(self) -> str:
        """'trusted, 4 years, 23 contacts' (only the parts that are known)."""
        parts = [self.stage] if self.stage else []
        if self.days_known is not None:
            parts.append(span(self.days_known))
        if self.contacts is not None:
            parts.append(plural(self.contacts, "contact"))
        return ", ".join(parts)


@dataclass(frozen=True, eq=False)
class TieGraph:
    """Directed ties as CSR arrays by source and by target; build it with `tie_graph`."""

    names: tuple[str, ...]
    out_ptr: IntArray
    out_node: IntArray
    out_weight: FloatArray
    out_edge: IntArray  # position of each out-tie in the edges as given (for evidence)
    in_ptr: IntArray
    in_node: IntArray
    in_weight: FloatArray
    stage: tuple[str, ...] | None  # per edge as given; "" is unknown
    days_known: IntArray | None  # per edge as given; negative is unknown
    contacts: IntArray | None

    @property
    def size(self) -> int:
        """How many people the graph holds."""
        return len(self.names)

    def matrix(self) -> sparse.csr_array:
        """The tie strengths as a scipy CSR matrix (row: from, column: to)."""
        n = self.size
        return sparse.csr_array((self.out_weight, self.out_node, self.out_ptr), shape=(n, n))

    def strength(self, source: int, target: int) -> float | None:
        """The strength of the tie from source to target; None without one."""
        lo, hi = self.out_ptr[source], self.out_ptr[source + 1]
        at = lo + int(np.searchsorted(self.out_node[lo:hi], target))
        return float(self.out_weight[at]) if at < hi and self.out_node[at] == target else None

    def evidence(self, source: int, target: int) -> TieEvidence:
        """What is known of the tie from source to target (it must exist)."""
        lo, hi = self.out_ptr[source], self.out_ptr[source + 1]
        at = lo + int(np.searchsorted(self.out_node[lo:hi], target))
        edge = int(self.out_edge[at])
        days = int(self.days_known[edge]) if self.days_known is not None else -1
        count = int(self.contacts[edge]) if self.contacts is not None else -1
        return TieEvidence(
            stage=(self.stage[edge] or None) if self.stage is not None else None,
            days_known=days if days >= 0 else None,
            contacts=count if count >= 0 else None,
        )


def tie_graph(
    sources: npt.ArrayLike,
    targets: npt.ArrayLike,
    strengths: npt.ArrayLike,
    *,
    names: tuple[str, ...] | list[str] | None = None,
    size: int | None = None,
    stage: tuple[str, ...] | list[str] | None = None,
    days_known: npt.ArrayLike | None = None,
    contacts: npt.ArrayLike | None = None,
) -> TieGraph:
    """The graph of ties `sources[i] → targets[i]` with strength `strengths[i]`.

    Nodes are 0..size-1 (size from `names`, else `size`, else the largest id + 1). Evidence
    columns, when given, are aligned with the edges. Raises ValueError naming the bad field.
    """
    src = np.asarray(sources, dtype=np.int64)
    dst = np.asarray(targets, dtype=np.int64)
    weight = np.asarray(strengths, dtype=np.float64)
    n = len(names) if names is not None else size
    if n is None:
        n = int(max(src.max(initial=-1), dst.max(initial=-1))) + 1
    _check_edges(src, dst, weight, n)
    days = _column(days_known, src.size, "days_known")
    count = _column(contacts, src.size, "contacts")
    if stage is not None and len(stage) != src.size:
        raise ValueError("stage: one value per edge is needed")
    forward = np.lexsort((dst, src))
    if np.any((src[forward][1:] == src[forward][:-1]) & (dst[forward][1:] == dst[forward][:-1])):
        raise ValueError("targets: a tie appears twice (give each pair once)")
    backward = np.lexsort((src, dst))
    return TieGraph(
        names=tuple(names) if names is not None else tuple(f"#{i}" for i in range(n)),
        out_ptr=_row_pointers(src, n),
        out_node=dst[forward],
        out_weight=weight[forward],
        out_edge=forward.astype(np.int64),
        in_ptr=_row_pointers(dst, n),
        in_node=src[backward],
        in_weight=weight[backward],
        stage=tuple(stage) if stage is not None else None,
        days_known=days,
        contacts=count,
    )


def _check_edges(src: IntArray, dst: IntArray, weight: FloatArray, n: int) -> None:
    if not src.size == dst.size == weight.size:
        raise ValueError("strengths: sources, targets and strengths differ in length")
    for field, nodes in (("sources", src), ("targets", dst)):
        if nodes.size and (nodes.min() < 0 or nodes.max() >= n):
            raise ValueError(f"{field}: a node id is outside 0..{n - 1}")
    if np.any(src == dst):
        raise ValueError("targets: a tie from a node to itself")
    if np.any(~(weight > 0) | ~(weight <= 1)):
        raise ValueError("strengths: each tie strength must be in (0, 1]")


def _column(values: npt.ArrayLike | None, edges: int, field: str) -> IntArray | None:
    if values is None:
        return None
    column = np.asarray(values, dtype=np.int64)
    if column.shape != (edges,):
        raise ValueError(f"{field}: one value per edge is needed")
    return column


def _row_pointers(rows: IntArray, n: int) -> IntArray:
    pointers = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=n), out=pointers[1:])
    return pointers


def gather(
    ptr: IntArray, node: IntArray, weight: FloatArray, rows: IntArray
) -> tuple[IntArray, IntArray, FloatArray]:
    """The entries of CSR `rows`: (index into rows, column, value), row after row."""
    starts = ptr[rows]
    counts = ptr[rows + 1] - starts
    owner = np.repeat(np.arange(rows.size, dtype=np.int64), counts)
    firsts = np.cumsum(counts) - counts
    at = starts[owner] + np.arange(owner.size, dtype=np.int64) - firsts[owner]
    return owner, node[at], weight[at]
