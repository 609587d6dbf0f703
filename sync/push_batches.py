"""How a push is cut into batches: a small first one, full ones (``sync.engine.PUSH_BATCH``, at most what the server
takes), and a small last one; and the next batch read from the outbox."""

from __future__ import annotations

import json

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from app.models import OutboxEntry
from sync.protocol import Mutation

# The first batch of a push is small: the server starts on it sooner, while the next one is laid out and sent.
FIRST_PUSH_BATCH = 50
# So is the last (:func:`batch_size`): the PC writes the last answer after the server has finished, and that is the
# end of the push; an answer before it is written while the server works on the next batch. On 1,000 edits at
# 10,000 complaints (batches of 50, 500, 400, 50 against 50, 500, 450) the push took 303 ms against 319 ms (medians
# of six, alternated): the one request more costs the server about 5 ms, the last answer 3 ms instead of 20.
# Not too small either: the answer before the last must be written while the server works on the last batch. With
# 50 (batches of 50, 500, 400, 50) the PC was often still writing the answer of 400 (20-50 ms) when the server had
# long finished the last 50 (about 15 ms); with 100 (50, 500, 350, 100) it has mostly finished by then. Medians of
# alternated pushes of 1,000 edits (/tmp/pushwork/tl_last.py, stop 34): 200 against 214 ms and 238 against 252 ms
# at 10,000 complaints, 236 against 245 ms at 50,000; 150 and 200 were no better than 100.
LAST_PUSH_BATCH = 100


def batch_size(waiting: int, limit: int) -> int:
    """How many of the ``waiting`` unsent changes (counted up to ``limit`` + :data:`LAST_PUSH_BATCH`) the next batch
    takes: ``limit`` at most, and where the rest would fit in the batch after it, all but the last
    :data:`LAST_PUSH_BATCH` (a short last batch: its answer is the end of the push)."""
    if 2 * LAST_PUSH_BATCH <= waiting <= limit + LAST_PUSH_BATCH:
        return waiting - LAST_PUSH_BATCH
    return min(waiting, limit)


# The unsent changes above a seq, in seq order (bound: ``after`` and ``limit``): rows, not ORM instances (a batch is
# read once and sent), read through the connection (the session's ORM loading of plain rows was a third of it).
_UNSENT = select(OutboxEntry.seq, OutboxEntry.mutation_id, OutboxEntry.name, OutboxEntry.version,
                 OutboxEntry.entity_type, OutboxEntry.entity_id, OutboxEntry.base_version, OutboxEntry.user_id,
                 OutboxEntry.created_at, OutboxEntry.args_json, OutboxEntry.payload_hash).where(
    OutboxEntry.acked_at.is_(None), OutboxEntry.seq > bindparam("after")).order_by(OutboxEntry.seq).limit(
    bindparam("limit"))


def next_batch(session: Session, after: int, limit: int) -> list[Mutation]:
    """The next batch of unacknowledged changes above seq ``after``, in seq order, as wire objects: at most
    ``limit`` of them, as :func:`batch_size` cuts them."""
    entries = list(session.connection().execute(_UNSENT, {"after": after, "limit": limit + LAST_PUSH_BATCH}))
    return [Mutation(
        seq=e.seq, mutation_id=e.mutation_id, name=e.name, version=e.version, entity_type=e.entity_type,
        entity_id=e.entity_id, base_version=e.base_version, user_id=e.user_id, client_time=e.created_at,
        args=json.loads(e.args_json), payload_hash=e.payload_hash)
        for e in entries[:batch_size(len(entries), limit)]]


__all__ = ["FIRST_PUSH_BATCH", "LAST_PUSH_BATCH", "batch_size", "next_batch"]
