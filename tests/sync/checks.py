"""Checks shared by the sync tests: nothing duplicated on the server, every local change settled, a sound store."""

from __future__ import annotations

import json
from collections import Counter

from sqlalchemy import select, text

from app.domain import EventKind
from app.store.db import Store
from server import models as srv
from server.db import Database
from tests.sync.fleet import PC, outbox_of


def assert_no_duplicates(db: Database, office_id: str) -> None:
    """One RECEIVED event per complaint, no timeline entry stored twice under two ids, and every mutation a device
    sent recorded once, in a gap-free sequence."""
    with db.transaction() as s:
        ids = set(s.execute(select(srv.Complaint.id).where(srv.Complaint.office_id == office_id)).scalars())
        events = [e for e in s.execute(select(srv.TimelineEvent)).scalars() if e.complaint_id in ids]
        devices = list(s.execute(select(srv.Device).where(srv.Device.office_id == office_id)).scalars())
        for device in devices:
            seqs = sorted(s.execute(select(srv.MutationRecord.seq)
                                    .where(srv.MutationRecord.client_id == device.client_id)).scalars())
            assert seqs == list(range(1, len(seqs) + 1)), f"device {device.name}: seqs not gap-free {seqs[:20]}"
            assert device.last_seq == len(seqs)
    received = Counter(e.complaint_id for e in events if e.kind == EventKind.RECEIVED)
    assert all(received[cid] == 1 for cid in ids), {cid: received[cid] for cid in ids if received[cid] != 1}
    same = Counter((e.complaint_id, e.kind, e.at, e.text, e.from_status, e.to_status) for e in events
                   if e.kind not in (EventKind.CONFLICT_MERGED, EventKind.TRANSITION_REJECTED, EventKind.ROUTED))
    doubled = [k for k, n in same.items() if n > 1]
    assert not doubled, f"timeline entries stored twice: {doubled[:5]}"


def assert_outbox_settled(pc: PC | Store, allowed: tuple[str, ...] = ("applied", "merged"), *,
                          since_restore: bool = False) -> None:
    """Every captured change has the server's answer, and the answers are ones the test expects. A PC restored from
    an older copy (``since_restore``) lacks the seqs it had sent after the copy was made: its seqs only rise."""
    entries = pc.outbox() if isinstance(pc, PC) else outbox_of(pc)
    name = pc.name if isinstance(pc, PC) else str(pc.path)
    pending = [e.seq for e in entries if e.acked_at is None]
    assert not pending, f"{name}: still pending {pending[:10]}"
    odd = [(e.seq, e.name, e.result_status, json.loads(e.result_json or "{}").get("code")) for e in entries
           if e.result_status not in allowed]
    assert not odd, f"{name}: unexpected results {odd[:10]}"
    seqs = [e.seq for e in entries]
    assert seqs == sorted(set(seqs)) if since_restore else seqs == list(range(1, len(entries) + 1))


def assert_store_sound(store: Store) -> None:
    """SQLite's own integrity and foreign-key checks pass."""
    with store.engine.connect() as conn:
        assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        assert conn.execute(text("PRAGMA foreign_key_check")).fetchall() == []
