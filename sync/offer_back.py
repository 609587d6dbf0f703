"""Giving back what a restored server lost. After the server was restored from an older backup (a new era, or a
pull told to restart), this PC has sent again every change it kept and downloaded the office again. What it still
holds that the server does not — a national complaint routed after the backup, another PC's intake or note that
PC can no longer send — goes back as ``complaint.restore`` mutations through the outbox, like any change: so every
PC of the office ends with the same complaints and timelines, and nothing held anywhere is lost.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.ids import new_id
from app.models import Attachment, Complaint, OutboxEntry, Reporter, TimelineEvent
from app.services.context import ServiceContext
from app.store import meta
from sync.apply_pull import DEFERRED_EXITS_KEY, parked_code, remove_if_settled
from sync.capture import attachment_wire, complaint_wire, event_wire, next_seq, reporter_wire
from sync.protocol import MAX_MISSING_IDS, MissingResponse, payload_hash
from sync.transport import Transport

log = logging.getLogger(__name__)

OWED = "sync_offer_back"  # store_meta: "1" while this PC owes a restored server what it lost
RESTORE = "complaint.restore"


GONE = "gone"  # a restore's refusal: the complaint is another office's now (server.trust)
LOST = "not_found"  # a change's refusal: its complaint is not on the server (after a restore: lost with it)


def leave(session: Session, complaint_id: str) -> None:
    """The complaint left this office: removed here as with a pulled exit (later, if changes to it still wait)."""
    if not remove_if_settled(session, complaint_id):
        waiting = set(json.loads(meta.get(session, DEFERRED_EXITS_KEY) or "[]"))
        meta.put(session, DEFERRED_EXITS_KEY, json.dumps(sorted(waiting | {complaint_id})))


def mark_owed(session: Session) -> None:
    meta.put(session, OWED, "1")


def owed(session: Session) -> bool:
    return meta.get(session, OWED) == "1"


def _batches(ids: list[str]) -> Iterator[list[str]]:
    for i in range(0, len(ids), MAX_MISSING_IDS):
        yield ids[i:i + MAX_MISSING_IDS]


def _not_to_offer(session: Session) -> tuple[set[str], set[str]]:
    """Complaints and children the outbox still sends, or that the server refused (not to be slipped in again):
    (complaint ids, child ids). A change refused only because its complaint was lost with the restore is kept for
    the give-back (sync.engine), and goes with it."""
    complaints: set[str] = set()
    children: set[str] = set()
    for entry in session.execute(select(OutboxEntry).where(
            (OutboxEntry.acked_at.is_(None)) | (OutboxEntry.result_status == "rejected"))).scalars():
        if entry.acked_at is not None and entry.name != "complaint.intake" and _lost_with_restore(entry):
            continue
        if entry.name == "complaint.intake":
            complaints.add(entry.entity_id)
        args = json.loads(entry.args_json)
        for key in ("event", "attachment"):
            child = args.get(key)
            if isinstance(child, dict) and isinstance(child.get("id"), str):
                children.add(child["id"])
    return complaints, children


def _lost_with_restore(entry: OutboxEntry) -> bool:
    try:
        return json.loads(entry.result_json or "{}").get("code") == LOST
    except (ValueError, AttributeError):
        return False


def _ask(transport: Transport, kind: str, ids: list[str]) -> tuple[set[str], set[str], bool]:
    """Of these ids, the ones the server lacks, the complaints that left the office meanwhile, and whether the
    server takes restores now."""
    missing: set[str] = set()
    gone: set[str] = set()
    accepting = True
    for batch in _batches(ids):
        answer = transport.request_model("POST", "/api/v1/sync/missing", MissingResponse, json_body={kind: batch})
        missing.update(getattr(answer, kind))
        gone.update(answer.gone)
        accepting = accepting and answer.accepting
    return missing, gone, accepting


def offer_back(ctx: ServiceContext, transport: Transport, office_id: str) -> int:
    """Capture a restore mutation for each complaint of the office of which the server lacks anything, and remove
    the complaints that left the office while this PC did not hear of it; returns how many were given back.
    Clears the debt once done (or when the server takes no restore)."""
    with ctx.store.read() as session:
        skip_complaints, skip_children = _not_to_offer(session)
        complaints = [cid for cid in session.execute(select(Complaint.id).where(
            Complaint.office_id == office_id)).scalars() if cid not in skip_complaints]
        owned = set(complaints)
        events = [(eid, cid) for eid, cid in session.execute(select(TimelineEvent.id, TimelineEvent.complaint_id))
                  if cid in owned and eid not in skip_children]
        attachments = [(aid, cid) for aid, cid in session.execute(select(Attachment.id, Attachment.complaint_id))
                       if cid in owned and aid not in skip_children]
    lost_complaints, gone, accepting = _ask(transport, "complaints", complaints)
    lost_events, _, _ = _ask(transport, "events", [e for e, _ in events])
    lost_attachments, _, _ = _ask(transport, "attachments", [a for a, _ in attachments])
    affected = (lost_complaints | {c for e, c in events if e in lost_events}
                | {c for a, c in attachments if a in lost_attachments}) - gone
    with ctx.store.transaction() as session:
        meta.put(session, OWED, "")
        for cid in sorted(gone):  # re-routed while this PC was away: it leaves here as with a pulled exit
            leave(session, cid)
        if not affected:
            return 0
        if not accepting:
            log.warning("the server lacks %d complaints this PC holds but takes no restore now", len(affected))
            return 0
        for cid in sorted(affected):
            _capture(session, cid, lost_events, lost_attachments, whole=cid in lost_complaints, now=ctx.clock())
    log.warning("giving back %d complaints the restored server lacks", len(affected))
    return len(affected)


def _capture(session: Session, complaint_id: str, lost_events: Iterable[str], lost_attachments: Iterable[str], *,
             whole: bool, now: datetime) -> None:
    c = session.get(Complaint, complaint_id)
    assert c is not None
    reporter = session.get(Reporter, c.reporter_id) if c.reporter_id else None
    lost_e, lost_a = set(lost_events), set(lost_attachments)
    events = [event_wire(e) for e in session.execute(select(TimelineEvent).where(
        TimelineEvent.complaint_id == complaint_id).order_by(TimelineEvent.at, TimelineEvent.id)).scalars()
        if whole or e.id in lost_e]
    attachments = [attachment_wire(a) for a in session.execute(select(Attachment).where(
        Attachment.complaint_id == complaint_id).order_by(Attachment.id)).scalars() if whole or a.id in lost_a]
    complaint = complaint_wire(c)
    complaint["tracking_code"] = parked_code(c.tracking_code)  # the code it had, if it was set aside
    args = {"complaint": complaint, "reporter": reporter_wire(reporter) if reporter else None,
            "events": events, "attachments": attachments}
    base = c.server_version
    session.add(OutboxEntry(
        seq=next_seq(session), mutation_id=new_id(), name=RESTORE, version=1, entity_type="complaint",
        entity_id=complaint_id, base_version=base, user_id=None,
        args_json=json.dumps(args, ensure_ascii=False, sort_keys=True),
        payload_hash=payload_hash(RESTORE, 1, "complaint", complaint_id, base, None, args), created_at=now))
