"""Restores found out without anyone saying so. A PC restored from an older copy of its own data learns from the
server what it had already sent (its seq, its tracking numbers), gets its own later work back and carries on above
it. A server restored from an older backup without ``rotate-era`` is found out from the PCs' feed positions: they
send again what they kept and download again. In every case nothing a PC holds is lost and every PC converges."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from app.domain import EventKind, Status
from app.models import TimelineEvent
from app.rules import tracking
from app.store import meta
from app.timeutil import utcnow
from server import models as srv
from tests.sync.checks import assert_no_duplicates, assert_outbox_settled
from tests.sync.conftest import BACKENDS, new_server
from tests.sync.faultproxy import FaultProxy
from tests.sync.fleet import PC, Fleet
from tests.sync.serverproc import ServerProcess
from tests.sync.test_restore import restore, take_backup


@pytest.fixture(params=BACKENDS)
def server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ServerProcess]:
    proc = new_server(request, request.param, tmp_path / "server").start()
    yield proc
    proc.stop()
    proc.close_db()


def backup_pc(pc: PC) -> Path:
    copy = pc.paths.data_dir / "copy.sqlite3"
    src, dst = sqlite3.connect(pc.paths.database), sqlite3.connect(copy)
    src.backup(dst)
    src.close()
    dst.close()  # closed, so the copy is whole in its one file
    return copy


def restore_pc(pc: PC, copy: Path) -> None:
    """The PC's store goes back to the copy (as an IT technician restoring a backup file would do)."""
    pc.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{pc.paths.database}{suffix}").unlink(missing_ok=True)
    os.replace(copy, pc.paths.database)
    pc.reopen()


def _tracking_seq(pc: PC, cid: str) -> int:
    found = pc.complaint(cid)
    assert found is not None
    return tracking.parse(found.tracking_code).seq


def test_a_pc_restored_from_its_own_older_copy_gets_its_work_back(fleet: Fleet, server: ServerProcess) -> None:
    office = fleet.office()
    pc, other = fleet.pc(office), fleet.pc(office)
    first = pc.intake(1)
    pc.sync()
    copy = backup_pc(pc)

    pc.dispose(first)
    later = pc.intake(2)
    pc.sync()
    later_seq = _tracking_seq(pc, later)

    restore_pc(pc, copy)
    assert pc.complaint(later) is None  # the copy really is older

    report = pc.sync()
    assert report.restored
    back = pc.complaint(first)
    assert back is not None and back.status == Status.DIDISPOSISIKAN  # its own later work, downloaded again
    assert pc.complaint(later) is not None

    # New work continues above everything the server has seen of this PC.
    newest = pc.intake(3)
    assert _tracking_seq(pc, newest) > later_seq
    pc.note(first, "Catatan setelah pemulihan")
    pc.sync_until_quiet()
    other.sync_until_quiet()
    assert_outbox_settled(pc, since_restore=True)
    assert_no_duplicates(server.db, office.id)
    pc.assert_converged()
    other.assert_converged()


def test_new_work_on_a_restored_pc_before_it_syncs_is_kept_and_renumbered(fleet: Fleet,
                                                                           server: ServerProcess) -> None:
    """The PC was restored and used before its first sync: its new changes reuse seqs the server holds other
    changes under. They are moved above, not refused (before: every sync failed with "contact IT")."""
    office = fleet.office()
    pc = fleet.pc(office)
    first = pc.intake(1)
    pc.sync()
    copy = backup_pc(pc)
    pc.dispose(first)
    pc.note(first, "Sudah ke lokasi")
    pc.sync()

    restore_pc(pc, copy)
    pc.note(first, "Catatan baru di PC yang dipulihkan")
    pc.edit(first, title="Jalan berlubang besar di depan Pasar Sleman")

    report = pc.sync()
    assert report.restored
    pc.sync_until_quiet()
    assert_outbox_settled(pc, allowed=("applied", "merged", "conflict"), since_restore=True)
    assert_no_duplicates(server.db, office.id)
    pc.assert_converged()
    with server.db.transaction() as s:
        texts = set(s.execute(select(srv.TimelineEvent.text).where(srv.TimelineEvent.complaint_id == first))
                    .scalars())
        c = s.get(srv.Complaint, first)
        assert c is not None and c.status == Status.DIDISPOSISIKAN
        assert c.title == "Jalan berlubang besar di depan Pasar Sleman"
    assert {"Sudah ke lokasi", "Catatan baru di PC yang dipulihkan"} <= texts
    with pc.store.read() as s:
        assert int(meta.get(s, meta.TRACKING_SEQ) or 0) >= 1


