"""Bad networks: each fault of the proxy during push and during pull, once (the sync rides over it) and then for
longer than the transport's retries (the sync fails, a later clean one catches up). After the clean sync nothing
is lost or duplicated: the PCs' copies of the office equal the server's."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, select

from app.models import OutboxEntry
from server import models as srv
from sync import engine as engine_module
from sync.engine import Cancelled
from sync.protocol import BLOB_CHUNK
from sync.transport import ServerUnreachable, SyncError
from tests.sync.checks import assert_no_duplicates, assert_outbox_settled
from tests.sync.faultproxy import FaultProxy
from tests.sync.fleet import PC, Fleet

PUSH = "/api/v1/sync/push"
PULL = "/api/v1/sync/pull"
# Faults that make the request fail when they last longer than the retries; the others deliver it anyway.
FAILING = {"drop_before", "drop_after", "cut", "status503"}


@pytest.fixture(autouse=True)
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    """Several push batches and pull pages per sync, so a fault lands in the middle of the exchange."""
    monkeypatch.setattr(engine_module, "PUSH_BATCH", 3)
    monkeypatch.setattr(engine_module, "PULL_LIMIT", 4)


def local_work(pc: PC, n: int) -> list[str]:
    """A few complaints, each disposed, with a note: 3 mutations each."""
    made = []
    for i in range(n):
        cid = pc.intake(n * 100 + i)
        pc.dispose(cid)
        pc.note(cid, f"Catatan lapangan {i}")
        made.append(cid)
    return made


def fail_then_recover(pc: PC, proxy: FaultProxy, path: str, fault: str) -> None:
    """The fault on the next requests to ``path`` for longer than the retries, then a clean sync. (Pushes: the
    retries of every batch in flight.)"""
    attempts = pc.engine.transport.settings.retries + 1
    proxy.inject("POST", path, fault, times=attempts * (engine_module.PUSHES_IN_FLIGHT if path == PUSH else 1),
                 retry_after=1)
    if fault in FAILING:
        with pytest.raises(ServerUnreachable):
            pc.sync()
    else:
        pc.sync()
    proxy.clear()
    pc.sync()


@pytest.mark.parametrize("fault", ["drop_before", "drop_after", "cut", "status503", "twice", "twice_parallel"])
def test_fault_during_push_and_pull(fleet: Fleet, proxy: FaultProxy, fault: str) -> None:
    office = fleet.office()
    pc = fleet.pc(office)

    # Push: the fault hits the second batch once; the transport rides over it within the same sync.
    local_work(pc, 3)
    proxy.inject("POST", PUSH, fault, skip=1)
    report = pc.sync()
    assert report.pushed == 9 and not report.rejected
    assert any(e.fault == fault for e in proxy.exchanges(PUSH))
    if fault == "status503":
        assert max(pc.sleeps) >= 2  # the proxy's Retry-After: 2 was honoured

    # Pull: what reached the office meanwhile (online complaints routed to it); the fault hits the second page.
    office.online_complaints(6, start=10)
    proxy.inject("POST", PULL, fault, skip=1)
    report = pc.sync()
    assert report.pulled_complaints >= 6
    assert any(e.fault == fault for e in proxy.exchanges(PULL))
    pc.assert_converged()

    # Longer than the retries: the sync fails, and a later one catches up.
    local_work(pc, 2)
    fail_then_recover(pc, proxy, PUSH, fault)
    office.online_complaints(4, start=20)
    fail_then_recover(pc, proxy, PULL, fault)

    assert_outbox_settled(pc)
    pc.assert_converged()
    assert_no_duplicates(fleet.server.db, office.id)


@pytest.mark.parametrize("server", ["sqlite"], indirect=True)
def test_failed_sync_is_reported_and_keeps_everything(fleet: Fleet, proxy: FaultProxy) -> None:
    """A sync that cannot reach the server records why, keeps every change pending, and the next one sends them."""
    office = fleet.office()
    pc = fleet.pc(office)
    local_work(pc, 2)
    proxy.inject("*", "/", "drop_before", times=100)
    with pytest.raises(SyncError):
        pc.sync()
    assert pc.pending() == 6
    from sync.state import read_status

    with pc.store.read() as s:
        status = read_status(s)
    assert status.last_error and status.pending == 6
    proxy.clear()
    pc.sync()
    with pc.store.read() as s:
        status = read_status(s)
    assert status.pending == 0 and not status.last_error
    pc.assert_converged()


def test_faults_during_file_transfer(fleet: Fleet, proxy: FaultProxy, tmp_path: Path) -> None:
    """Each fault on an upload chunk and on a download: the upload resumes at the server's offset, the download is
    tried again, and the bytes on the server and on the other PC are the file's."""
    office = fleet.office()
    a, b = fleet.pc(office), fleet.pc(office)
    cid = a.intake(1)
    for fault in ("drop_before", "drop_after", "cut", "status503", "twice", "twice_parallel"):
        photo = tmp_path / f"foto-{fault}.jpg"
        photo.write_bytes(os.urandom(BLOB_CHUNK + 5000))
        sha = hashlib.sha256(photo.read_bytes()).hexdigest()
        a.attach(cid, photo)
        proxy.inject("PUT", "/api/v1/blobs/", fault, skip=1)
        assert a.sync().uploaded == 1
        proxy.inject("GET", "/api/v1/blobs/", fault)
        assert b.sync().downloaded == 1, fault
        assert (fleet.server.blob_dir / sha[:2] / sha).read_bytes() == photo.read_bytes()
        assert (b.paths.attachments / sha[:2] / sha).read_bytes() == photo.read_bytes()
        assert {e.fault for e in proxy.exchanges("/api/v1/blobs/")} >= {fault}
        proxy.reset_log()
    for pc in (a, b):
        pc.assert_converged()


