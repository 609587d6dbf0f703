"""How a push is cut into batches (sync.push_batches.batch_size): a small first batch, so that the server starts
sooner; full ones; and a small last one, whose answer is the end of the push. No batch is ever above its limit."""

from __future__ import annotations

import pytest

from sync.engine import PUSH_BATCH
from sync.push_batches import FIRST_PUSH_BATCH, LAST_PUSH_BATCH, batch_size


def cut(waiting: int, first: int = FIRST_PUSH_BATCH, full: int = PUSH_BATCH) -> list[int]:
    """The batches of a push of ``waiting`` changes, as SyncEngine._pending counts and cuts them."""
    sizes: list[int] = []
    limit = first
    while waiting:
        sizes.append(batch_size(min(waiting, limit + LAST_PUSH_BATCH), limit))
        waiting -= sizes[-1]
        limit = full
    return sizes


@pytest.mark.parametrize(("waiting", "sizes"), [
    (3, [3]), (60, [50, 10]), (100, [50, 50]), (120, [50, 70]), (550, [50, 400, 100]),
    (1000, [50, 500, 350, 100]), (2000, [50, 500, 500, 500, 350, 100]),
])
def test_a_push_is_cut_into_a_small_first_batch_full_ones_and_a_small_last_one(waiting: int, sizes: list[int]) -> None:
    assert cut(waiting) == sizes


def test_every_change_goes_once_and_no_batch_is_above_its_limit() -> None:
    for waiting in range(1, 2 * PUSH_BATCH + 3 * LAST_PUSH_BATCH):
        sizes = cut(waiting)
        assert sum(sizes) == waiting and sizes[0] <= FIRST_PUSH_BATCH and max(sizes) <= PUSH_BATCH, (waiting, sizes)
        assert min(sizes) > 0, (waiting, sizes)


def test_tiny_batches_are_not_cut_again() -> None:
    assert cut(9, first=3, full=3) == [3, 3, 3]