def restore_server_quietly(server: ServerProcess, backup_url: str) -> None:
    """The server's database goes back to a backup and nobody rotates the era."""
    server.stop()
    server.close_db()
    if server.kind == "sqlite":
        live = Path(server.db_url.removeprefix("sqlite:///"))
        for suffix in ("-wal", "-shm"):
            Path(f"{live}{suffix}").unlink(missing_ok=True)
        os.replace(backup_url.removeprefix("sqlite:///"), live)
    else:
        server.db_url = backup_url
    server.start()


def test_a_server_restored_without_a_new_era_is_found_out(fleet: Fleet, proxy: FaultProxy, server: ServerProcess,
                                                          request: pytest.FixtureRequest, tmp_path: Path) -> None:
    office = fleet.office()
    a, b = fleet.pc(office), fleet.pc(office)
    old = a.intake(1)
    a.sync()
    b.sync()
    backup = take_backup(server, request)

    photo = tmp_path / "surat.pdf"
    photo.write_bytes(b"%PDF-1.4 " + os.urandom(20_000))
    a.dispose(old)
    a.attach(old, photo)
    newer = a.intake(2)
    b_new = b.intake(3)
    a.sync()
    b.sync()
    a.sync()

    restore_server_quietly(server, backup)
    proxy.retarget(server.url)
    # Other work reaches the restored server first: its change log grows past the PCs' old positions again.
    c = fleet.pc(office)
    for n in range(4, 9):
        c.intake(n)
    c.sync()

    assert a.sync().era_changed
    assert b.sync().era_changed
    for pc in (a, b, c):
        pc.sync_until_quiet()
    for pc in (a, b, c):
        assert_outbox_settled(pc)
        pc.assert_converged()
    assert_no_duplicates(server.db, office.id)
    with server.db.transaction() as s:
        assert s.get(srv.Complaint, newer) is not None and s.get(srv.Complaint, b_new) is not None
        restored = s.get(srv.Complaint, old)
        assert restored is not None and restored.status == Status.DIDISPOSISIKAN
        blob = s.execute(select(srv.Attachment.sha256).where(srv.Attachment.complaint_id == old)).scalar()
    assert blob is not None and (server.blob_dir / blob[:2] / blob).is_file()


def test_a_new_era_with_changes_waiting_raises_no_false_alarm(fleet: Fleet, proxy: FaultProxy,
                                                               server: ServerProcess,
                                                               request: pytest.FixtureRequest) -> None:
    """After ``rotate-era`` a PC with a change waiting used to fail its first sync with "the server's backup is
    older than what this PC keeps": every kept change was unsent again, and the first of them was taken for the
    gap."""
    office = fleet.office()
    pc = fleet.pc(office)
    cid = pc.intake(1)
    pc.sync()
    backup = take_backup(server, request)
    pc.dispose(cid)
    pc.sync()
    restore(server, backup)
    proxy.retarget(server.url)
    pc.note(cid, "Catatan yang menunggu dikirim")

    report = pc.sync()
    assert report.era_changed
    pc.sync_until_quiet()
    assert_outbox_settled(pc)
    pc.assert_converged()
    with server.db.transaction() as s:
        c = s.get(srv.Complaint, cid)
        assert c is not None and c.status == Status.DIDISPOSISIKAN


