"""What one fault schedule must show once every PC has synced in a quiet period: nothing lost, nothing stored twice,
every PC's office digest equal to the server's, no other office's row or file on any PC, no refusal a correct PC
should not meet, no traceback. Each check returns what it found (empty = clean), in words a person can follow."""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select, text

from app.domain import EventKind, Status
from app.models import Attachment, Complaint, ConflictItem, Reporter, TimelineEvent, Unit, User
from app.store.blobfiles import PARTIAL_PREFIX, stored_blobs
from bench.fault_ledger import Holdings, pc_holdings, server_holdings
from bench.fault_world import World
from server import models as srv
from tests.sync.checks import assert_no_duplicates, assert_outbox_settled
from tests.sync.fleet import PC

# Refusals a correct PC meets: a status change another PC or the national side overtook (kept on the timeline as a
# TRANSITION_REJECTED entry), a change to a complaint that had left the office, a step already taken, and a
# give-back of a complaint that had left the office while a restore hid it (the PC removes its copy: "gone").
EXPECTED_REFUSALS = {"rejected:transition_rejected", "rejected:not_found", "merged:already_there", "rejected:gone",
                     "rejected:edit_after_close"}  # an edit that reached the server after another PC closed it
OPEN = {Status.BELUM_TERVERIFIKASI, Status.DIDISPOSISIKAN, Status.DITINDAKLANJUTI, Status.DITUNDA}
CHECKS = ("lost", "duplicated", "digests", "cross_office_rows", "cross_office_files", "stray_files", "refusals",
          "outbox", "anomalies")
SERVER_MADE = {EventKind.TRANSITION_REJECTED, EventKind.CONFLICT_MERGED, EventKind.ROUTED}


@dataclass
class ServerView:
    complaints: dict[str, tuple[str | None, str | None, str, str]]  # id -> (office, reporter, tracking, status)
    held: Holdings
    office_blobs: set[tuple[str, str]]  # (office, sha) the office may read
    rejected_originals: set[str]  # ids of refused steps whose text the server kept
    good_files: set[str]  # sha256 whose stored bytes hash to their name

    def office_of(self, complaint_id: str) -> str | None:
        found = self.complaints.get(complaint_id)
        return found[0] if found else None


def server_view(world: World) -> ServerView:
    server = world.server
    with server.db.transaction() as s:
        complaints = {c: (o, r, t, st) for c, o, r, t, st in s.execute(select(
            srv.Complaint.id, srv.Complaint.office_id, srv.Complaint.reporter_id, srv.Complaint.tracking_code,
            srv.Complaint.status))}
        office_blobs = {(o, h) for o, h in s.execute(select(srv.OfficeBlob.office_id, srv.OfficeBlob.sha256)
                                                    .where(srv.OfficeBlob.complete.is_(True)))}
        originals = set()
        for data in s.execute(select(srv.TimelineEvent.data_json).where(
                srv.TimelineEvent.kind == EventKind.TRANSITION_REJECTED)).scalars():
            originals.add(json.loads(data or "{}").get("original_event_id"))
    held = server_holdings(server)
    good = {sha for sha in held.blobs
            if hashlib.sha256((server.blob_dir / sha[:2] / sha).read_bytes()).hexdigest() == sha}
    return ServerView(complaints, held, office_blobs, originals, good)


@dataclass
class Findings:
    """Per check, what it found; a check with nothing found is clean."""

    checks: dict[str, list[str]] = field(default_factory=dict)
    facts: dict[str, Any] = field(default_factory=dict)

    def add(self, check: str, line: str) -> None:
        self.checks.setdefault(check, []).append(line)

    @property
    def clean(self) -> bool:
        return not any(self.checks.values())

    def as_json(self, limit: int = 25) -> dict[str, Any]:
        return {"clean": self.clean,
                "checks": {k: {"ok": not v, "found": len(v), "first": v[:limit]} for k, v in self.checks.items()},
                "facts": self.facts}


