"""A whole working day offline, then one sync: every change reaches the server exactly once, the attachment's bytes
arrive (the upload resumes after a dropped chunk), nothing stays pending, and a second sync changes nothing."""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.domain import EventKind, Status
from app.models import Unit, User
from app.timeutil import utcnow
from server import admin
from server import models as srv
from sync.protocol import BLOB_CHUNK
from tests.sync.faultproxy import FaultProxy
from tests.sync.fleet import PASSWORD, Fleet


def server_events(fleet: Fleet, complaint_id: str) -> Counter[str]:
    with fleet.server.db.transaction() as s:
        return Counter(s.execute(select(srv.TimelineEvent.kind)
                                 .where(srv.TimelineEvent.complaint_id == complaint_id)).scalars())


def test_offline_day_reaches_server_once(fleet: Fleet, proxy: FaultProxy, tmp_path: Path) -> None:
    office = fleet.office()
    pc = fleet.pc(office)
    photo = tmp_path / "foto-jalan.jpg"
    photo.write_bytes(os.urandom(2 * BLOB_CHUNK + 12345))  # three chunks

    cid = pc.intake(1)
    pc.dispose(cid)
    pc.note(cid, "Tim sudah meninjau lokasi")
    pc.edit(cid, title="Jalan berlubang besar di depan Pasar Sleman")
    attachment = pc.attach(cid, photo)
    pc.follow_up(cid)
    assert pc.pending() == 6

    # The second chunk reaches the server, which stores it, but its reply never reaches the PC.
    proxy.inject("PUT", "/api/v1/blobs/", "drop_after", skip=1)
    report = pc.sync()

    assert report.pushed == 6 and not report.rejected, report
    assert report.uploaded == 1
    assert pc.pending() == 0
    puts = proxy.exchanges("/api/v1/blobs/", "PUT")
    assert [e.fault for e in puts].count("drop_after") == 1  # the fault really happened
    assert len(puts) >= 4  # three chunks, one of them answered only after the resume

    kinds = server_events(fleet, cid)
    assert kinds[EventKind.RECEIVED] == 1
    assert kinds[EventKind.DISPOSED] == 1
    assert kinds[EventKind.NOTE] == 1
    assert kinds[EventKind.ATTACHMENT_ADDED] == 1
    assert kinds[EventKind.FOLLOW_UP] == 1
    with fleet.server.db.transaction() as s:
        c = s.get(srv.Complaint, cid)
        assert c is not None
        assert (c.status, c.title, c.unit_id) == (Status.DITINDAKLANJUTI, "Jalan berlubang besar di depan Pasar Sleman",
                                                  office.unit)
        assert s.execute(select(func.count()).select_from(srv.Complaint)
                         .where(srv.Complaint.office_id == office.id)).scalar_one() == 1
        att = s.get(srv.Attachment, attachment)
        assert att is not None and att.size == photo.stat().st_size
        blob = s.get(srv.Blob, att.sha256)
        assert blob is not None and blob.complete
        seqs = s.execute(select(func.count()).select_from(srv.MutationRecord)).scalar_one()
        assert seqs >= 6
    stored = fleet.server.blob_dir / att.sha256[:2] / att.sha256
    assert hashlib.sha256(stored.read_bytes()).hexdigest() == hashlib.sha256(photo.read_bytes()).hexdigest()
    pc.assert_converged()

    before = pc.digest()
    proxy.reset_log()
    again = pc.sync()
    assert (again.pushed, again.uploaded, again.downloaded, again.pulled_complaints, again.pulled_events) == (
        0, 0, 0, 0, 0)
    assert pc.digest() == before
    assert [e.path for e in proxy.exchanges()] == ["/api/v1/sync/pull"]  # a no-op sync is one round trip
    assert server_events(fleet, cid) == kinds