@pytest.mark.parametrize("rotate", [True, False], ids=["rotate-era", "found-out"])
def test_what_only_the_pcs_hold_goes_back_to_a_restored_server(fleet: Fleet, proxy: FaultProxy,
                                                               server: ServerProcess, request: pytest.FixtureRequest,
                                                               rotate: bool) -> None:
    """A national complaint routed after the backup, and the work of a PC that is gone since (its intake, its note
    on an older complaint), exist only on the other PCs once the server is restored: they give them back."""
    office = fleet.office()
    a, b, gone = fleet.pc(office), fleet.pc(office), fleet.pc(office)
    old = a.intake(1)
    a.sync()
    gone.sync()
    backup = take_backup(server, request)

    (national,) = office.online_complaints(1)
    from_gone = gone.intake(2)
    gone.note(old, "Catatan dari PC yang kemudian rusak")
    gone.sync()
    gone.close()  # this PC is never seen again
    a.sync()
    b.sync()

    if rotate:
        restore(server, backup)
    else:
        restore_server_quietly(server, backup)
    proxy.retarget(server.url)
    with server.db.transaction() as s:
        assert s.get(srv.Complaint, national) is None and s.get(srv.Complaint, from_gone) is None

    assert a.sync().era_changed
    b.sync()
    for pc in (a, b):
        pc.sync_until_quiet()
    for pc in (a, b):
        pc.assert_converged()
    assert_no_duplicates(server.db, office.id)
    with server.db.transaction() as s:
        assert s.get(srv.Complaint, national) is not None
        assert s.get(srv.Complaint, from_gone) is not None
        texts = set(s.execute(select(srv.TimelineEvent.text).where(srv.TimelineEvent.complaint_id == old))
                    .scalars())
    assert "Catatan dari PC yang kemudian rusak" in texts


def test_a_restore_is_refused_when_the_server_was_not_restored(fleet: Fleet, server: ServerProcess) -> None:
    """The door for giving back is open only after a restore: otherwise a PC could write any history."""
    from sync import offer_back

    office = fleet.office()
    pc = fleet.pc(office)
    cid = pc.intake(1)
    pc.sync()
    with pc.store.transaction() as s:
        offer_back._capture(s, cid, [], [], whole=True, now=pc.clock())
    pc.sync()
    (entry,) = [e for e in pc.outbox() if e.name == offer_back.RESTORE]
    assert entry.result_status == "rejected"
    assert '"restore_not_expected"' in (entry.result_json or "")


def test_steps_sent_again_in_another_order_leave_one_timeline(fleet: Fleet, proxy: FaultProxy,
                                                              server: ServerProcess,
                                                              request: pytest.FixtureRequest) -> None:
    """After the backup A followed up and B closed; after the restore B sends its close first, which the server
    now refuses (the follow-up is not there yet). Every PC ends with the server's timeline: the close shown as
    refused on all of them, A's copy of B's CLOSED entry gone too (before: A kept it for good)."""
    office = fleet.office()
    a, b = fleet.pc(office), fleet.pc(office)
    cid = a.intake(1)
    a.dispose(cid)
    a.sync()
    b.sync()
    backup = take_backup(server, request)
    a.follow_up(cid)
    a.sync()
    b.sync()
    closed = b.close_case(cid)
    b.sync()
    a.sync()
    with a.store.read() as s:
        assert s.get(TimelineEvent, closed) is not None

    restore(server, backup)
    proxy.retarget(server.url)
    b.sync()
    a.sync()
    for _ in range(2):
        for pc in (a, b):
            pc.sync_until_quiet()
    a_digest, b_digest = a.assert_converged(), b.assert_converged()
    assert a_digest == b_digest
    for pc in (a, b):
        with pc.store.read() as s:
            assert s.get(TimelineEvent, closed) is None
            kinds = [e.kind for e in s.execute(select(TimelineEvent).where(TimelineEvent.complaint_id == cid))
                     .scalars()]
        assert EventKind.TRANSITION_REJECTED in kinds and EventKind.FOLLOW_UP in kinds