def check(world: World) -> Findings:
    f = Findings({name: [] for name in CHECKS})
    view = server_view(world)
    held = {pc.name: pc_holdings(pc) for pc in world.pcs}
    _lost(world, view, held, f)
    _duplicated(world, view, f)
    _digests(world, f)
    for pc in world.pcs:
        _cross_office(pc, world.offices, view, world.ledger.attachments, world.ledger.written_off, f)
    _refusals(world, f)
    for pc in world.pcs:
        try:
            assert_outbox_settled(pc, ("applied", "merged", "conflict", "rejected"),
                                  since_restore=pc.name in world.restored_pcs)
        except AssertionError as exc:
            f.add("outbox", f"{pc.name}: {exc}")
    _daily_sweep(world, f)
    for a in world.anomalies:
        f.add("anomalies", f"{a['kind']} (step {a['step']}): {a['detail']}")
    log = world.server.log_path.read_text(errors="replace") if world.server.log_path.exists() else ""
    if "Traceback" in log:
        f.add("anomalies", "server log has a traceback:\n" + log[log.index("Traceback"):][:3000])
    ledger = world.ledger
    f.facts.update(
        complaints=len(view.complaints), events=len(view.held.events), attachments=len(view.held.attachments),
        ever_held={"complaints": len(ledger.complaints), "events": len(ledger.events),
                   "attachments": len(ledger.attachments)},
        refused=dict(Counter(ledger.refused.values())), written_off=dict(Counter(ledger.written_off.values())),
        written_off_files=len(ledger.written_off_blobs),
        routed_events=sum(1 for _cid, kind in view.held.events.values() if kind == EventKind.ROUTED),
        conflicts_open={pc.name: sum(1 for c in pc.conflicts() if c.resolved_at is None) for pc in world.pcs},
        partial_files={pc.name: len(list(pc.paths.attachments.glob(f"**/{PARTIAL_PREFIX}*"))) for pc in world.pcs},
    )
    return f


def _pcs_of(world: World, office_id: str | None) -> list[PC]:
    return [pc for pc in world.pcs if pc.office.id == office_id]


def _lost(world: World, view: ServerView, held: dict[str, Holdings], f: Findings) -> None:
    """Every complaint, timeline entry and attachment ever held or created is on the server and on every PC of the
    office it belongs to now, unless the server refused it or a restore left it nowhere."""
    ledger = world.ledger
    gone = ledger.refused.keys() | ledger.written_off.keys()
    for cid, first in sorted(ledger.complaints.items()):
        if cid in gone:
            continue
        if cid not in view.complaints:
            f.add("lost", f"complaint {cid} (first on {first}) is not on the server")
            continue
        for pc in _pcs_of(world, view.office_of(cid)):
            if cid not in held[pc.name].complaints:
                f.add("lost", f"complaint {cid} (first on {first}) is missing on {pc.name}")
    lost_complaints = {cid for cid in ledger.complaints if cid not in gone and cid not in view.complaints}
    for eid, (cid, kind) in sorted(ledger.events.items()):
        if eid in gone or cid in ledger.written_off or cid in lost_complaints:  # (the complaint is reported)
            continue
        if eid not in view.held.events:
            if cid in ledger.refused:
                continue  # a refused intake's RECEIVED entry
            if kind == EventKind.ROUTED:
                continue  # the national admin's routing, which a server restore undid (it is routed again)
            f.add("lost", f"{kind} event {eid} of complaint {cid} is not on the server")
            continue
        for pc in _pcs_of(world, view.office_of(view.held.events[eid][0])):
            if eid not in held[pc.name].events:
                f.add("lost", f"{kind} event {eid} of complaint {cid} is missing on {pc.name}")
    for eid in sorted(ledger.transition_rejected):
        if eid not in view.rejected_originals and eid not in view.held.events:
            f.add("lost", f"refused step {eid}: no TRANSITION_REJECTED entry keeps it on the server")
    for aid, (cid, sha) in sorted(ledger.attachments.items()):
        if aid in gone or cid in ledger.written_off or cid in lost_complaints:
            continue
        if aid not in view.held.attachments:
            f.add("lost", f"attachment {aid} of complaint {cid} is not on the server")
            continue
        office = view.office_of(view.held.attachments[aid][0])
        if sha not in ledger.written_off_blobs:
            if sha not in view.good_files:
                f.add("lost", f"file {sha[:16]} of attachment {aid} is not (whole) on the server")
            elif (office, sha) not in view.office_blobs:
                f.add("lost", f"file {sha[:16]} of attachment {aid}: its office may not read it on the server")
        for pc in _pcs_of(world, office):
            if aid not in held[pc.name].attachments:
                f.add("lost", f"attachment {aid} of complaint {cid} is missing on {pc.name}")
    # Files: each PC holds whole the files of its open complaints the server can give it.
    for pc in world.pcs:
        with pc.store.read() as s:
            rows = list(s.execute(select(Attachment.id, Attachment.sha256, Attachment.blob_present, Complaint.status)
                                  .join(Complaint, Complaint.id == Attachment.complaint_id)))
        files = held[pc.name].blobs
        for aid, sha, present, status in rows:
            if present and sha not in files:
                f.add("lost", f"{pc.name}: attachment {aid} says its file is here, but {sha[:16]} is not")
            elif not present and status in OPEN and sha in view.good_files \
                    and (pc.office.id, sha) in view.office_blobs:
                f.add("lost", f"{pc.name}: file {sha[:16]} of open complaint's attachment {aid} never downloaded")


