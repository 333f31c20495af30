"""The served index is kept out of the cyclic garbage collector's full walks."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from bot.heap import keep_served


class _Node:
    def __init__(self) -> None:
        self.me = self  # a reference cycle: only the cyclic collector could free it


def _tracked(obj: object) -> bool:
    """Whether ``obj`` sits in a generation the collector walks (frozen ones do not)."""
    return any(candidate is obj for candidate in gc.get_objects())


def test_objects_alive_when_kept_are_no_longer_walked() -> None:
    served = {"index": [1, 2, 3]}
    assert _tracked(served)
    keep_served(collect_first=False)
    assert not _tracked(served)
    later = {"index": [4]}
    assert _tracked(later)


@pytest.fixture
def no_automatic_collection() -> Iterator[None]:
    """Only ``keep_served`` may collect meanwhile, so what it leaves is what it did."""
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


@pytest.mark.usefixtures("no_automatic_collection")
def test_a_first_freeze_collects_cyclic_garbage_that_freezing_would_keep_forever() -> None:
    collected, frozen = _Node(), _Node()
    gone, kept = weakref.ref(collected), weakref.ref(frozen)
    del collected
    keep_served(collect_first=True)
    assert gone() is None
    del frozen
    keep_served(collect_first=False)
    gc.collect()
    assert kept() is not None  # the price of freezing without collecting: hence the first collection