# ---- found by the fault-schedule run (bench/fault_schedules.py): each a schedule's seed, made a test --------------


def test_a_pc_restored_and_then_the_server_restored_is_not_blocked(fleet: Fleet, proxy: FaultProxy,
                                                                   server: ServerProcess,
                                                                   request: pytest.FixtureRequest) -> None:
    """Seed 900007: the server lost seqs 1-2 this PC no longer keeps as changes (its own store was put back before
    them); every sync failed with "contact IT" and its two intakes and a note stayed on the PC."""
    office = fleet.office()
    pc = fleet.pc(office)
    backup = take_backup(server, request)
    copy = backup_pc(pc)
    first, second = pc.intake(1), pc.intake(2)
    pc.sync()
    restore_pc(pc, copy)
    assert pc.sync().restored
    pc.note(first, "Catatan setelah PC dipulihkan")
    restore(server, backup)
    proxy.retarget(server.url)

    pc.sync_until_quiet()
    pc.assert_converged()
    assert_no_duplicates(server.db, office.id)
    with server.db.transaction() as s:
        assert s.get(srv.Complaint, first) is not None and s.get(srv.Complaint, second) is not None
        texts = set(s.execute(select(srv.TimelineEvent.text).where(srv.TimelineEvent.complaint_id == first))
                    .scalars())
    assert "Catatan setelah PC dipulihkan" in texts


def test_steps_given_back_by_another_pc_are_kept_when_sent_again(fleet: Fleet, proxy: FaultProxy,
                                                                 server: ServerProcess,
                                                                 request: pytest.FixtureRequest) -> None:
    """Seed 900006: B gave back A's archive and unarchive entries before A sent those steps again; the server
    refused A's steps, both PCs dropped the entries the server kept, and every PC differed from the server."""
    from app import services

    office = fleet.office()
    a, b = fleet.pc(office), fleet.pc(office)
    cid = a.intake(1)
    a.sync()
    b.sync()
    backup = take_backup(server, request)
    services.archive(a.ctx, office.admin, cid, reason_code="TIDAK_LENGKAP", note="Data pelapor tidak lengkap")
    services.unarchive(a.ctx, office.admin, cid, reason="Pelapor melengkapi data")
    a.sync()
    b.sync()
    b.redirect(cid)
    b.sync()
    restore(server, backup)
    proxy.retarget(server.url)

    b.sync()
    a.sync()
    for _ in range(2):
        for pc in (a, b):
            pc.sync_until_quiet()
    assert a.assert_converged() == b.assert_converged()


def test_a_complaint_re_routed_after_a_restore_leaves_every_pc_of_the_office(fleet: Fleet, proxy: FaultProxy,
                                                                            server: ServerProcess,
                                                                            request: pytest.FixtureRequest) -> None:
    """Seed 900002: a PC syncing for the first time since the restore downloaded the office from the beginning,
    which no longer lists the complaint, and kept it (with its reporter) for good."""
    office, other = fleet.office(), fleet.office()
    a, b = fleet.pc(office), fleet.pc(office)
    (cid,) = office.online_complaints(1)
    a.sync()
    b.sync()
    backup = take_backup(server, request)
    restore(server, backup)
    proxy.retarget(server.url)
    b.redirect(cid)
    b.sync()
    other.route_here(cid, "Dialihkan")

    a.sync_until_quiet()
    b.sync_until_quiet()
    for pc in (a, b):
        assert pc.complaint(cid) is None
        pc.assert_converged()


