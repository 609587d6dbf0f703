"""A PC restored from an older copy of its own data, found out from what the server holds of it (protocol 4,
``DeviceState``): nothing is asked of IT. The PC continues its outbox and its tracking numbers above anything the
server has seen of it (so no seq and no tracking code is used twice), and downloads its office again, its own
changes included, to get back the work it did after the copy was made.

The server restored from an older backup is the other direction: a pull answer with ``restart`` (the change log
does not hold the PC's position) is handled like a new era by the engine.
"""

from __future__ import annotations

import logging

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app.models import Attachment, OutboxEntry
from app.store import meta
from sync import offer_back, state
from sync.capture import SEQ_KEY
from sync.protocol import DeviceState

log = logging.getLogger(__name__)


def highest_seq(session: Session) -> int:
    """The highest outbox seq this PC has ever handed out (kept in store_meta: old rows are purged)."""
    kept = meta.get(session, SEQ_KEY)
    if kept is not None:
        return int(kept)
    return int(session.execute(select(func.coalesce(func.max(OutboxEntry.seq), 0))).scalar_one())


def catch_up(session: Session, device: DeviceState) -> bool:
    """Take in what the server holds of this PC. True when the server is ahead of the PC's own counters: the PC
    was restored from an older copy. Then its next seq and tracking number move above the server's, the next pull
    downloads the office from the beginning (its own later work included), and after it the complaints its copy
    holds that left the office meanwhile are removed (sync.offer_back)."""
    tracking = int(meta.get(session, meta.TRACKING_SEQ, "0") or 0)
    if device.tracking_high > tracking:
        meta.put(session, meta.TRACKING_SEQ, str(device.tracking_high))
    if device.acked_seq <= highest_seq(session):
        return False
    log.warning("the server holds changes of this PC up to seq %d beyond its own (%d): restored from an older "
                "copy; continuing above and downloading again", device.acked_seq, highest_seq(session))
    meta.put(session, SEQ_KEY, str(device.acked_seq))
    meta.put(session, state.CURSOR, "")
    offer_back.mark_owed(session)  # after the download: complaints its copy holds that left the office go
    return True


def renumber_after(session: Session, diverged_seq: int, acked_seq: int) -> int:
    """The server holds other changes of this PC under the seqs from ``diverged_seq`` on (the PC was restored
    from an older copy and made new changes under seqs it had already used). The unacknowledged changes from there
    on are new to the server: they move, in their order, to the seqs after ``acked_seq``; the next pull downloads
    the office from the beginning. Returns how many moved."""
    moving = list(session.execute(select(OutboxEntry).where(
        OutboxEntry.seq >= diverged_seq, OutboxEntry.acked_at.is_(None)).order_by(OutboxEntry.seq)).scalars())
    if not moving:
        return 0
    # Two steps: away from every seq in use, then to their new places (seq is the primary key).
    offset = max(highest_seq(session), acked_seq) + len(moving) + 1
    for entry in moving:
        session.execute(update(OutboxEntry).where(OutboxEntry.seq == entry.seq).values(seq=entry.seq + offset)
                        .execution_options(synchronize_session=False))
    for i, entry in enumerate(moving, start=1):
        session.execute(update(OutboxEntry).where(OutboxEntry.seq == entry.seq + offset)
                        .values(seq=acked_seq + i).execution_options(synchronize_session=False))
    meta.put(session, SEQ_KEY, str(acked_seq + len(moving)))
    meta.put(session, state.CURSOR, "")  # and its own later work comes back with a download from the beginning
    offer_back.mark_owed(session)
    log.warning("moved %d unsent changes of a restored PC to seqs %d-%d", len(moving), acked_seq + 1,
                acked_seq + len(moving))
    return len(moving)


def note_server(session: Session, era: str, skew: float, *, restart: bool = False) -> bool:
    """Remember the server's clock skew (seconds) and notice a server restored from backup: a new era, or
    (``restart``) a change log that does not hold the position this PC had reached. True when it was restored: every
    kept change goes again, every file is offered again and the office is downloaded again."""
    meta.put(session, state.CLOCK_SKEW, f"{skew:.1f}")
    known = meta.get(session, state.ERA)
    restored = bool(known and known != era) or restart
    if restored:
        log.warning("server restored from a backup: re-pushing kept changes and downloading again")
        session.execute(update(OutboxEntry).values(acked_at=None, result_status=None, result_json=None))
        # The restored server may have lost files uploaded after its backup: offer them again (HEAD first, so a
        # file it still holds is not sent twice).
        session.execute(update(Attachment).where(Attachment.blob_present.is_(True)).values(blob_uploaded=False))
        meta.put(session, state.CURSOR, "")
        offer_back.mark_owed(session)  # once downloaded again: what the server still lacks goes back
    meta.put(session, state.ERA, era)
    return restored
