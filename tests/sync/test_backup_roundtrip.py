"""A PC put back from its own rolling backup with ``lapor-desk restore``, against a live server: work synced after
the backup comes back with the next sync, nothing is stored twice, the attachment files come back (from the backup,
or downloaded again), and work not yet sent is refused unless ``--force``."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from app.cli import EXIT_OK, run
from app.domain import Status
from app.models import TimelineEvent
from app.store.backup_files import blob_path
from app.store.rotation import daily_backup
from tests.sync.checks import assert_no_duplicates, assert_outbox_settled
from tests.sync.fleet import Fleet
from tests.sync.serverproc import ServerProcess


def _file(folder: Path, name: str) -> tuple[Path, str]:
    path = folder / name
    path.write_bytes(os.urandom(2500))
    return path, hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_restored_rolling_backup_keeps_synced_work_and_duplicates_nothing(
        fleet: Fleet, server: ServerProcess, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    office = fleet.office()
    pc, other = fleet.pc(office), fleet.pc(office)
    first = pc.intake(1)
    letter, letter_sha = _file(tmp_path, "surat.pdf")
    pc.attach(first, letter)
    pc.sync()
    backup = daily_backup(pc.paths.database, pc.paths.backups, pc.paths.attachments).made  # while it runs
    assert backup is not None

    pc.dispose(first)
    later = pc.intake(2)
    photo, photo_sha = _file(tmp_path, "foto.jpg")
    pc.attach(later, photo)
    pc.sync()
    pc.note(first, "Catatan yang belum terkirim")  # not sent yet: the restore must not drop it silently
    pc.close()

    data = str(pc.paths.data_dir)
    code = run(["--data-dir", data, "restore", str(backup)])
    assert code != EXIT_OK and "1 perubahan" in capsys.readouterr().err
    pc.reopen()
    pc.sync()  # sent: now nothing would be lost
    pc.close()
    shutil.rmtree(pc.paths.attachments)  # the files go too: those in the backup must come back from it
    assert run(["--data-dir", data, "restore", str(backup), "--force"]) == EXIT_OK
    assert "Lampiran dipulihkan: 1" in capsys.readouterr().out
    assert blob_path(pc.paths.attachments, letter_sha).exists()
    pc.reopen()
    assert pc.complaint(later) is None  # the backup really is older

    report = pc.sync()
    assert report.restored  # the engine saw the PC go back in time and downloaded its office again
    pc.sync_until_quiet()
    back = pc.complaint(first)
    assert back is not None and back.status == Status.DIDISPOSISIKAN
    assert pc.complaint(later) is not None
    assert blob_path(pc.paths.attachments, photo_sha).exists()  # downloaded again
    with pc.store.read() as session:
        notes = session.execute(select(TimelineEvent.text).where(TimelineEvent.complaint_id == first)).scalars()
        assert list(notes).count("Catatan yang belum terkirim") == 1  # sent before the restore, back after it
    assert_outbox_settled(pc, since_restore=True)
    assert_no_duplicates(server.db, office.id)
    pc.assert_converged()
    other.sync_until_quiet()
    other.assert_converged()
