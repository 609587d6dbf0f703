"""Scope changes: one PC of the office redirects a complaint (bukan wewenang) and the national side re-routes it to
another office, while a second PC of the first office, offline, follows it up and closes it. The second PC keeps
the complaint while its changes wait; once they are pushed (and refused: the complaint is no longer the office's)
it leaves. The new office receives it whole, with timeline and attachment."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from app.domain import EventKind, Status
from sync.engine import SyncReport
from tests.sync.checks import assert_no_duplicates, assert_outbox_settled
from tests.sync.fleet import Fleet


def test_closing_while_national_reroutes(fleet: Fleet, tmp_path: Path) -> None:
    sleman, badung = fleet.office(), fleet.office("WITA")
    a1, a2, b1 = fleet.pc(sleman), fleet.pc(sleman), fleet.pc(badung)
    photo = tmp_path / "lokasi.png"
    photo.write_bytes(b"\x89PNG\r\n" + os.urandom(3000))
    cid = a1.intake(1)
    a1.dispose(cid)
    a1.attach(cid, photo)
    a1.sync()
    a2.sync()

    a1.redirect(cid)
    a1.sync()
    routed = badung.route_here(cid, note="Kewenangan Kabupaten Badung")
    assert routed["status"] == Status.BELUM_TERVERIFIKASI

    a2.follow_up(cid)
    a2.close_case(cid)
    a2.note(cid, "Pelapor sudah dihubungi")
    assert a2.pending() == 3

    # A pull alone (the scope exit arrives) keeps the complaint: three changes to it wait to be pushed.
    report = SyncReport()
    a2.engine.pull(report)
    assert report.removed == 0
    assert a2.complaint(cid) is not None and a2.pending() == 3

    report = a2.sync()
    assert {r.code for r in report.rejected} == {"not_found"} and len(report.rejected) == 3
    assert a2.pending() == 0
    assert a2.complaint(cid) is None
    assert_outbox_settled(a2, allowed=("applied", "merged", "rejected"))

    a1.sync()
    assert a1.complaint(cid) is None
    report = b1.sync()
    assert cid in report.new_complaint_ids and report.downloaded == 1
    arrived = b1.complaint(cid)
    assert arrived is not None and arrived.status == Status.BELUM_TERVERIFIKASI
    kinds = sorted(e["kind"] for e in b1.digest().events.values() if e["complaint_id"] == cid)
    assert kinds == sorted([EventKind.RECEIVED, EventKind.DISPOSED, EventKind.ATTACHMENT_ADDED,
                            EventKind.REDIRECTED, EventKind.ROUTED])
    for pc in (a1, a2, b1):
        pc.assert_converged()
    for office in (sleman, badung):
        assert_no_duplicates(fleet.server.db, office.id)

    # The new office works on it as its own, and the old office never sees it again.
    b1.dispose(cid)
    b1.sync()
    a1.sync()
    assert a1.complaint(cid) is None
    b1.assert_converged()


@pytest.mark.parametrize("server", ["sqlite"], indirect=True)
def test_complaint_that_leaves_and_comes_back_stays(fleet: Fleet) -> None:
    """Re-routed away while this PC has a note waiting, then routed back before the note is pushed: the complaint
    stays on the PC (and the note reaches the server) instead of being removed once the note is out."""
    sleman, badung = fleet.office(), fleet.office("WITA")
    a, b = fleet.pc(sleman), fleet.pc(badung)
    cid = a.intake(2)
    a.redirect(cid)
    a.sync()
    badung.route_here(cid)
    note = a.note(cid, "Pelapor menelepon lagi")
    a.engine.pull(SyncReport())  # the scope exit waits for the note
    b.sync()
    b.redirect(cid)
    b.sync()
    sleman.route_here(cid)
    a.engine.pull(SyncReport())  # back in scope while the note still waits
    report = a.sync()
    assert not report.rejected
    assert a.complaint(cid) is not None
    assert note in sleman.digest().events
    a.sync()
    b.sync()
    assert a.complaint(cid) is not None and b.complaint(cid) is None
    a.assert_converged()
    b.assert_converged()