def test_second_pc_receives_the_day_whole(fleet: Fleet, tmp_path: Path) -> None:
    """What one PC did arrives at another PC of the office: complaint, timeline, attachment bytes."""
    office = fleet.office()
    first, second = fleet.pc(office), fleet.pc(office)
    doc = tmp_path / "surat.pdf"
    doc.write_bytes(b"%PDF-1.4 surat pengantar " + os.urandom(5000))
    cid = first.intake(2)
    first.dispose(cid)
    first.attach(cid, doc)
    first.sync()
    report = second.sync()
    assert cid in report.new_complaint_ids
    assert report.downloaded == 1
    sha = hashlib.sha256(doc.read_bytes()).hexdigest()
    assert (second.paths.attachments / sha[:2] / sha).read_bytes() == doc.read_bytes()
    first.assert_converged()
    second.assert_converged()


@pytest.mark.parametrize("server", ["sqlite"], indirect=True)
def test_edit_history_reaches_the_server(fleet: Fleet) -> None:
    """Another PC of the office sees who changed a field from what to what (the EDITED timeline event)."""
    office = fleet.office()
    first, second = fleet.pc(office), fleet.pc(office)
    cid = first.intake(3)
    first.edit(cid, title="Jalan berlubang besar di depan Pasar Sleman")
    first.sync()
    second.sync()
    assert server_events(fleet, cid)[EventKind.EDITED] == 1
    edited = [e for e in second.digest().events.values() if e["kind"] == EventKind.EDITED]
    assert [e["data_json"]["changes"]["title"][1] for e in edited] == ["Jalan berlubang besar di depan Pasar Sleman"]


@pytest.mark.parametrize("server", ["sqlite"], indirect=True)
def test_accounts_and_units_reach_the_pcs(fleet: Fleet, proxy: FaultProxy) -> None:
    """A new account and unit made centrally reach the office's PCs at their next sync (reference data fetched
    because the pull answer says it changed), and a disabled account is disabled there too."""
    office = fleet.office()
    pc = fleet.pc(office)
    with fleet.server.db.transaction() as s:
        home = admin.find_office(s, office.id)
        unit = admin.create_unit(s, home, "Dinas Sosial", utcnow())
        user = admin.create_user(s, office=home, username=f"baru.{office.region_code}", full_name="Petugas Baru",
                                 role="PETUGAS_LOKET", password=PASSWORD, unit=None, now=utcnow())
        admin.set_user_active(s, f"u{office.region_code.replace('.', '')}.pimpinan", False, utcnow())
    proxy.reset_log()
    pc.sync()
    assert "/api/v1/reference" in [e.path for e in proxy.exchanges()]
    with pc.store.read() as s:
        local = s.get(User, user.id)
        assert local is not None and local.active and local.username == user.username
        assert s.get(Unit, unit.id) is not None
        pimpinan = s.get(User, office.users["PIMPINAN"])
        assert pimpinan is not None and not pimpinan.active
    proxy.reset_log()
    pc.sync()
    assert [e.path for e in proxy.exchanges()] == ["/api/v1/sync/pull"]


def test_many_files_arrive_whole_while_some_downloads_break_off(fleet: Fleet, proxy: FaultProxy,
                                                                tmp_path: Path) -> None:
    """Files are fetched a few at a time (sync.downloads.DOWNLOAD_WORKERS): every one arrives whole and is recorded
    once, also when connections drop mid-file and 503s interrupt."""
    office = fleet.office()
    first, second = fleet.pc(office), fleet.pc(office)
    files = []
    for i in range(9):
        doc = tmp_path / f"foto-{i}.jpg"
        doc.write_bytes(b"\xff\xd8 foto lokasi " + os.urandom(20_000 + 1000 * i))
        cid = first.intake(1)
        first.attach(cid, doc)
        files.append(doc)
    first.sync()
    proxy.inject("GET", "/api/v1/blobs/", "drop_after", skip=1, times=2)
    proxy.inject("GET", "/api/v1/blobs/", "cut", skip=3)
    proxy.inject("GET", "/api/v1/blobs/", "status503", skip=4, retry_after=0)
    report = second.sync()
    assert report.downloaded == 9
    for doc in files:
        sha = hashlib.sha256(doc.read_bytes()).hexdigest()
        assert (second.paths.attachments / sha[:2] / sha).read_bytes() == doc.read_bytes()
    assert second.sync().downloaded == 0  # all recorded as present
    second.assert_converged()
