"""A push answer taken into the PC's store: each outbox entry acknowledged with its result, what the server did not
keep of a refused change dropped, and the complaints the server now holds exactly as this PC does stamped with its
version and time (so the pull need not send them back)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import Table, bindparam, func, select
from sqlalchemy.orm import Session

from app.errors import Message
from app.models import Complaint, OutboxEntry
from app.store.transactions import sql_cursor, sql_datetime
from sync import offer_back
from sync.apply_pull import drop_unkept
from sync.protocol import MutationResult, MutationStatus, PushResponse

if TYPE_CHECKING:
    from sync.engine import SyncReport


# Prebuilt SQL run over all of an answer's rows at once (executemany on the driver, values as the columns store
# them): Core's executemany builds every row's parameters through the compiled statement again, which was a sixth
# of the time the PC took to write an answer of 500 results, and the last answer's is the end of the push.
_ACKNOWLEDGE = ("UPDATE sync_outbox SET acked_at = ?, result_status = ?, result_json = ? "
                "WHERE seq = ? AND acked_at IS NULL")
# Never backwards: a result replayed after the pull already brought something newer changes nothing.
_STAMP = "UPDATE complaints SET server_version = ?, updated_at = ? WHERE id = ? AND server_version <= ?"
_STAMP_VERSION = "UPDATE complaints SET server_version = ? WHERE id = ? AND server_version <= ?"
_VERSION_AFTER_OWN = "UPDATE complaints SET server_version = ? WHERE id = ? AND server_version < ?"
_OUTBOX = cast(Table, OutboxEntry.__table__)
# An answer's outbox rows, with the ids of the timeline entry and attachment each change carries (built once).
_ENTRIES = select(_OUTBOX.c.seq, _OUTBOX.c.name, _OUTBOX.c.entity_type, _OUTBOX.c.entity_id, _OUTBOX.c.args_json,
                  _OUTBOX.c.acked_at, func.json_extract(_OUTBOX.c.args_json, "$.event.id").label("event_id"),
                  func.json_extract(_OUTBOX.c.args_json, "$.attachment.id").label("attachment_id")).where(
    _OUTBOX.c.seq.in_(bindparam("seqs", expanding=True)))
_SEEN = select(Complaint.id, Complaint.server_version).where(Complaint.id.in_(bindparam("ids", expanding=True)))


def record_results(session: Session, response: PushResponse, report: SyncReport, now: datetime) -> None:
    """Read with one select and written with one ``executemany`` a statement (no ORM instance per outbox row: on a
    push of 500 changes the unit of work's flush was most of the time the PC spent on the answer)."""
    seqs = [r.seq for r in response.results]
    entries = {e.seq: e for e in session.execute(_ENTRIES, {"seqs": seqs})}
    ids = {e.entity_id for e in entries.values() if e.entity_type == "complaint"}
    owing = offer_back.owed(session)
    seen = {cid: version for cid, version in session.execute(_SEEN, {"ids": sorted(ids)})}
    exact: dict[str, tuple[int, datetime | None]] = {}  # complaint -> the server's version and time
    acked: list[tuple[str, str, str, int]] = []
    at = sql_datetime(now)
    taken: set[int] = set()  # (a seq sent twice in one batch is answered twice: its first answer counts)
    for result in response.results:
        entry = entries.get(result.seq)
        if entry is None or entry.acked_at is not None or result.seq in taken:
            continue
        taken.add(result.seq)
        acked.append((at, result.status.value, result.model_dump_json(), result.seq))
        report.pushed += 1
        if result.status == MutationStatus.APPLIED:
            report.applied += 1
        elif result.status == MutationStatus.MERGED:
            report.merged += 1
        elif result.status == MutationStatus.CONFLICT:
            report.conflicts += 1
        else:
            report.rejected.append(result)
        # A refused intake stays here, with its result. After a restore, a change to a complaint the
        # server lost stays too: the complaint goes back whole, this entry with it (sync.offer_back).
        lost_with_restore = owing and result.code == offer_back.LOST
        if entry.name == offer_back.RESTORE and result.code == offer_back.GONE:
            _acknowledge(session, acked)  # first: leaving asks whether changes to the complaint still wait
            offer_back.leave(session, entry.entity_id)  # re-routed while the restore hid it
        if entry.name != "complaint.intake" and not lost_with_restore and not _all_kept(entry, result):
            drop_unkept(session, cast(OutboxEntry, entry), result)  # (reads its args and complaint only)
        if result.exact is not None:
            # The server says whether its complaint is now exactly this PC's copy. If so, the pull will not
            # send it back: take the version and time from here. If not, keep the older version until the
            # pull brings the server's data, so a next edit of a field changed elsewhere is a conflict (in
            # the review queue) and never a silent overwrite.
            if result.exact and result.server_version is not None:
                exact[entry.entity_id] = (result.server_version, result.updated_at)
            continue
        # A server before protocol 2: this PC's own change is part of the version it knows only when the
        # server moved exactly one step from the version whose data the PC holds.
        version = seen.get(entry.entity_id)
        if (result.status == MutationStatus.APPLIED and version is not None
                and result.server_version == version + 1):
            seen[entry.entity_id] = version + 1
    _acknowledge(session, acked)
    _many(session, _VERSION_AFTER_OWN, [(v, cid, v) for cid, v in seen.items() if cid not in exact])
    # One statement for all, one more for results without a time (older servers).
    _many(session, _STAMP, [(v, sql_datetime(when), cid, v) for cid, (v, when) in exact.items() if when is not None])
    _many(session, _STAMP_VERSION, [(v, cid, v) for cid, (v, when) in exact.items() if when is None])


def _all_kept(entry: Any, result: MutationResult) -> bool:  # (entry: a row of _ENTRIES)
    """The server says it holds this change's timeline entry and attachment (their ids read from its arguments by
    SQLite, no parsing here): drop_unkept would find nothing to drop. A restore gives back lists of them:
    drop_unkept looks."""
    if result.kept is None or entry.name == offer_back.RESTORE:
        return False
    return {entry.event_id, entry.attachment_id} - {None} <= set(result.kept)


def _many(session: Session, sql: str, rows: list[tuple[object, ...]]) -> None:
    if rows:
        sql_cursor(session).many(sql, rows)  # (after whatever the ORM holds unwritten, as session.execute would)


def _acknowledge(session: Session, acked: list[tuple[str, str, str, int]]) -> None:
    """Write the answers taken so far into their outbox rows (and forget them: each is written once)."""
    _many(session, _ACKNOWLEDGE, list(acked))
    acked.clear()


def diverged_message() -> Message:
    """Why a sync stopped when the server holds other changes under this PC's seqs (and this PC was not restored)."""
    return Message(
        "Server mencatat urutan perubahan yang berbeda untuk PC ini. Sinkronisasi dihentikan agar tidak ada data "
        "yang tertimpa; hubungi petugas TI (lapor-desk sync --status).",
        "The server holds a different change sequence for this PC. Sync stopped so nothing is overwritten; "
        "contact IT (lapor-desk sync --status).")