def _content(kind: str, at: Any, text_: str | None, from_s: str | None, to_s: str | None,
             data: str | None) -> tuple[Any, ...]:
    """What makes a timeline entry the same entry, whatever its id. Beyond the fields assert_no_duplicates compares,
    its data (less the PC's own time the server notes): a PC with a slow clock has several of its entries dated
    at the same instant by the server, and two attachments added then are not one."""
    extra = json.loads(data) if data else {}
    if isinstance(extra, dict):
        extra.pop("recorded_on_pc", None)
    return kind, at, text_, from_s, to_s, json.dumps(extra, sort_keys=True)


def _duplicated(world: World, view: ServerView, f: Findings) -> None:
    same_time = 0
    for office in world.offices:
        try:
            assert_no_duplicates(world.server.db, office.id)
        except AssertionError as exc:
            if not str(exc).startswith("timeline entries stored twice"):
                f.add("duplicated", f"server, office {office.name}: {exc}")
                continue
            with world.server.db.transaction() as s:  # the same entries compared with their data
                rows = list(s.execute(select(
                    srv.TimelineEvent.complaint_id, srv.TimelineEvent.kind, srv.TimelineEvent.at,
                    srv.TimelineEvent.text, srv.TimelineEvent.from_status, srv.TimelineEvent.to_status,
                    srv.TimelineEvent.data_json).join(srv.Complaint, srv.Complaint.id == srv.TimelineEvent.complaint_id)
                    .where(srv.Complaint.office_id == office.id)))
            counted = Counter((r[0], *_content(*r[1:])) for r in rows if r[1] not in SERVER_MADE)
            doubled = [k for k, n in counted.items() if n > 1]
            for key in doubled:
                f.add("duplicated", f"server, office {office.name}: timeline entry stored twice: {key[:3]} "
                      f"{key[3]!r} {key[6]}")
            same_time += not doubled
    f.facts["offices whose distinct entries share a time (server-dated)"] = same_time
    codes: dict[str, set[str]] = defaultdict(set)
    for cid, (_office, _reporter, code, _status) in view.complaints.items():
        codes[code].add(cid)
    for pc in world.pcs:
        with pc.store.read() as s:
            for cid, code in s.execute(select(Complaint.id, Complaint.tracking_code)):
                codes[code].add(cid)
            events = list(s.execute(select(TimelineEvent.complaint_id, TimelineEvent.kind, TimelineEvent.at,
                                           TimelineEvent.text, TimelineEvent.from_status, TimelineEvent.to_status,
                                           TimelineEvent.data_json)))
        received = Counter(e[0] for e in events if e[1] == EventKind.RECEIVED)
        for cid, n in received.items():
            if n != 1:
                f.add("duplicated", f"{pc.name}: complaint {cid} has {n} RECEIVED entries")
        same = Counter((e[0], *_content(*e[1:])) for e in events if e[1] not in SERVER_MADE)
        for key, n in same.items():
            if n > 1:
                f.add("duplicated", f"{pc.name}: timeline entry stored {n} times: {key[:3]} {key[3]!r}")
    for code, ids in codes.items():
        if len(ids) > 1:
            f.add("duplicated", f"tracking code {code} names {len(ids)} complaints: {sorted(ids)}")


def _digests(world: World, f: Findings) -> None:
    for office in world.offices:
        theirs = office.digest()
        for pc in _pcs_of(world, office.id):
            mine = pc.digest()
            if mine != theirs:
                f.add("digests", f"{pc.name} differs from the server (left = PC, right = server):\n  "
                      + "\n  ".join(mine.diff(theirs)))


