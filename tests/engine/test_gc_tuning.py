"""batch_gc: fewer full collections during a batch, settings restored after it."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from cleara.engine.gc_tuning import batch_gc


@pytest.fixture(autouse=True)
def _nothing_frozen() -> Iterator[None]:
    gc.unfreeze()
    yield
    gc.unfreeze()


def test_a_batch_freezes_and_restores() -> None:
    before = gc.get_threshold()
    with batch_gc():
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold() != before
        with batch_gc():  # nested batches change nothing more
            pass
        assert gc.get_freeze_count() > 0
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_a_process_freeze_outlives_a_batch() -> None:
    gc.freeze()  # as the server does after its warm-up
    before = gc.get_threshold()
    with batch_gc():
        assert gc.get_threshold() != before
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() > 0  # still frozen (a batch of its own unfreezes all)
