"""A backup restores whole: its attachment files come back from the pool beside it (also when the window stages
the restore and the USB drive is gone by the restart), a damaged pool file is not put in place, and a restore that
would drop changes not yet sent to the server is refused unless the person says to go on."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from app.config import Paths
from app.models import OutboxEntry
from app.services.records import attach_file
from app.store.backup_files import POOL, blob_path
from app.store.db import Store
from app.store.restore import (
    PENDING_ATTACHMENTS,
    UnsentChanges,
    apply_pending,
    cancel_pending,
    restore_database,
    stage_restore,
)
from app.store.rotation import back_up
from tests.helpers.world import FakeClock, World


def _attach(world: World, tmp_path: Path, name: str, data: bytes) -> str:
    source = tmp_path / name
    source.write_bytes(data)
    cid = world.new_complaint()
    attach_file(world.ctx, world.users["PETUGAS_LOKET"], cid, source)
    return hashlib.sha256(data).hexdigest()


def _unsent(store: Store, clock: FakeClock, n: int) -> None:
    with store.transaction() as s:
        for seq in range(1, n + 1):
            s.add(OutboxEntry(seq=seq, mutation_id=f"m-{seq}", name="complaint.note", entity_type="complaint",
                              entity_id=f"c-{seq}", base_version=1, args_json="{}", payload_hash="0" * 64,
                              created_at=clock(), acked_at=None))


def test_a_backup_restores_its_attachment_files(world: World, store: Store, data_dir: Path, tmp_path: Path) -> None:
    paths = Paths(data_dir)
    photo = _attach(world, tmp_path, "foto.jpg", b"\xff\xd8 foto jalan berlubang")
    letter = _attach(world, tmp_path, "surat.pdf", b"%PDF-1.4 surat warga")
    usb = tmp_path / "usb"
    backup = back_up(store.path, usb, "manual", paths.attachments)  # type: ignore[arg-type]
    assert {p.name for p in (usb / POOL).glob("??/*")} == {photo, letter}
    store.close()
    shutil.rmtree(paths.attachments)  # the disk that held them failed
    restored = restore_database(paths, backup)
    assert (restored.attachments.copied, restored.attachments.missing) == (2, 0)
    assert blob_path(paths.attachments, photo).read_bytes() == b"\xff\xd8 foto jalan berlubang"
    assert blob_path(paths.attachments, letter).read_bytes() == b"%PDF-1.4 surat warga"


def test_a_damaged_file_in_the_pool_is_not_put_in_place(world: World, store: Store, data_dir: Path,
                                                        tmp_path: Path) -> None:
    paths = Paths(data_dir)
    photo = _attach(world, tmp_path, "foto.jpg", b"foto asli")
    backup = back_up(store.path, tmp_path / "usb", "manual", paths.attachments)  # type: ignore[arg-type]
    pooled = blob_path(tmp_path / "usb" / POOL, photo)
    pooled.unlink()  # the pool's file was a hard link or a copy: replace it with other bytes
    pooled.write_bytes(b"rusak")
    store.close()
    shutil.rmtree(paths.attachments)
    restored = restore_database(paths, backup)
    assert (restored.attachments.copied, restored.attachments.missing) == (0, 1)  # left to the next sync
    assert not blob_path(paths.attachments, photo).exists()


def test_a_staged_restore_brings_the_files_although_the_drive_is_gone(world: World, store: Store, data_dir: Path,
                                                                      tmp_path: Path) -> None:
    paths = Paths(data_dir)
    photo = _attach(world, tmp_path, "foto.jpg", b"foto dari cadangan")
    usb = tmp_path / "usb"
    backup = back_up(store.path, usb, "manual", paths.attachments)  # type: ignore[arg-type]
    shutil.rmtree(paths.attachments)  # (not on this PC any more: say, a new PC restoring the office's backup)
    stage_restore(paths, backup, requested_by=world.users["IT_ADMIN"], store=store)
    shutil.rmtree(usb)
    store.close()
    apply_pending(paths)
    assert blob_path(paths.attachments, photo).read_bytes() == b"foto dari cadangan"
    assert not (data_dir / PENDING_ATTACHMENTS).exists()


def test_a_restore_with_unsent_changes_is_refused_unless_the_person_goes_on(world: World, store: Store,
                                                                            data_dir: Path, tmp_path: Path,
                                                                            clock: FakeClock) -> None:
    paths = Paths(data_dir)
    backup = back_up(store.path, tmp_path / "usb", "manual", paths.attachments)  # type: ignore[arg-type]
    _unsent(store, clock, 3)
    with pytest.raises(UnsentChanges) as err:
        stage_restore(paths, backup, requested_by="it", store=store)
    assert err.value.count == 3 and "3 perubahan" in err.value.message.id and "Sinkronkan dulu" in err.value.message.id
    assert not (data_dir / "restore-pending.sqlite3").exists()
    stage_restore(paths, backup, requested_by="it", store=store, force=True)  # the window's tick
    assert (data_dir / "restore-pending.sqlite3").exists()
    cancel_pending(paths)
    assert not (data_dir / "restore-pending.sqlite3").exists()