def _cross_office(pc: PC, offices: list[Any], view: ServerView, world_attachments: dict[str, tuple[str, str]],
                  gone: dict[str, str], f: Findings) -> None:
    """No row of another office on this PC: complaints, reporters, timeline entries, attachments, accounts, units,
    review items, search text; and no file of another office in its attachment folder."""
    own = pc.office.id
    name = {o.id: f"office {'AB'[i]}" for i, o in enumerate(offices)}
    ours = {cid for cid, (office, *_r) in view.complaints.items() if office == own}
    our_reporters = {r for cid, (office, r, *_x) in view.complaints.items() if office == own and r}
    with pc.store.read() as s:
        for cid, office in s.execute(select(Complaint.id, Complaint.office_id)):
            if office != own or cid not in ours:
                f.add("cross_office_rows", f"{pc.name}: complaint {cid} (PC says {name.get(office, office)}, "
                      f"server says {name.get(view.office_of(cid) or '', 'none')})")
        for rid in s.execute(select(Reporter.id)).scalars():
            if rid not in our_reporters:
                others = [cid for cid, (_o, r, *_x) in view.complaints.items() if r == rid]
                f.add("cross_office_rows", f"{pc.name}: reporter {rid} (of complaints {others} on the server, "
                      f"{sorted({name.get(view.office_of(c) or '', 'none') for c in others})}) is not this office's")
        for eid, cid in s.execute(select(TimelineEvent.id, TimelineEvent.complaint_id)):
            if cid not in ours:
                f.add("cross_office_rows", f"{pc.name}: timeline entry {eid} of complaint {cid} of another office")
        for aid, cid in s.execute(select(Attachment.id, Attachment.complaint_id)):
            if cid not in ours:
                f.add("cross_office_rows", f"{pc.name}: attachment {aid} of complaint {cid} of another office")
        for model, what in ((User, "account"), (Unit, "unit")):
            for rid, office in s.execute(select(model.id, model.office_id)):
                if office != own:
                    f.add("cross_office_rows", f"{pc.name}: {what} {rid} of {name.get(office, office)}")
        for item, cid in s.execute(select(ConflictItem.id, ConflictItem.complaint_id)):
            if cid not in ours:
                f.add("cross_office_rows", f"{pc.name}: review item {item} of complaint {cid} of another office")
        orphans = s.execute(text("SELECT count(*) FROM complaint_fts WHERE rowid NOT IN "
                                 "(SELECT docid FROM complaint_search_docs)")).scalar()
        if orphans:
            f.add("cross_office_rows", f"{pc.name}: {orphans} search documents of complaints no longer here")
    our_files = {sha for aid, (cid, sha) in view.held.attachments.items() if cid in ours}
    for sha in sorted(stored_blobs(pc.paths.attachments)):
        path = pc.paths.attachments / sha[:2] / sha
        if sha not in our_files:
            owners = sorted({view.office_of(cid) or "none" for cid, s in view.held.attachments.values() if s == sha})
            if owners:
                f.add("cross_office_files", f"{pc.name}: file {sha[:16]} is no attachment of this office, but of "
                      f"{[name.get(o, o) for o in owners]}")
            else:  # no office's: the bytes of an attachment that exists nowhere any more (a PC restore)
                ours_once = [aid for aid, (_c, s) in world_attachments.items() if s == sha]
                why = ", ".join(sorted({gone.get(a, "not written off") for a in ours_once}))
                f.add("stray_files", f"{pc.name}: file {sha[:16]} is no attachment of any office (it was the file of "
                      f"attachment(s) {ours_once}, {why})")
        elif hashlib.sha256(path.read_bytes()).hexdigest() != sha:
            f.add("lost", f"{pc.name}: file {sha[:16]} holds other bytes than its name says")


def _daily_sweep(world: World, f: Findings) -> None:
    """Files of no attachment at all (a PC restored from an older copy of its database lost their rows) are the
    program's to remove at its daily check of the folder against the rows (SyncEngine._sweep_files, where the
    program has it): a schedule lasts seconds, so the check is run here as the next day's sync would, and only a
    file it leaves counts."""
    # The same bytes may also be an attachment of the other office (a file sent in both): then it was counted as
    # a cross-office file, and the daily check removes it all the same (no row of this PC refers to it).
    for check in ("stray_files", "cross_office_files"):
        strays = f.checks[check]
        f.facts[f"{check} before the daily folder check"] = len(strays)
        if not strays:
            continue
        left = []
        for pc in world.pcs:
            mine = [line for line in strays if line.startswith(f"{pc.name}: ")]
            sweep = getattr(pc.engine, "_sweep_files", None)
            if mine and sweep is not None:
                sweep()
            files = stored_blobs(pc.paths.attachments)
            left += [line for line in mine if line.split("file ", 1)[1][:16] in {sha[:16] for sha in files}]
        f.checks[check] = [f"{line} — still there after the daily folder check" for line in left]


def _refusals(world: World, f: Findings) -> None:
    for pc in world.pcs:
        for entry in pc.outbox():
            if entry.result_json is None:
                continue
            result = json.loads(entry.result_json)
            key = f"{entry.result_status}:{result.get('code') or ''}".rstrip(":")
            if entry.result_status == "rejected" and key not in EXPECTED_REFUSALS:
                f.add("refusals", f"{pc.name} seq {entry.seq} {entry.name} on {entry.entity_id}: {key} — "
                      f"{result.get('message', '')}")
