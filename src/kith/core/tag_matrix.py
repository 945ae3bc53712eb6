"""Sparse people × tags matrices: the set-based ground of intros and pairing rounds.

Comparing every person with every other is quadratic: 20,000 people are 200 million pairs.
With tags as columns of a sparse matrix, "who shares what with whom" is one sparse product
whose work grows with the pairs that really share something, not with all pairs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import numpy.typing as npt
from scipy import sparse

from kith.core.tags import Vocabulary

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


def column_index(rows: Iterable[Iterable[str]]) -> dict[str, int]:
    """A column number for each distinct key, in first-seen order."""
    columns: dict[str, int] = {}
    for row in rows:
        for key in row:
            columns.setdefault(key, len(columns))
    return columns


def incidence(rows: Sequence[Iterable[str]], columns: Mapping[str, int]) -> sparse.csr_array:
    """A 0/1 matrix with a row per entry of `rows` and a column per key; unknown keys drop."""
    indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    indices: list[int] = []
    for i, row in enumerate(rows):
        cols = {columns[k] for k in row if k in columns}
        indices.extend(sorted(cols))
        indptr[i + 1] = len(indices)
    data = np.ones(len(indices), dtype=np.float64)
    shape = (len(rows), len(columns))
    return sparse.csr_array((data, np.asarray(indices, dtype=np.int64), indptr), shape=shape)


def with_broader(keys: Iterable[str], vocab: Vocabulary) -> set[str]:
    """Keys plus every broader term: what an offer of them can meet."""
    expanded = set(keys)
    for key in list(expanded):
        expanded |= vocab.broader.get(key, frozenset())
    return expanded


def row_overlap(
    matrix: sparse.csr_array,
    rows: IntArray,
    cols: IntArray,
    other: sparse.csr_array | None = None,
) -> FloatArray:
    """Row rows[k] of `matrix` dot row cols[k] of `other` (default: `matrix`), for each k.

    With one matrix: the tags a pair shares; with needs and offers: the needs met.
    """
    if rows.size == 0:
        return np.zeros(0, dtype=np.float64)
    right = matrix if other is None else other
    product = matrix[rows].multiply(right[cols])
    return np.asarray(product.sum(axis=1), dtype=np.float64).ravel()
