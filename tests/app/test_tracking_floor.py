"""A store put back from an older copy never issues a tracking code twice: the highest number issued is also kept
beside the store, and the next code goes above it even before the PC syncs."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from app.models import Complaint
from app.rules import tracking
from app.store import tracking_floor
from app.store.db import open_store
from tests.helpers.world import World


def _seq(world: World, complaint_id: str) -> int:
    with world.store.read() as s:
        c = s.get(Complaint, complaint_id)
        assert c is not None
        return tracking.parse(c.tracking_code).seq


def test_a_store_put_back_from_an_older_copy_continues_above_every_issued_code(world: World, data_dir: Path,
                                                                               tmp_path: Path) -> None:
    path = data_dir / "lapor-desk.sqlite3"
    first = world.new_complaint()
    copy = tmp_path / "copy.sqlite3"
    src, dst = sqlite3.connect(path), sqlite3.connect(copy)
    src.backup(dst)
    src.close()
    dst.close()  # closed, so the copy is whole in its one file
    issued = [world.new_complaint() for _ in range(3)]
    highest = _seq(world, issued[-1])
    assert tracking_floor.floor(path) == highest

    world.store.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(copy, path)
    world.store = world.ctx.store = open_store(path, backup_dir=data_dir / "backups")
    assert {_seq(world, first)} == {1}

    again = world.new_complaint()
    assert _seq(world, again) == highest + 1


def test_an_unreadable_file_falls_back_to_the_store(tmp_path: Path) -> None:
    store_path = tmp_path / "lapor-desk.sqlite3"
    tracking_floor.path_for(store_path).write_text("bukan angka")
    assert tracking_floor.floor(store_path) == 0
    tracking_floor.remember(store_path, 12)
    assert tracking_floor.floor(store_path) == 12
    assert tracking_floor.floor(None) == 0
