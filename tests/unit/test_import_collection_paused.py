"""An import pauses Python's cyclic collector and leaves it as it found it (issue 11)."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from kith.app.importing import collection_paused


@pytest.fixture(autouse=True)
def collector_on() -> Iterator[None]:
    gc.enable()
    yield
    gc.enable()


def test_the_collector_is_off_during_an_import_and_on_after() -> None:
    with collection_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_nested_import_leaves_the_collector_to_the_outer_one() -> None:
    with collection_paused():
        with collection_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner one found it off: not its to switch on
    assert gc.isenabled()


def test_a_failed_import_switches_it_back_on() -> None:
    with pytest.raises(RuntimeError), collection_paused():
        raise RuntimeError
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off() -> None:
    gc.disable()
    with collection_paused():
        assert not gc.isenabled()
    assert not gc.isenabled()
