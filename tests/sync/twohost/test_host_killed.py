"""A host killed (kill -9) in the middle of a PC's push or upload: the PC, with its real store and SyncEngine,
finishes through the other host; the server then holds every complaint, follow-up and attachment exactly once
(read from its database and its object store), the PC's outbox is empty, and after the killed host is started
again both hosts serve further syncs.

The proxy's hooks kill the host at a chosen point of a chosen request (tests/helpers/rr_proxy.py); the kill is
done (the process reaped) before the proxy goes on, so nothing here waits on time."""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import select

from app.domain import EventKind
from server import models as srv
from sync.protocol import BLOB_CHUNK
from tests.helpers.twohost import TwoHosts
from tests.sync.checks import assert_no_duplicates, assert_outbox_settled
from tests.sync.fleet import PC, Fleet, Office

PUSH = "/api/v1/sync/push"
BLOBS = "/api/v1/blobs/"


def a_day(pc: PC, folder: Path, n: int = 3) -> tuple[list[str], dict[str, bytes]]:
    """``n`` complaints, each disposed and followed up, the first two with a photo of two chunks and a bit."""
    cids, files = [], {}
    for i in range(n):
        cid = pc.intake(i)
        pc.dispose(cid)
        if i < 2:
            photo = folder / f"foto-{pc.name}-{i}.jpg"
            photo.write_bytes(os.urandom(2 * BLOB_CHUNK + 1000 * (i + 1)))
            files[pc.attach(cid, photo)] = photo.read_bytes()
        pc.follow_up(cid)
        cids.append(cid)
    return cids, files


def assert_held_once(server: TwoHosts, office: Office, pcs: list[PC], cids: list[str],
                     files: dict[str, bytes]) -> None:
    """The server's database and store hold these complaints, their follow-ups and attachments once each, and
    every PC has nothing left to send and the server's copy of the office."""
    with server.db.transaction() as s:
        held = sorted(s.execute(select(srv.Complaint.id).where(srv.Complaint.office_id == office.id)).scalars())
        rows = s.execute(select(srv.TimelineEvent.complaint_id, srv.TimelineEvent.kind)
                         .where(srv.TimelineEvent.complaint_id.in_(cids))).all()
        events = Counter((cid, kind) for cid, kind in rows)
        attachments = {a.id: (a.sha256, a.size) for a in s.execute(
            select(srv.Attachment).where(srv.Attachment.complaint_id.in_(cids))).scalars()}
        blobs = {b.sha256: b.complete for b in s.execute(select(srv.Blob)).scalars()}
    assert held == sorted(cids)
    for cid in cids:
        assert events[(cid, EventKind.RECEIVED)] == 1 and events[(cid, EventKind.FOLLOW_UP)] == 1, cid
    assert sorted(attachments) == sorted(files)
    for attachment_id, data in files.items():
        sha, size = attachments[attachment_id]
        assert sha == hashlib.sha256(data).hexdigest() and size == len(data)
        assert blobs[sha] is True
        stored = server.stored_bytes(sha)
        assert stored is not None and hashlib.sha256(stored).hexdigest() == sha
    assert_no_duplicates(server.db, office.id)
    for pc in pcs:
        assert pc.pending() == 0
        assert_outbox_settled(pc)
        pc.assert_converged()


def restart_and_sync_again(server: TwoHosts, fleet: Fleet, office: Office, pc: PC, killed: int, cids: list[str],
                           files: dict[str, bytes], folder: Path) -> None:
    """The killed host starts again; more work from the PC and a new PC of the office reach both hosts."""
    server.start_host(killed)
    server.rr.reset_counts()
    more, more_files = a_day(pc, folder, 2)
    pc.sync()
    other = fleet.pc(office)
    other.sync()
    assert server.rr.served[killed] > 0 and server.rr.served[1 - killed] > 0
    assert_held_once(server, office, [pc, other], cids + more, {**files, **more_files})


@pytest.mark.parametrize("point", ["forwarded", "answered"])
def test_a_host_killed_in_the_middle_of_a_push(server: TwoHosts, fleet: Fleet, tmp_path: Path, point: str) -> None:
    """``forwarded``: the push reached the host, which is killed before it answers (it may or may not have
    committed). ``answered``: the host committed and answered, and is killed before the answer leaves it. Either
    way the PC gets 502 and sends the batch again, to the other host."""
    office = fleet.office()
    pc = fleet.pc(office)
    cids, files = a_day(pc, tmp_path)
    hook = server.rr.on("POST", PUSH, point, server.kill)
    report = pc.sync()
    killed = hook.wait()
    assert not server.alive(killed)
    assert report.uploaded == len(files) and not report.rejected
    assert any(hop.status == 502 and hop.path == PUSH for hop in server.rr.log)  # the PC saw the host die
    assert pc.sleeps, "the PC retried after the 502"
    assert_held_once(server, office, [pc], cids, files)
    restart_and_sync_again(server, fleet, office, pc, killed, cids, files, tmp_path)


@pytest.mark.parametrize(("point", "resend"), [("relayed", True), ("half_sent", True), ("half_sent", False),
                                               ("answered", False)])
def test_a_host_killed_in_the_middle_of_an_upload(server: TwoHosts, fleet: Fleet, tmp_path: Path, point: str,
                                                  resend: bool) -> None:
    """``relayed``: killed between two chunks (the first one stored and answered). ``half_sent``: killed while a
    chunk's body arrives; as nginx does by default (``resend``) the proxy sends the chunk to the other host, or
    with resending off the PC gets 502 and sends it again itself. ``answered``: the chunk stored, the host killed
    before its answer left: the PC sends it again and the other host says where the upload stands."""
    office = fleet.office()
    pc = fleet.pc(office)
    cids, files = a_day(pc, tmp_path)
    server.rr.resend_idempotent = resend
    try:
        hook = server.rr.on("PUT", BLOBS, point, server.kill, skip=0 if point == "relayed" else 1)
        report = pc.sync()
    finally:
        server.rr.resend_idempotent = True
    killed = hook.wait()
    assert not server.alive(killed)
    assert report.uploaded == len(files) and not report.rejected
    puts = [hop for hop in server.rr.log if hop.method == "PUT"]
    hit = 0 if point == "relayed" else 1
    assert puts[hit].tried[0] == killed
    assert all(hop.tried[-1] == 1 - killed for hop in puts[hit + 1:]), puts  # the other host took the rest
    if not resend and point == "half_sent" or point == "answered":
        assert [hop.status for hop in puts].count(502) == 1 and pc.sleeps
    assert_held_once(server, office, [pc], cids, files)
    restart_and_sync_again(server, fleet, office, pc, killed, cids, files, tmp_path)
