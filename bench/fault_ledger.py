"""What one fault schedule knows beyond the stores: the :class:`Ledger` of every complaint, timeline entry and
attachment any PC ever held or created (and every national complaint), what the server refused (read from the
outboxes' answers), and what a restore left on no PC and not on the server (the only losses that are no fault of
sync). :class:`Holdings` is what one place holds, by id."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import select

from app.models import Attachment, Complaint, OutboxEntry, TimelineEvent
from app.store.blobfiles import stored_blobs
from server import models as srv
from sync.apply_pull import KEPT_WHEN_ALREADY_THERE
from tests.sync.fleet import PC
from tests.sync.serverproc import ServerProcess


@dataclass
class Holdings:
    """Ids of what one place holds: complaints, timeline entries (-> complaint), attachments (-> complaint, sha)
    and the whole files in its attachment folder."""

    complaints: set[str] = field(default_factory=set)
    events: dict[str, tuple[str, str]] = field(default_factory=dict)  # id -> (complaint id, kind)
    attachments: dict[str, tuple[str, str]] = field(default_factory=dict)  # id -> (complaint id, sha256)
    blobs: set[str] = field(default_factory=set)

    def add(self, other: Holdings) -> None:
        self.complaints |= other.complaints
        self.events.update(other.events)
        self.attachments.update(other.attachments)
        self.blobs |= other.blobs


def pc_holdings(pc: PC) -> Holdings:
    with pc.store.read() as s:
        return Holdings(set(s.execute(select(Complaint.id)).scalars()),
                        {e: (c, k) for e, c, k in s.execute(select(TimelineEvent.id, TimelineEvent.complaint_id,
                                                                        TimelineEvent.kind))},
                        {a: (c, h) for a, c, h in s.execute(select(Attachment.id, Attachment.complaint_id,
                                                                   Attachment.sha256))},
                        stored_blobs(pc.paths.attachments))


def server_holdings(server: ServerProcess) -> Holdings:
    with server.db.transaction() as s:
        held = Holdings(set(s.execute(select(srv.Complaint.id)).scalars()),
                        {e: (c, k) for e, c, k in s.execute(select(srv.TimelineEvent.id, srv.TimelineEvent.complaint_id,
                                                                        srv.TimelineEvent.kind))},
                        {a: (c, h) for a, c, h in s.execute(select(srv.Attachment.id, srv.Attachment.complaint_id,
                                                                   srv.Attachment.sha256))})
        complete = set(s.execute(select(srv.Blob.sha256).where(srv.Blob.complete.is_(True))).scalars())
    held.blobs = {sha for sha in complete if (server.blob_dir / sha[:2] / sha).is_file()}
    return held


def unkept_ids(entry: OutboxEntry) -> set[str]:
    """The ids a pushed change carried that the server did not keep, by its answer (the same reading as
    sync.apply_pull.drop_unkept, plus a refused intake's complaint)."""
    if entry.result_json is None:
        return set()
    args, result = json.loads(entry.args_json), json.loads(entry.result_json)
    children = [args.get("event") or {}, args.get("attachment") or {}, *(args.get("events") or []),
                *(args.get("attachments") or [])]
    ids = {c.get("id") for c in children} - {None}
    if entry.result_status == "rejected":
        return ids | ({entry.entity_id} if entry.name == "complaint.intake" else set())
    if result.get("kept") is not None:
        return ids - set(result["kept"])
    if entry.result_status == "merged" and result.get("code") == "already_there" \
            and (args.get("event") or {}).get("kind") not in KEPT_WHEN_ALREADY_THERE:
        return {args["event"]["id"]} - {None}
    return set()


@dataclass
class Ledger:
    """Everything any PC ever held or created (and the national complaints), what the server refused, and what a
    restore left with no copy anywhere (the only legitimate losses besides refusals and re-routes)."""

    complaints: dict[str, str] = field(default_factory=dict)  # id -> where it was first seen
    events: dict[str, tuple[str, str]] = field(default_factory=dict)  # id -> (complaint id, kind)
    attachments: dict[str, tuple[str, str]] = field(default_factory=dict)  # id -> (complaint id, sha256)
    refused: dict[str, str] = field(default_factory=dict)  # id -> the server's code
    transition_rejected: set[str] = field(default_factory=set)  # event ids refused as transition_rejected
    written_off: dict[str, str] = field(default_factory=dict)  # id -> the restore that left no copy
    written_off_blobs: dict[str, str] = field(default_factory=dict)  # sha256 -> the restore
    results: Counter[str] = field(default_factory=Counter)  # "seq:mutation_id" results seen, by status/code

    def take(self, held: Holdings, who: str) -> None:
        for cid in held.complaints:
            self.complaints.setdefault(cid, who)
        self.events.update(held.events)
        self.attachments.update(held.attachments)

    def observe(self, pc: PC) -> None:
        self.take(pc_holdings(pc), pc.name)
        for entry in pc.outbox():
            if entry.result_json is None:
                continue
            code = json.loads(entry.result_json).get("code") or ""
            for unkept in unkept_ids(entry):
                self.refused.setdefault(unkept, f"{entry.result_status}:{code}" if code else entry.result_status)
                if code == "transition_rejected":
                    self.transition_rejected.add(unkept)

    def write_off(self, survivors: Holdings, why: str) -> list[str]:
        """After a restore: whatever no PC and not the server holds any more is gone for good (no fault of sync)."""
        gone = []
        for ids, kind in ((self.complaints, "complaint"), (self.events, "event"), (self.attachments, "attachment")):
            held = survivors.complaints if kind == "complaint" else (
                survivors.events if kind == "event" else survivors.attachments)
            for item in ids:
                if item not in held and item not in self.written_off:
                    self.written_off[item] = why
                    gone.append(f"{kind} {item}")
        for _aid, (_cid, sha) in self.attachments.items():
            if sha not in survivors.blobs and sha not in self.written_off_blobs:
                self.written_off_blobs[sha] = why
                gone.append(f"file {sha[:12]}")
        return gone