@pytest.mark.parametrize("server", ["sqlite"], indirect=True)
def test_cancel_mid_upload_resumes_and_others_wait_for_the_bytes(fleet: Fleet, tmp_path: Path) -> None:
    """A sync cancelled in the middle of a file leaves it marked not uploaded; meanwhile another PC gets the
    attachment's metadata and syncs without error (the bytes come later); the next sync resumes the upload."""
    office = fleet.office()
    a, b = fleet.pc(office), fleet.pc(office)
    cid = a.intake(1)
    photo = tmp_path / "foto-besar.jpg"
    photo.write_bytes(os.urandom(3 * BLOB_CHUNK))
    sha = hashlib.sha256(photo.read_bytes()).hexdigest()
    a.attach(cid, photo)

    real = a.engine.transport.request

    def cancel_after_first_chunk(method: str, path: str, **kwargs: Any) -> Any:
        response = real(method, path, **kwargs)
        if method == "PUT":
            a.engine.cancel.set()
        return response

    a.engine.transport.request = cancel_after_first_chunk  # type: ignore[method-assign]
    with pytest.raises(Cancelled):
        a.sync()
    a.engine.transport.request = real  # type: ignore[method-assign]
    a.engine.cancel.clear()
    assert a.pending() == 0  # the changes went; only the file's bytes are behind

    report = b.sync()  # the metadata is there, the bytes not yet: no error, nothing downloaded
    assert cid in report.new_complaint_ids and report.downloaded == 0

    assert a.sync().uploaded == 1
    assert b.sync().downloaded == 1
    assert (b.paths.attachments / sha[:2] / sha).read_bytes() == photo.read_bytes()


@pytest.mark.parametrize("server", ["sqlite"], indirect=True)
def test_a_server_missing_changes_the_pc_no_longer_keeps_does_not_stop_its_queue(fleet: Fleet) -> None:
    """The server lost changes this PC acknowledged and purged long ago (kept 30 days). It used to stop every sync
    with a message for IT, and the PC's new work never left; now the queue goes on from the server's position (what
    the PC still holds of the lost changes goes back with the give-back after a restore: test_restore_detected)."""
    office = fleet.office()
    pc = fleet.pc(office)
    cid = pc.intake(1)
    pc.dispose(cid)
    pc.note(cid, "Catatan pertama")
    pc.sync()
    with pc.store.transaction() as s:  # the 30-day purge of acknowledged changes
        s.execute(delete(OutboxEntry))
    with fleet.server.db.transaction() as s:  # a restored server that only knows the first change
        device = s.execute(select(srv.Device).where(srv.Device.office_id == office.id)).scalar_one()
        device.last_seq = 1
        s.execute(delete(srv.MutationRecord).where(srv.MutationRecord.client_id == device.client_id,
                                                   srv.MutationRecord.seq > 1))
    pc.note(cid, "Catatan kedua")
    pc.sync_until_quiet()
    assert pc.pending() == 0
    with fleet.server.db.transaction() as s:
        texts = set(s.execute(select(srv.TimelineEvent.text).where(srv.TimelineEvent.complaint_id == cid))
                    .scalars())
        device = s.execute(select(srv.Device).where(srv.Device.office_id == office.id)).scalar_one()
        assert device.last_seq == 2  # the new note went as the next seq the server expected
    assert "Catatan kedua" in texts
    pc.assert_converged()
