"""How a push is cut into batches: a small first one, full ones (``sync.engine.PUSH_BATCH``, at most what the server
takes), and a small last one."""

from __future__ import annotations

# The first batch of a push is small: the server starts on it sooner, while the next one is laid out and sent.
FIRST_PUSH_BATCH = 50
# So is the last (:func:`batch_size`): the PC writes the last answer after the server has finished, and that is the
# end of the push; an answer before it is written while the server works on the next batch. On 1,000 edits at
# 10,000 complaints (batches of 50, 500, 400, 50 against 50, 500, 450) the push took 303 ms against 319 ms (medians
# of six, alternated): the one request more costs the server about 5 ms, the last answer 3 ms instead of 20.
LAST_PUSH_BATCH = 50


def batch_size(waiting: int, limit: int) -> int:
    """How many of the ``waiting`` unsent changes (counted up to ``limit`` + :data:`LAST_PUSH_BATCH`) the next batch
    takes: ``limit`` at most, and where the rest would fit in the batch after it, all but the last
    :data:`LAST_PUSH_BATCH` (a short last batch: its answer is the end of the push)."""
    if 2 * LAST_PUSH_BATCH <= waiting <= limit + LAST_PUSH_BATCH:
        return waiting - LAST_PUSH_BATCH
    return min(waiting, limit)


__all__ = ["FIRST_PUSH_BATCH", "LAST_PUSH_BATCH", "batch_size"]