def test_an_intake_re_routed_before_the_restore_is_not_a_refusal_on_its_pc(fleet: Fleet, proxy: FaultProxy,
                                                                           server: ServerProcess,
                                                                           request: pytest.FixtureRequest) -> None:
    """Seed 900009: the re-route was lost with the restore, the other office gave the complaint back first, and
    the PC that took it in got its own intake refused as another office's: a standing problem holding another
    office's reporter."""
    office, other = fleet.office(), fleet.office()
    a, b = fleet.pc(office), fleet.pc(other)
    backup = take_backup(server, request)
    cid = a.intake(1)
    a.redirect(cid)
    a.sync()
    other.route_here(cid, "Dialihkan")
    b.sync()
    restore(server, backup)
    proxy.retarget(server.url)

    b.sync()
    a.sync()
    a.sync_until_quiet()
    b.sync_until_quiet()
    with a.store.read() as s:
        from app.services.refusals import refused_intakes

        assert refused_intakes(s) == []
    assert a.complaint(cid) is None
    assert b.complaint(cid) is not None
    a.assert_converged()
    b.assert_converged()


def test_national_codes_issued_after_the_backup_are_not_issued_again(fleet: Fleet, proxy: FaultProxy,
                                                                     server: ServerProcess,
                                                                     request: pytest.FixtureRequest) -> None:
    """Seeds 900004/900005: the restored counter gave a code a PC still held on a complaint the server lost: the
    national API failed with 500 for good, or the PC's every pull failed on the duplicate code."""
    office = fleet.office()
    pc = fleet.pc(office)
    backup = take_backup(server, request)
    (lost,) = office.online_complaints(1)
    pc.sync()
    lost_code = pc.complaint(lost).tracking_code  # type: ignore[union-attr]
    restore_server_quietly(server, backup)  # nobody says; the counter is behind
    proxy.retarget(server.url)
    (reissued,) = office.online_complaints(1, start=1)  # before any PC is heard from: the same code again

    pc.sync_until_quiet()
    (after,) = office.online_complaints(1, start=2)  # the national API works, with a fresh code
    pc.sync_until_quiet()
    pc.assert_converged()
    with server.db.transaction() as s:
        codes = {c.id: c.tracking_code for c in s.execute(select(srv.Complaint)).scalars()}
        note = s.execute(select(srv.TimelineEvent.text).where(srv.TimelineEvent.complaint_id == lost,
                                                              srv.TimelineEvent.kind == "NOTE")).scalar()
    assert {lost, reissued, after} <= codes.keys()
    assert len({codes[lost], codes[reissued], codes[after]}) == 3
    assert codes[reissued] == lost_code and codes[lost] != lost_code
    assert note is not None and lost_code in note and codes[lost] in note


def test_a_file_attached_after_the_copy_goes_with_the_restore(fleet: Fleet, server: ServerProcess,
                                                              tmp_path: Path) -> None:
    """Seed 900008: a file attached after the PC's copy was made, never sent, stayed in its folder for good (no
    row refers to it, and none ever will). The daily check of the folder against the rows removes it; a file
    whose row is there stays."""
    from app.store.blobfiles import stored_blobs

    office = fleet.office()
    later = [timedelta(0)]
    pc = fleet.pc(office, clock=lambda: utcnow() + later[0])
    cid = pc.intake(1)
    kept = tmp_path / "surat.pdf"
    kept.write_bytes(b"%PDF-1.4 " + os.urandom(2000))
    pc.attach(cid, kept)
    pc.sync()
    copy = backup_pc(pc)
    photo = tmp_path / "foto.jpg"
    photo.write_bytes(os.urandom(3000))
    pc.attach(cid, photo)
    restore_pc(pc, copy)
    pc.sync_until_quiet()
    assert len(stored_blobs(pc.paths.attachments)) == 2  # not yet: the folder is checked once a day

    later[0] = timedelta(hours=25)
    pc.sync()
    assert stored_blobs(pc.paths.attachments) == {hashlib.sha256(kept.read_bytes()).hexdigest()}
    pc.assert_converged()
