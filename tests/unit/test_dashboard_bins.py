"""The balance histogram binned in numpy equals the Python loop, edges included."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from kith.app.dashboard import BALANCE_BINS, _bin_balance_array, bin_balances


@given(st.lists(st.integers(min_value=-40, max_value=40)))
def test_numpy_bins_equal_the_loop(balances: list[int]) -> None:
    assert _bin_balance_array(np.asarray(balances, dtype=int)) == bin_balances(balances)


def test_every_edge_falls_in_the_band_it_closes() -> None:
    edges = list(BALANCE_BINS) + [edge + 1 for edge in BALANCE_BINS]
    assert _bin_balance_array(np.asarray(edges, dtype=int)) == bin_balances(edges)
    assert sum(_bin_balance_array(np.asarray([], dtype=int)).values()) == 0
