"""Restoring a backup from the window: checked and copied into the data folder while the program runs, put in
place at the next start before the store opens (the replaced database kept), refused with nothing changed when the
file is not a usable backup; and the backup folder as the administration area lists it."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.config import Paths
from app.errors import StoreError
from app.models import Complaint, OutboxEntry
from app.store.db import Store, backup_name, open_store, sqlite_backup
from app.store.restore import (
    apply_pending,
    cancel_pending,
    list_backups,
    pending_restore,
    stage_restore,
    unsent_changes,
)
from app.store.store_messages import REPLACED_BY_RESTORE
from tests.helpers.world import FakeClock, World


def _complaints(paths: Paths) -> int:
    store = open_store(paths.database, backup_dir=paths.backups)
    try:
        with store.read() as s:
            return int(s.execute(select(func.count()).select_from(Complaint)).scalar() or 0)
    finally:
        store.close()


def test_a_staged_restore_replaces_the_database_at_the_next_start(world: World, store: Store, data_dir: Path,
                                                                    tmp_path: Path) -> None:
    paths = Paths(data_dir)
    world.new_complaint()
    usb = tmp_path / "usb" / "cadangan-senin.sqlite3"
    store.backup(usb)
    world.new_complaint()  # made after the backup: the restore takes the office back before it
    stage_restore(paths, usb, requested_by=world.users["IT_ADMIN"])
    usb.unlink()  # the drive is gone by the restart; the copy in the data folder is what is restored
    assert pending_restore(paths) == "cadangan-senin.sqlite3"
    store.close()
    assert _complaints(paths) == 2  # nothing changes before the restart
    assert apply_pending(paths) == Path("cadangan-senin.sqlite3")
    assert _complaints(paths) == 1
    assert pending_restore(paths) is None and apply_pending(paths) is None
    kept = [b for b in list_backups(paths.backups) if b.reason == REPLACED_BY_RESTORE]
    assert len(kept) == 1  # the database it replaced, with both complaints
    store2 = open_store(kept[0].path, backup_dir=tmp_path / "other")
    try:
        with store2.read() as s:
            assert s.execute(select(func.count()).select_from(Complaint)).scalar() == 2
    finally:
        store2.close()


def test_a_file_that_is_no_backup_is_refused_before_anything_is_staged(data_dir: Path, tmp_path: Path) -> None:
    paths = Paths(data_dir)
    notes = tmp_path / "catatan.sqlite3"
    notes.write_text("Bukan basis data.\n" * 100)
    before = paths.database.read_bytes()
    with pytest.raises(StoreError) as err:
        stage_restore(paths, notes, requested_by="it")
    assert "bukan cadangan LAPOR Desk" in err.value.message.id
    assert pending_restore(paths) is None
    assert not any(p.name.startswith("restore-pending") for p in data_dir.iterdir())
    assert apply_pending(paths) is None and paths.database.read_bytes() == before


def test_a_staged_copy_damaged_before_the_restart_is_dropped_and_the_database_kept(store: Store, data_dir: Path,
                                                                                   tmp_path: Path) -> None:
    paths = Paths(data_dir)
    good = tmp_path / "cadangan.sqlite3"
    store.backup(good)
    stage_restore(paths, good, requested_by="it")
    store.close()
    (data_dir / "restore-pending.sqlite3").write_bytes(b"\0" * 4096)  # a disk error, a virus scanner
    before = paths.database.read_bytes()
    with pytest.raises(StoreError):
        apply_pending(paths)
    assert paths.database.read_bytes() == before
    assert pending_restore(paths) is None  # not tried again at every start


def test_cancel_leaves_the_database_as_it_is(store: Store, data_dir: Path, tmp_path: Path) -> None:
    paths = Paths(data_dir)
    good = tmp_path / "cadangan.sqlite3"
    store.backup(good)
    stage_restore(paths, good, requested_by="it")
    cancel_pending(paths)
    assert pending_restore(paths) is None and apply_pending(paths) is None


def test_backups_are_listed_newest_first_with_why_they_were_made(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    now = datetime.now(UTC)
    older = folder / backup_name("pre-migrate-0005", now - timedelta(seconds=1))  # named a second apart, no waiting
    store.backup(older)
    newer = folder / backup_name("manual", now)
    sqlite_backup(store.path, newer)  # type: ignore[arg-type]
    by_hand = folder / "salinan kantor.sqlite3"
    store.backup(by_hand)
    os.utime(by_hand, (0, 0))  # named by hand: its file time says when (1970: the oldest)
    (folder / "catatan.txt").write_text("not a backup")
    listed = list_backups(folder)
    assert [b.path for b in listed] == [newer, older, by_hand]
    assert [b.reason for b in listed] == ["manual", "pre-migrate-0005", ""]
    assert all(b.size > 0 for b in listed)
    assert list_backups(tmp_path / "none") == []


def test_unsent_changes_count_what_a_restore_would_lose(world: World, store: Store, clock: FakeClock) -> None:
    assert unsent_changes(store) == 0  # a PC not enrolled records no changes to send
    with store.transaction() as s:
        for seq, acked in ((1, clock()), (2, None), (3, None)):
            s.add(OutboxEntry(seq=seq, mutation_id=f"m-{seq}", name="complaint.note", entity_type="complaint",
                              entity_id=f"c-{seq}", base_version=1, args_json="{}", payload_hash="0" * 64,
                              created_at=clock(), acked_at=acked))
    assert unsent_changes(store) == 2  # the one the server confirmed is safe on the server
