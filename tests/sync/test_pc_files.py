"""Attachment files on the PC: a partial download left by a kill -9 goes at the next sync (never while a live sync
writes it, never counted as a file the PC holds); the files of a complaint that left the office and the bytes of an
attachment the server refused go once the rows' removal has committed, while bytes another attachment of the office
uses stay."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from app import services
from app.models import Attachment
from app.store.blobfiles import PARTIAL_PREFIX, remove_stale_partials, stored_blobs
from server import admin
from server import models as srv
from sync import engine as engine_module
from sync.blobs import blob_path
from tests.sync.fleet import PC, Fleet

ROOT = Path(__file__).resolve().parents[2]


def a_file(folder: Path, name: str, size: int = 4000) -> tuple[Path, str]:
    path = folder / name
    path.write_bytes(os.urandom(size))
    return path, hashlib.sha256(path.read_bytes()).hexdigest()


def partials(pc: PC) -> list[Path]:
    return sorted(pc.paths.attachments.glob(f"**/{PARTIAL_PREFIX}*"))


def attachment_ids(pc: PC) -> set[str]:
    with pc.store.read() as s:
        return set(s.execute(select(Attachment.id)).scalars())


def start_download_child(pc: PC) -> subprocess.Popen[str]:
    """``lapor-desk sync`` of this PC in a process of its own, stopped inside an attachment download
    (tests/sync/sync_child.py, mode ``download``)."""
    code = ("import sys; from pathlib import Path; from tests.sync.sync_child import run_child; "
            "run_child('download', Path(sys.argv[1]), 1)")
    return subprocess.Popen([sys.executable, "-c", code, str(pc.paths.data_dir)], cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def wait_for(child: subprocess.Popen[str], marker: str) -> None:
    assert child.stdout is not None
    transcript = []
    for line in child.stdout:
        transcript.append(line)
        if line.strip() == marker:
            return
    raise AssertionError(f"the sync child ended before {marker!r}:\n" + "".join(transcript[-40:]))


@pytest.mark.parametrize("server", ["sqlite"], indirect=True)
def test_a_partial_download_left_by_kill_9_goes_and_the_file_arrives_whole(fleet: Fleet, tmp_path: Path) -> None:
    office = fleet.office()
    pc, other = fleet.pc(office), fleet.pc(office)
    cid = other.intake(1)
    other.dispose(cid)
    photo, sha = a_file(tmp_path, "lokasi.jpg", size=300_000)  # several blocks: it stops after the first
    other.attach(cid, photo)
    other.sync()

    pc.close()  # the program is closed while the sync runs on its own (as under Task Scheduler)
    child = start_download_child(pc)
    try:
        wait_for(child, "in-download")
        (partial,) = partials(pc)
        # What a sync starting now does first: a download still being written is left alone.
        assert remove_stale_partials(pc.paths.attachments) == 0
        assert partial.exists()
        assert stored_blobs(pc.paths.attachments) == set()  # a partial file is not the attachment's bytes
    finally:
        child.kill()
        child.wait()
    assert partial.exists()  # what kill -9 leaves behind

    pc.reopen()
    report = pc.sync()
    assert partials(pc) == []
    assert report.downloaded == 1
    assert stored_blobs(pc.paths.attachments) == {sha}
    assert blob_path(pc.paths.attachments, sha).read_bytes() == photo.read_bytes()


@pytest.mark.parametrize("server", ["sqlite"], indirect=True)
def test_files_of_a_complaint_that_left_go_and_shared_bytes_stay(fleet: Fleet, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    sleman, badung = fleet.office(), fleet.office("WITA")
    a1, a2 = fleet.pc(sleman), fleet.pc(sleman)
    leaving, staying = a1.intake(1), a1.intake(2)
    for cid in (leaving, staying):
        a1.dispose(cid)
    plan, plan_sha = a_file(tmp_path, "denah.pdf")
    photo, photo_sha = a_file(tmp_path, "foto.jpg")
    a1.attach(leaving, plan)
    a1.attach(leaving, photo)
    a1.sync()
    a1.attach(staying, photo)  # the same bytes on a complaint that stays in the office
    a1.sync()
    a2.sync()
    for pc in (a1, a2):
        assert stored_blobs(pc.paths.attachments) == {plan_sha, photo_sha}, pc.name
    a1.redirect(leaving)
    a1.sync()
    badung.route_here(leaving)

    # The page that removes the complaint fails before its commit: rows and bytes are all still there.
    real_apply = engine_module.apply_changes

    def apply_then_fail(*args: Any, **kwargs: Any) -> Any:
        real_apply(*args, **kwargs)
        raise RuntimeError("power cut before the commit")

    monkeypatch.setattr(engine_module, "apply_changes", apply_then_fail)
    with pytest.raises(RuntimeError):
        a2.sync()
    monkeypatch.undo()
    assert a2.complaint(leaving) is not None
    assert stored_blobs(a2.paths.attachments) == {plan_sha, photo_sha}

    for pc in (a1, a2):
        report = pc.sync()
        assert report.removed == 1 and pc.complaint(leaving) is None, pc.name
        assert stored_blobs(pc.paths.attachments) == {photo_sha}, pc.name
        assert blob_path(pc.paths.attachments, photo_sha).read_bytes() == photo.read_bytes()
        pc.assert_converged()

    b1 = fleet.pc(badung)  # the new office receives the complaint with both its files
    assert stored_blobs(b1.paths.attachments) == {plan_sha, photo_sha}


@pytest.mark.parametrize("server", ["sqlite"], indirect=True)
def test_bytes_of_a_refused_attachment_leave_the_pc(fleet: Fleet, tmp_path: Path) -> None:
    office = fleet.office()
    pc = fleet.pc(office)
    cid = pc.intake(3)
    pc.dispose(cid)
    photo, photo_sha = a_file(tmp_path, "foto.jpg")
    kept = pc.attach(cid, photo)
    pc.sync()
    scan, scan_sha = a_file(tmp_path, "surat.pdf")
    services.attach_file(pc.ctx, office.counter, cid, scan)
    services.attach_file(pc.ctx, office.counter, cid, photo)  # the same bytes as the kept attachment
    assert stored_blobs(pc.paths.attachments) == {photo_sha, scan_sha}
    with fleet.server.db.transaction() as s:  # the counter's account is closed centrally before the PC syncs
        counter = s.get(srv.User, office.counter)
        assert counter is not None
        admin.set_user_active(s, counter.username, False, datetime.now(UTC))

    report = pc.sync()
    assert [r.code for r in report.rejected] == ["permission_denied"] * 2
    assert attachment_ids(pc) == {kept}
    assert stored_blobs(pc.paths.attachments) == {photo_sha}
    assert blob_path(pc.paths.attachments, photo_sha).read_bytes() == photo.read_bytes()
    pc.assert_converged()
